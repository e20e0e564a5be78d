// FIELD_RULES: the one table of MappingConfig's top-level fields. Diff, plan, request building (src/aws/to-api.ts),
// export and docs read it: the AWS API name, AWS's default, how a change is applied, what leaving it out means.

import type { MappingConfig } from './types.js';

export type FieldName = keyof MappingConfig;

/** in-place: UpdateEventSourceMapping can change it; replace: only at create; tags: TagResource/UntagResource. */
export type UpdateMode = 'in-place' | 'replace' | 'tags';

/**
 * What a spec that leaves the field out means. `{ default: x }`: AWS's default, so a live value other than x is
 * a change (a console edit is reverted). `'keep-live'`: never diffs (AWS cannot restore its default in place).
 * `'required'`: the spec always has it (the loader or normalisation supplies a value).
 */
export type OmitRule = { default: unknown } | 'keep-live' | 'required';

/** How values compare: scalar, set (sorted array), object (diffed per sub-path), map (per key). */
export type FieldShape = 'scalar' | 'set' | 'object' | 'map';

export interface FieldRule {
  /** The Lambda API member(s) that carry the field, dotted inside request structures. */
  api: string;
  update: UpdateMode;
  omit: OmitRule;
  shape: FieldShape;
  /** true: AWS accepts it only on mappings in provisioned mode (ProvisionedPollerConfig set). */
  provisionedOnly: boolean;
  /** One line for docs and plan output. */
  doc: string;
}

/**
 * Defaults are AWS's documented ones (Lambda API reference, "All Kafka event source configuration parameters"):
 * BatchSize 100, Enabled true, MaximumRetryAttempts -1 and MaximumRecordAgeInSeconds -1 (infinite),
 * BisectBatchOnFunctionError false, no ReportBatchItemFailures, MaximumBatchingWindowInSeconds 500 ms when unset,
 * ProvisionedPollerConfig MinimumPollers 1 / MaximumPollers 200 when the block is given without them.
 */
