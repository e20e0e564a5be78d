// exportMappings: read live Kafka mappings (by function, source) and write them as an esmctl/v1 spec that, once
// applied (adopting them), plans to no changes. Mappings owned by another esmctl set are left out, with a reason.

import { userError } from '../core/errors.js';
import { ownerOf } from '../core/tags.js';
import type { AuthSpec, DesiredMapping, LiveMapping, MappingConfig } from '../core/types.js';
import { exportSpecYaml } from '../spec/index.js';
import { matchesFunction, matchesSource } from './list.js';
import type { ServiceDeps } from './types.js';

export interface ExportInput {
  functionName?: string;
  /** MSK cluster ARN or bootstrap servers (comma-separated or a list). */
  source?: string | string[];
  /** Set name to write (default: the set that owns the mappings, else `exported`). */
  set?: string;
  region?: string;
}

export interface ExportOutcome {
  yaml: string;
  set: string;
  region: string;
  exported: Array<{ address: string; uuid: string }>;
  skipped: Array<{ uuid: string; reason: string }>;
}

export const DEFAULT_EXPORT_SET = 'exported';
const NAME_RE = /^[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?$/;

export async function exportMappings(input: ExportInput, deps: ServiceDeps): Promise<ExportOutcome> {
  if (input.set !== undefined && !NAME_RE.test(input.set)) {
    throw userError('export.bad_set', `--set '${input.set}' is not a valid set name`, 'Use letters, digits, dot, dash and underscore, starting and ending with a letter or digit.');
  }
  const ports = await deps.ports(input.region);
  const live = (await ports.mappings.listKafkaMappings())
    .filter((m) => m.state !== 'Deleting')
    .filter((m) => matchesFunction(m.config.functionArn, input.functionName))
    .filter((m) => matchesSource(m.config.source, input.source))
    .sort((a, b) => cmpStr(a.config.functionArn + a.config.topic + a.uuid, b.config.functionArn + b.config.topic + b.uuid));
  if (live.length === 0) {
    const what = [input.functionName && `function ${input.functionName}`, input.source && `source ${String(input.source)}`]
      .filter(Boolean)
      .join(' and ');
    throw userError(
      'export.nothing',
      `no Kafka event source mappings${what ? ` for ${what}` : ''} in ${ports.region}`,
      'Check --function, --source and --region (esmctl export lists only Kafka mappings: MSK and self-managed).',
    );
  }
  const owners = [...new Set(live.map((m) => ownerOf(m.tags)?.set).filter((s): s is string => !!s))];
  const setName = input.set ?? (owners.length === 1 ? owners[0] : DEFAULT_EXPORT_SET);
  const skipped: ExportOutcome['skipped'] = [];
  const used = new Set<string>();
  const mappings: DesiredMapping[] = [];
  const exported: ExportOutcome['exported'] = [];
  for (const m of live) {
    const owner = ownerOf(m.tags);
    if (owner && owner.set !== setName) {
      skipped.push({ uuid: m.uuid, reason: `owned by esmctl set ${owner.set} (export with --set ${owner.set})` });
      continue;
    }
    const name = uniqueName(owner?.mapping ?? defaultName(m), used);
    const d = desiredFromConfig(m.config, setName, name);
    mappings.push(d);
    exported.push({ address: d.address, uuid: m.uuid });
  }
  if (mappings.length === 0) {
    throw userError('export.nothing', `every matching mapping is owned by another esmctl set`, skipped.map((s) => `${s.uuid}: ${s.reason}`).join('; '));
  }
  return { yaml: exportSpecYaml({ name: setName, region: ports.region }, mappings), set: setName, region: ports.region, exported, skipped };
}

/** A mapping name from the function name and topic, e.g. `orders-handler-orders`. */
export function defaultName(m: LiveMapping): string {
  const fn = functionRef(m.config.functionArn).replace(/:/g, '-');
  return slug(`${fn}-${m.config.topic}`);
}

function slug(s: string): string {
  const out = s.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$/g, '');
  return out.length > 0 ? out.slice(0, 100).replace(/[^a-zA-Z0-9]+$/, '') : 'mapping';
}

function uniqueName(base: string, used: Set<string>): string {
  let name = NAME_RE.test(base) ? base : slug(base);
  for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
  used.add(name);
  return name;
}

/** `name` or `name:qualifier` from a function ARN (anything else is returned as is). */
export function functionRef(functionArn: string): string {
  const m = /^arn:[^:]+:lambda:[^:]+:\d+:function:(.+)$/.exec(functionArn);
  return m ? m[1] : functionArn;
}

