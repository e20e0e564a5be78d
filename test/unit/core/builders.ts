// Small builders for core tests: desired(), live(), observed(), set() with realistic defaults (us-east-1,
// account 123456789012, an MSK cluster and a function), so each test states only what it is about.

import { normalizeDesired } from '../../../src/core/normalize.js';
import { configHash } from '../../../src/core/fingerprint.js';
import { managedTags } from '../../../src/core/tags.js';
import type {
  DesiredMapping,
  LiveCluster,
  LiveFunction,
  LiveMapping,
  MappingConfig,
  MappingSet,
  Observed,
} from '../../../src/core/types.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const CLUSTER_ARN = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/orders-cluster/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2`;
export const CLUSTER: LiveCluster = {
  arn: CLUSTER_ARN,
  name: 'orders-cluster',
  uuid: '1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2',
  authModes: ['IAM'],
};
export const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:kafka/settle-AbCdEf`;

export function fn(name: string, role = 'settle-role'): LiveFunction {
  const [base, qualifier] = name.split(':');
  return {
    ref: name,
    functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${base}${qualifier ? `:${qualifier}` : ''}`,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
  };
}

export function desired(overrides: Partial<DesiredMapping> = {}): DesiredMapping {
  const set = overrides.set ?? 'payments';
  const name = overrides.name ?? 'settle';
  return {
    set,
    name,
    address: `${set}/${name}`,
    function: 'settle',
    source: { kind: 'msk', arn: CLUSTER_ARN },
    topic: 'orders',
    permissions: 'auto',
    ...overrides,
  };
}

export function set(mappings: DesiredMapping[], name = 'payments'): MappingSet {
  return { apiVersion: 'esmctl/v1', name, region: REGION, files: [`${name}.yaml`], mappings };
}

const CTX_FUNCTIONS = [fn('settle'), fn('refund'), fn('audit:live'), fn('legacy', 'legacy-role')];

/** A MappingConfig with AWS's defaults for everything `overrides` leaves out (an MSK mapping of `settle`). */
export function mappingConfig(overrides: Partial<MappingConfig> = {}): MappingConfig {
  return {
    functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:settle`,
    source: { kind: 'msk', arn: CLUSTER_ARN },
    topic: 'orders',
    consumerGroupId: null,
    startingPosition: 'LATEST',
    startingPositionTimestamp: null,
    batchSize: 100,
    maximumBatchingWindowInSeconds: null,
    enabled: true,
    sourceAccessConfigurations: [],
    provisionedPollers: null,
    maximumRetryAttempts: -1,
    maximumRecordAgeInSeconds: -1,
    bisectBatchOnFunctionError: false,
    reportBatchItemFailures: false,
    onFailure: null,
    filters: [],
    kmsKeyArn: null,
    schemaRegistry: null,
    logLevel: null,
    metrics: [],
    tags: {},
    ...overrides,
  };
}

/** The config AWS would report after esmctl applied `d` (same normalisation as the plan uses). */
export function configOf(d: DesiredMapping, functions: LiveFunction[] = CTX_FUNCTIONS): MappingConfig {
  return normalizeDesired(d, { region: REGION, accountId: ACCOUNT, functions });
}

let seq = 0;
export function uuid(): string {
  seq += 1;
  return `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
}

/**
 * A live mapping. `applied`: built from a desired mapping as esmctl would have created it (ownership tags with
 * that mapping's hash); `config` patches are applied on top (a console edit).
 */
export function live(opts: {
  applied?: DesiredMapping;
  config?: Partial<MappingConfig>;
  tags?: Record<string, string>;
  owned?: boolean;
  uuid?: string;
  state?: LiveMapping['state'];
}): LiveMapping {
  const base = opts.applied ? configOf(opts.applied) : configOf(desired());
  const config = { ...base, ...opts.config };
  const id = opts.uuid ?? uuid();
  const owned = opts.owned ?? opts.applied !== undefined;
  const d = opts.applied;
  const tags = {
    ...(owned && d ? managedTags(d.set, d.name, configHash(base), base.tags) : {}),
    ...(d ? base.tags : {}),
    'aws:cloudformation:stack-name': 'ignored',
    ...opts.tags,
  };
  return {
    uuid: id,
    arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:${id}`,
    state: opts.state ?? (config.enabled ? 'Enabled' : 'Disabled'),
    lastModified: '2026-11-25T10:00:00.000Z',
    config,
    tags,
  };
}

export function observed(overrides: Partial<Observed> = {}): Observed {
  return {
    region: REGION,
    accountId: ACCOUNT,
    mappings: [],
    functions: CTX_FUNCTIONS,
    policies: [],
    clusters: [CLUSTER],
    readAt: '2026-11-25T11:00:00.000Z',
    ...overrides,
  };
}

/** Observed with the IAM policies esmctl would already have written for `sets` (a converged account). */
export async function withPolicies(sets: MappingSet[], obs: Observed): Promise<Observed> {
  const { buildPlan } = await import('../../../src/core/plan.js');
  const plan = buildPlan(sets, obs);
  const policies = plan.actions.flatMap((a) =>
    a.kind === 'put-policy' ? [{ roleName: a.roleName, policyName: a.policyName, document: a.after }] : [],
  );
  return { ...obs, policies: [...obs.policies, ...policies] };
}