export const FIELD_RULES = {
  functionArn: {
    api: 'FunctionName',
    update: 'in-place',
    omit: 'required',
    shape: 'scalar',
    provisionedOnly: false,
    doc: 'The function, resolved to its ARN (a qualifier is kept).',
  },
  source: {
    api: 'EventSourceArn | SelfManagedEventSource.Endpoints.KAFKA_BOOTSTRAP_SERVERS',
    update: 'replace',
    omit: 'required',
    shape: 'object',
    provisionedOnly: false,
    doc: 'MSK cluster (or VPC connection) ARN, or self-managed bootstrap servers (compared as a set).',
  },
  topic: {
    api: 'Topics',
    update: 'replace',
    omit: 'required',
    shape: 'scalar',
    provisionedOnly: false,
    doc: 'The Kafka topic.',
  },
  consumerGroupId: {
    api: 'AmazonManagedKafkaEventSourceConfig.ConsumerGroupId | SelfManagedKafkaEventSourceConfig.ConsumerGroupId',
    update: 'replace',
    omit: { default: null },
    shape: 'scalar',
    provisionedOnly: false,
    doc: 'Consumer group id; unset means the mapping UUID.',
  },
  startingPosition: {
    api: 'StartingPosition',
    update: 'replace',
    omit: 'required',
    shape: 'scalar',
    provisionedOnly: false,
    doc: 'Where a new consumer group starts: TRIM_HORIZON, LATEST or AT_TIMESTAMP.',
  },
  startingPositionTimestamp: {
    api: 'StartingPositionTimestamp',
    update: 'replace',
    omit: { default: null },
    shape: 'scalar',
    provisionedOnly: false,
    doc: 'The instant for AT_TIMESTAMP.',
  },
  batchSize: {
    api: 'BatchSize',
    update: 'in-place',
    omit: { default: 100 },
    shape: 'scalar',
    provisionedOnly: false,
    doc: 'Records per batch (1-10000).',
  },
  maximumBatchingWindowInSeconds: {
    api: 'MaximumBatchingWindowInSeconds',
    update: 'in-place',
    omit: 'keep-live',
    shape: 'scalar',
    provisionedOnly: false,
    doc: 'Batching window in seconds (0-300); when never set AWS uses 500 ms and cannot restore that in place.',
  },
  enabled: {
    api: 'Enabled',
    update: 'in-place',
    omit: { default: true },
    shape: 'scalar',
    provisionedOnly: false,
    doc: 'Whether the mapping polls.',
  },
  sourceAccessConfigurations: {
    api: 'SourceAccessConfigurations',
    update: 'in-place',
    omit: { default: [] },
    shape: 'set',
    provisionedOnly: false,
    doc: 'Authentication secrets and (self-managed) VPC subnets and security groups.',
  },
  provisionedPollers: {
    api: 'ProvisionedPollerConfig',
    update: 'in-place',
    omit: { default: null },
    shape: 'object',
    provisionedOnly: false,
    doc: 'Provisioned mode: minimum and maximum event pollers (defaults 1 and 200) and poller group.',
  },
  maximumRetryAttempts: {
    api: 'MaximumRetryAttempts',
    update: 'in-place',
    omit: { default: -1 },
    shape: 'scalar',
    provisionedOnly: true,
    doc: 'Retries of a failed batch; -1 is infinite.',
  },
  maximumRecordAgeInSeconds: {
    api: 'MaximumRecordAgeInSeconds',
    update: 'in-place',
    omit: { default: -1 },
    shape: 'scalar',
    provisionedOnly: true,
    doc: 'Discard records older than this; -1 is infinite.',
  },
  bisectBatchOnFunctionError: {
    api: 'BisectBatchOnFunctionError',
    update: 'in-place',
    omit: { default: false },
    shape: 'scalar',
    provisionedOnly: true,
    doc: 'Split a failing batch in two and retry.',
  },
  reportBatchItemFailures: {
    api: 'FunctionResponseTypes',
    update: 'in-place',
    omit: { default: false },
    shape: 'scalar',
    provisionedOnly: true,
    doc: 'Partial batch responses (FunctionResponseTypes [ReportBatchItemFailures]).',
  },
  onFailure: {
    api: 'DestinationConfig.OnFailure.Destination',
    update: 'in-place',
    omit: { default: null },
    shape: 'scalar',
    provisionedOnly: false,
    doc: 'On-failure destination: SQS, SNS or S3 ARN, or kafka://topic (provisioned mode).',
  },
  filters: {
    api: 'FilterCriteria.Filters',
    update: 'in-place',
    omit: { default: [] },
    shape: 'set',
    provisionedOnly: false,
    doc: 'Filter patterns (canonical JSON); removing all sends FilterCriteria {}.',
  },
  kmsKeyArn: {
    api: 'KMSKeyArn',
    update: 'in-place',
    omit: { default: null },
    shape: 'scalar',
    provisionedOnly: false,
    doc: 'KMS key that encrypts the filter criteria.',
  },
  schemaRegistry: {
    api: 'AmazonManagedKafkaEventSourceConfig.SchemaRegistryConfig | SelfManagedKafkaEventSourceConfig.SchemaRegistryConfig',
    update: 'in-place',
    omit: { default: null },
    shape: 'object',
    provisionedOnly: true,
    doc: 'Glue or Confluent schema registry, record format and validation.',
  },
  logLevel: {
    api: 'LoggingConfig.SystemLogLevel',
    update: 'in-place',
    omit: { default: null },
    shape: 'scalar',
    provisionedOnly: true,
    doc: 'Event source mapping system log level.',
  },
  metrics: {
    api: 'MetricsConfig.Metrics',
    update: 'in-place',
    omit: { default: [] },
    shape: 'set',
    provisionedOnly: false,
    doc: 'Enhanced metrics (EventCount, ErrorCount, KafkaMetrics; KafkaMetrics needs provisioned mode).',
  },
  tags: {
    api: 'Tags',
    update: 'tags',
    omit: { default: {} },
    shape: 'map',
    provisionedOnly: false,
    doc: 'User tags (aws: and esmctl: tags are never compared).',
  },
} as const satisfies Record<FieldName, FieldRule>;

/** Field names in table order. */
export const FIELD_NAMES = Object.keys(FIELD_RULES) as FieldName[];

export function fieldRule(name: FieldName): FieldRule {
  return FIELD_RULES[name];
}

/** The value a spec that leaves the field out stands for (undefined for keep-live and required fields). */
export function omittedValue(name: FieldName): unknown {
  const omit = FIELD_RULES[name].omit as OmitRule;
  return typeof omit === 'object' ? structuredClone(omit.default) : undefined;
}

/** The top-level field of a dotted FieldChange path (`provisionedPollers.maximum` → `provisionedPollers`). */
export function topField(path: string): FieldName {
  return path.split('.')[0] as FieldName;
}
