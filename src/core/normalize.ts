// Normalisation: desired mappings and live configs into the one canonical MappingConfig (ARNs resolved, sets
// sorted, AWS defaults filled, filters as canonical JSON, aws:/esmctl: tags dropped). Diffs only ever see this.

import { canonicalJson, cmp } from './canonical-json.js';
import { omittedValue } from './fields.js';
import { userTags } from './tags.js';
import type {
  AuthSpec,
  DesiredMapping,
  KafkaSource,
  LiveFunction,
  MappingConfig,
  MetricName,
  SourceAccessConfig,
} from './types.js';

export interface NormalizeContext {
  region: string;
  accountId?: string;
  /** Functions as resolved by the reader; a match on `ref` gives the ARN. */
  functions: LiveFunction[];
}

/** Starting position used when a spec leaves it out (AWS requires one for Kafka; the console proposes LATEST). */
export const DEFAULT_STARTING_POSITION = 'LATEST' as const;
/** ProvisionedPollerConfig defaults when the block is present but a bound is left out. */
export const DEFAULT_MINIMUM_POLLERS = 1;
export const DEFAULT_MAXIMUM_POLLERS = 200;

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * A function reference as a full ARN: the reader's resolution when it has one, else built from the name,
 * `name:qualifier`, partial ARN `account:function:name[:q]` or full ARN. Unresolvable names stay as written.
 */
export function resolveFunctionArn(ref: string, ctx: NormalizeContext): string {
  const hit = ctx.functions.find((f) => f.ref === ref);
  if (hit) return hit.functionArn;
  if (ref.startsWith('arn:')) return ref;
  const partition = partitionOf(ctx.region);
  const parts = ref.split(':');
  if (parts.length >= 3 && parts[1] === 'function') {
    return `arn:${partition}:lambda:${ctx.region}:${ref}`;
  }
  if (!ctx.accountId) return ref;
  return `arn:${partition}:lambda:${ctx.region}:${ctx.accountId}:function:${ref}`;
}

/** The source with bootstrap servers sorted and de-duplicated. */
export function normalizeSource(source: KafkaSource): KafkaSource {
  if (source.kind === 'msk') return { kind: 'msk', arn: source.arn };
  return { kind: 'self-managed', bootstrapServers: uniqueSorted(source.bootstrapServers.map((s) => s.trim())) };
}

const AUTH_ACCESS_TYPE: Record<string, SourceAccessConfig['type'] | undefined> = {
  SASL_SCRAM_512: 'SASL_SCRAM_512_AUTH',
  SASL_SCRAM_256: 'SASL_SCRAM_256_AUTH',
  BASIC_AUTH: 'BASIC_AUTH',
  MTLS: 'CLIENT_CERTIFICATE_TLS_AUTH',
  IAM: undefined,
  NONE: undefined,
};

/** SourceAccessConfigurations as the Lambda API spells them, from the spec's auth and vpc blocks. */
export function buildSourceAccessConfigurations(
  auth: AuthSpec | undefined,
  vpc: { subnets: string[]; securityGroups: string[] } | undefined,
): SourceAccessConfig[] {
  const out: SourceAccessConfig[] = [];
  if (auth) {
    const type = AUTH_ACCESS_TYPE[auth.type];
    if (type && auth.secretArn) out.push({ type, uri: auth.secretArn });
    if (auth.serverRootCaSecretArn) out.push({ type: 'SERVER_ROOT_CA_CERTIFICATE', uri: auth.serverRootCaSecretArn });
  }
  if (vpc) {
    for (const s of vpc.subnets) out.push({ type: 'VPC_SUBNET', uri: s.startsWith('subnet:') ? s : `subnet:${s}` });
    for (const g of vpc.securityGroups) {
      out.push({ type: 'VPC_SECURITY_GROUP', uri: g.startsWith('security_group:') ? g : `security_group:${g}` });
    }
  }
  return sortAccessConfigs(out);
}

