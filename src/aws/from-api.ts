// Decoding of Lambda API shapes (EventSourceMappingConfiguration, GetFunction, GetRolePolicy, DescribeClusterV2)
// into the core's LiveMapping / MappingConfig / LiveCluster; AWS defaults filled, then core canonicalConfig.

import { canonicalConfig } from '../core/normalize.js';
import type {
  EventRecordFormat,
  KafkaSource,
  LiveCluster,
  LiveMapping,
  MappingConfig,
  MappingState,
  MetricName,
  PolicyDocument,
  SchemaRegistryAccessType,
  SourceAccessConfig,
  StartingPosition,
  SystemLogLevel,
} from '../core/types.js';

/** The subset of the SDK's EventSourceMappingConfiguration we read (kept structural so tests need no SDK). */
export interface ApiMapping {
  UUID?: string;
  EventSourceMappingArn?: string;
  EventSourceArn?: string;
  FunctionArn?: string;
  State?: string;
  StateTransitionReason?: string;
  LastProcessingResult?: string;
  LastModified?: Date | string | number;
  StartingPosition?: string;
  StartingPositionTimestamp?: Date | string | number;
  BatchSize?: number;
  MaximumBatchingWindowInSeconds?: number;
  Topics?: string[];
  SourceAccessConfigurations?: Array<{ Type?: string; URI?: string }>;
  SelfManagedEventSource?: { Endpoints?: Partial<Record<string, string[]>> };
  AmazonManagedKafkaEventSourceConfig?: ApiKafkaConfig;
  SelfManagedKafkaEventSourceConfig?: ApiKafkaConfig;
  ProvisionedPollerConfig?: { MinimumPollers?: number; MaximumPollers?: number; PollerGroupName?: string };
  MaximumRetryAttempts?: number;
  MaximumRecordAgeInSeconds?: number;
  BisectBatchOnFunctionError?: boolean;
  FunctionResponseTypes?: string[];
  DestinationConfig?: { OnFailure?: { Destination?: string } };
  FilterCriteria?: { Filters?: Array<{ Pattern?: string }> };
  KMSKeyArn?: string;
  LoggingConfig?: { SystemLogLevel?: string };
  MetricsConfig?: { Metrics?: string[] };
}

interface ApiKafkaConfig {
  ConsumerGroupId?: string;
  SchemaRegistryConfig?: {
    SchemaRegistryURI?: string;
    EventRecordFormat?: string;
    AccessConfigs?: Array<{ Type?: string; URI?: string }>;
    SchemaValidationConfigs?: Array<{ Attribute?: string }>;
  };
}

export const KAFKA_BOOTSTRAP = 'KAFKA_BOOTSTRAP_SERVERS';
/** Lambda's default batch size for Kafka sources. */
export const KAFKA_DEFAULT_BATCH_SIZE = 100;

/** True for MSK (arn:aws:kafka:…, any partition) and self-managed Kafka sources. */
export function isKafkaApiMapping(m: ApiMapping): boolean {
  if (m.EventSourceArn && /^arn:aws[\w-]*:kafka:/.test(m.EventSourceArn)) return true;
  return Boolean(m.SelfManagedEventSource?.Endpoints?.[KAFKA_BOOTSTRAP]?.length);
}