const AUTH_OF: Record<string, AuthSpec['type'] | undefined> = {
  SASL_SCRAM_512_AUTH: 'SASL_SCRAM_512',
  SASL_SCRAM_256_AUTH: 'SASL_SCRAM_256',
  BASIC_AUTH: 'BASIC_AUTH',
  CLIENT_CERTIFICATE_TLS_AUTH: 'MTLS',
};

/**
 * The desired mapping that normalises back to `c`: fields at AWS's default are left out, the rest written out.
 * `permissions: none` — export describes mappings, it does not invent IAM policies for existing roles.
 */
export function desiredFromConfig(c: MappingConfig, set: string, name: string): DesiredMapping {
  const d: DesiredMapping = {
    set,
    name,
    address: `${set}/${name}`,
    function: functionRef(c.functionArn),
    source: c.source.kind === 'msk' ? { kind: 'msk', arn: c.source.arn } : { kind: 'self-managed', bootstrapServers: [...c.source.bootstrapServers] },
    topic: c.topic,
    startingPosition: c.startingPosition,
    permissions: 'none',
  };
  if (c.consumerGroupId !== null) d.consumerGroupId = c.consumerGroupId;
  if (c.startingPositionTimestamp !== null) d.startingPositionTimestamp = c.startingPositionTimestamp;
  if (c.batchSize !== 100) d.batchSize = c.batchSize;
  if (c.maximumBatchingWindowInSeconds !== null) d.maximumBatchingWindowInSeconds = c.maximumBatchingWindowInSeconds;
  if (!c.enabled) d.enabled = false;
  const auth: Partial<AuthSpec> = {};
  const subnets: string[] = [];
  const securityGroups: string[] = [];
  for (const a of c.sourceAccessConfigurations) {
    const type = AUTH_OF[a.type];
    if (type) {
      auth.type = type;
      auth.secretArn = a.uri;
    } else if (a.type === 'SERVER_ROOT_CA_CERTIFICATE') auth.serverRootCaSecretArn = a.uri;
    else if (a.type === 'VPC_SUBNET') subnets.push(a.uri.replace(/^subnet:/, ''));
    else if (a.type === 'VPC_SECURITY_GROUP') securityGroups.push(a.uri.replace(/^security_group:/, ''));
  }
  if (auth.type || auth.serverRootCaSecretArn) d.auth = { type: auth.type ?? 'NONE', ...auth } as AuthSpec;
  if (subnets.length > 0 || securityGroups.length > 0) d.vpc = { subnets, securityGroups };
  if (c.provisionedPollers) {
    d.provisionedPollers = { minimum: c.provisionedPollers.minimum, maximum: c.provisionedPollers.maximum };
    if (c.provisionedPollers.group) d.provisionedPollers.group = c.provisionedPollers.group;
  }
  const eh: NonNullable<DesiredMapping['errorHandling']> = {};
  if (c.maximumRetryAttempts !== -1) eh.maximumRetryAttempts = c.maximumRetryAttempts;
  if (c.maximumRecordAgeInSeconds !== -1) eh.maximumRecordAgeInSeconds = c.maximumRecordAgeInSeconds;
  if (c.bisectBatchOnFunctionError) eh.bisectBatchOnFunctionError = true;
  if (c.reportBatchItemFailures) eh.reportBatchItemFailures = true;
  if (Object.keys(eh).length > 0) d.errorHandling = eh;
  if (c.onFailure) d.onFailure = c.onFailure;
  if (c.filters.length > 0) d.filters = c.filters.map(parsePattern);
  if (c.kmsKeyArn) d.kmsKeyArn = c.kmsKeyArn;
  if (c.schemaRegistry) {
    d.schemaRegistry = { uri: c.schemaRegistry.uri, eventRecordFormat: c.schemaRegistry.eventRecordFormat };
    if (c.schemaRegistry.accessConfigs.length > 0) d.schemaRegistry.accessConfigs = c.schemaRegistry.accessConfigs.map((a) => ({ ...a }));
    if (c.schemaRegistry.validate.length > 0) d.schemaRegistry.validate = [...c.schemaRegistry.validate];
  }
  if (c.logLevel) d.logLevel = c.logLevel;
  if (c.metrics.length > 0) d.metrics = [...c.metrics];
  if (Object.keys(c.tags).length > 0) d.tags = { ...c.tags };
  return d;
}

function parsePattern(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  return { pattern: text };
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