/** The desired mapping as a canonical MappingConfig. Fields left out become AWS's defaults (FIELD_RULES). */
export function normalizeDesired(d: DesiredMapping, ctx: NormalizeContext): MappingConfig {
  const eh = d.errorHandling ?? {};
  const pp = d.provisionedPollers;
  const config: MappingConfig = {
    functionArn: resolveFunctionArn(d.function, ctx),
    source: d.source,
    topic: d.topic,
    consumerGroupId: d.consumerGroupId ?? null,
    startingPosition: d.startingPosition ?? DEFAULT_STARTING_POSITION,
    startingPositionTimestamp: d.startingPositionTimestamp ?? null,
    batchSize: d.batchSize ?? (omittedValue('batchSize') as number),
    maximumBatchingWindowInSeconds: d.maximumBatchingWindowInSeconds ?? null,
    enabled: d.enabled ?? (omittedValue('enabled') as boolean),
    sourceAccessConfigurations: buildSourceAccessConfigurations(d.auth, d.vpc),
    provisionedPollers: pp
      ? {
          minimum: pp.minimum ?? DEFAULT_MINIMUM_POLLERS,
          maximum: pp.maximum ?? DEFAULT_MAXIMUM_POLLERS,
          group: pp.group ?? null,
        }
      : null,
    maximumRetryAttempts: eh.maximumRetryAttempts ?? (omittedValue('maximumRetryAttempts') as number),
    maximumRecordAgeInSeconds: eh.maximumRecordAgeInSeconds ?? (omittedValue('maximumRecordAgeInSeconds') as number),
    bisectBatchOnFunctionError: eh.bisectBatchOnFunctionError ?? (omittedValue('bisectBatchOnFunctionError') as boolean),
    reportBatchItemFailures: eh.reportBatchItemFailures ?? (omittedValue('reportBatchItemFailures') as boolean),
    onFailure: d.onFailure ?? null,
    filters: (d.filters ?? []).map((f) => canonicalJson(f)),
    kmsKeyArn: d.kmsKeyArn ?? null,
    schemaRegistry: d.schemaRegistry
      ? {
          uri: d.schemaRegistry.uri,
          eventRecordFormat: d.schemaRegistry.eventRecordFormat,
          accessConfigs: d.schemaRegistry.accessConfigs ?? [],
          validate: d.schemaRegistry.validate ?? [],
        }
      : null,
    logLevel: d.logLevel ?? null,
    metrics: d.metrics ?? [],
    tags: d.tags ?? {},
  };
  return canonicalConfig(config);
}

/**
 * Puts any MappingConfig (desired or decoded from AWS) into canonical form: sets sorted and de-duplicated,
 * filters re-serialised as canonical JSON, timestamps as ISO-8601 UTC, reserved tags dropped. Idempotent.
 */
export function canonicalConfig(c: MappingConfig): MappingConfig {
  return {
    functionArn: c.functionArn,
    source: normalizeSource(c.source),
    topic: c.topic,
    consumerGroupId: c.consumerGroupId || null,
    startingPosition: c.startingPosition,
    startingPositionTimestamp: canonicalTimestamp(c.startingPositionTimestamp),
    batchSize: c.batchSize,
    maximumBatchingWindowInSeconds: c.maximumBatchingWindowInSeconds ?? null,
    enabled: c.enabled,
    sourceAccessConfigurations: sortAccessConfigs(c.sourceAccessConfigurations ?? []),
    provisionedPollers: c.provisionedPollers
      ? { minimum: c.provisionedPollers.minimum, maximum: c.provisionedPollers.maximum, group: c.provisionedPollers.group || null }
      : null,
    maximumRetryAttempts: c.maximumRetryAttempts,
    maximumRecordAgeInSeconds: c.maximumRecordAgeInSeconds,
    bisectBatchOnFunctionError: c.bisectBatchOnFunctionError,
    reportBatchItemFailures: c.reportBatchItemFailures,
    onFailure: c.onFailure || null,
    filters: uniqueSorted((c.filters ?? []).map(canonicalFilter)),
    kmsKeyArn: c.kmsKeyArn || null,
    schemaRegistry: c.schemaRegistry
      ? {
          uri: c.schemaRegistry.uri,
          eventRecordFormat: c.schemaRegistry.eventRecordFormat,
          accessConfigs: [...c.schemaRegistry.accessConfigs]
            .map((a) => ({ type: a.type, uri: a.uri }))
            .sort((a, b) => cmp(a.type, b.type) || cmp(a.uri, b.uri)),
          validate: uniqueSorted(c.schemaRegistry.validate),
        }
      : null,
    logLevel: c.logLevel ?? null,
    metrics: uniqueSorted<MetricName>(c.metrics ?? []),
    tags: userTags(c.tags),
  };
}

/** A filter pattern (JSON text) re-serialised with sorted keys; text that is not JSON is kept as is. */
export function canonicalFilter(pattern: string): string {
  try {
    return canonicalJson(JSON.parse(pattern));
  } catch {
    return pattern;
  }
}

function canonicalTimestamp(ts: string | null | undefined): string | null {
  if (!ts) return null;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? ts : new Date(t).toISOString();
}

function sortAccessConfigs(list: SourceAccessConfig[]): SourceAccessConfig[] {
  const seen = new Set<string>();
  const out: SourceAccessConfig[] = [];
  for (const a of list) {
    const k = `${a.type}\u0000${a.uri}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ type: a.type, uri: a.uri });
  }
  return out.sort((a, b) => cmp(a.type, b.type) || cmp(a.uri, b.uri));
}

function uniqueSorted<T extends string>(list: readonly T[]): T[] {
  return [...new Set(list)].sort(cmp);
}