function iso(v: Date | string | number | undefined): string | null {
  if (v === undefined || v === null) return null;
  const d = v instanceof Date ? v : new Date(typeof v === 'number' && v < 1e12 ? v * 1000 : v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function sourceOf(m: ApiMapping): KafkaSource {
  if (m.EventSourceArn) return { kind: 'msk', arn: m.EventSourceArn };
  const servers = [...(m.SelfManagedEventSource?.Endpoints?.[KAFKA_BOOTSTRAP] ?? [])];
  return { kind: 'self-managed', bootstrapServers: servers };
}

/** The canonical MappingConfig of an API mapping. `tags` are all its tags (only user tags are kept). */
export function configFromApi(m: ApiMapping, tags: Record<string, string> = {}): MappingConfig {
  return canonicalConfig(rawConfigFromApi(m, tags));
}

function rawConfigFromApi(m: ApiMapping, tags: Record<string, string>): MappingConfig {
  const kafka = m.AmazonManagedKafkaEventSourceConfig ?? m.SelfManagedKafkaEventSourceConfig;
  const group = kafka?.ConsumerGroupId;
  const sr = kafka?.SchemaRegistryConfig;
  const pp = m.ProvisionedPollerConfig;
  const hasPollers = pp !== undefined && (pp.MinimumPollers !== undefined || pp.MaximumPollers !== undefined || pp.PollerGroupName);
  return {
    functionArn: m.FunctionArn ?? '',
    source: sourceOf(m),
    topic: m.Topics?.[0] ?? '',
    // AWS reports the default group as the mapping's own UUID.
    consumerGroupId: group && group !== m.UUID ? group : null,
    startingPosition: (m.StartingPosition ?? 'LATEST') as StartingPosition,
    startingPositionTimestamp: m.StartingPosition === 'AT_TIMESTAMP' ? iso(m.StartingPositionTimestamp) : null,
    batchSize: m.BatchSize ?? KAFKA_DEFAULT_BATCH_SIZE,
    maximumBatchingWindowInSeconds: m.MaximumBatchingWindowInSeconds ?? null,
    enabled: !(m.State === 'Disabled' || m.State === 'Disabling'),
    sourceAccessConfigurations: (m.SourceAccessConfigurations ?? [])
      .map((s) => ({ type: s.Type as SourceAccessConfig['type'], uri: s.URI ?? '' })),
    provisionedPollers: hasPollers
      ? { minimum: pp!.MinimumPollers ?? 1, maximum: pp!.MaximumPollers ?? 200, group: pp!.PollerGroupName ?? null }
      : null,
    maximumRetryAttempts: m.MaximumRetryAttempts ?? -1,
    maximumRecordAgeInSeconds: m.MaximumRecordAgeInSeconds ?? -1,
    bisectBatchOnFunctionError: m.BisectBatchOnFunctionError ?? false,
    reportBatchItemFailures: (m.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
    onFailure: m.DestinationConfig?.OnFailure?.Destination || null,
    filters: (m.FilterCriteria?.Filters ?? [])
      .map((f) => f.Pattern)
      .filter((p): p is string => typeof p === 'string'),
    kmsKeyArn: m.KMSKeyArn || null,
    schemaRegistry: sr?.SchemaRegistryURI
      ? {
          uri: sr.SchemaRegistryURI,
          eventRecordFormat: (sr.EventRecordFormat ?? 'JSON') as EventRecordFormat,
          accessConfigs: (sr.AccessConfigs ?? [])
            .map((a) => ({ type: a.Type as SchemaRegistryAccessType, uri: a.URI ?? '' })),
          validate: (sr.SchemaValidationConfigs ?? []).map((v) => v.Attribute as 'KEY' | 'VALUE'),
        }
      : null,
    logLevel: (m.LoggingConfig?.SystemLogLevel as SystemLogLevel | undefined) ?? null,
    metrics: (m.MetricsConfig?.Metrics ?? []) as MetricName[],
    tags,
  };
}

/** SDK mapping + its tags → LiveMapping. */
export function fromApiMapping(m: ApiMapping, tags: Record<string, string> = {}): LiveMapping {
  const live: LiveMapping = {
    uuid: m.UUID ?? '',
    arn: m.EventSourceMappingArn ?? '',
    state: (m.State ?? 'Creating') as MappingState,
    lastModified: iso(m.LastModified) ?? new Date(0).toISOString(),
    config: configFromApi(m, tags),
    tags: { ...tags },
  };
  if (m.StateTransitionReason) live.stateTransitionReason = m.StateTransitionReason;
  if (m.LastProcessingResult) live.lastProcessingResult = m.LastProcessingResult;
  return live;
}

/** GetRolePolicy returns the document URL-encoded (RFC 3986); the sandbox may return it plain. */
export function decodePolicyDocument(text: string): PolicyDocument {
  let decoded = text;
  if (!text.trimStart().startsWith('{')) {
    try {
      decoded = decodeURIComponent(text);
    } catch {
      decoded = text;
    }
  }
  return JSON.parse(decoded) as PolicyDocument;
}

/** The subset of DescribeClusterV2's ClusterInfo we read. */
export interface ApiCluster {
  ClusterArn?: string;
  ClusterName?: string;
  ClusterType?: string;
  Provisioned?: { ClientAuthentication?: ApiClientAuth };
  Serverless?: { ClientAuthentication?: { Sasl?: { Iam?: { Enabled?: boolean } } } };
}

interface ApiClientAuth {
  Sasl?: { Iam?: { Enabled?: boolean }; Scram?: { Enabled?: boolean } };
  Tls?: { Enabled?: boolean; CertificateAuthorityArnList?: string[] };
  Unauthenticated?: { Enabled?: boolean };
}

/** MSK cluster ARN: arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>. */
export function clusterFromApi(c: ApiCluster, arn: string): LiveCluster {
  const clusterArn = c.ClusterArn ?? arn;
  const parts = /:cluster\/([^/]+)\/([^/]+)$/.exec(clusterArn);
  const authModes: LiveCluster['authModes'] = [];
  const auth = c.Provisioned?.ClientAuthentication;
  if (auth?.Sasl?.Iam?.Enabled || c.Serverless?.ClientAuthentication?.Sasl?.Iam?.Enabled) authModes.push('IAM');
  if (auth?.Sasl?.Scram?.Enabled) authModes.push('SASL_SCRAM');
  if (auth?.Tls?.Enabled || (auth?.Tls?.CertificateAuthorityArnList?.length ?? 0) > 0) authModes.push('TLS');
  if (auth?.Unauthenticated?.Enabled || (c.Provisioned && !auth)) authModes.push('UNAUTHENTICATED');
  return { arn: clusterArn, name: c.ClusterName ?? parts?.[1] ?? '', uuid: parts?.[2] ?? '', authModes };
}
