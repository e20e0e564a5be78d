// The esmctl/v1 spec language as a JSON Schema (draft-07), written once in TypeScript and typed against the
// contract types; schemas/esmctl.schema.json is generated from buildSpecSchema() (see writeSpecSchema below).

import type {
  AuthSpec,
  AuthType,
  DesiredMapping,
  ErrorHandlingSpec,
  EventRecordFormat,
  MetricName,
  Permissions,
  ProvisionedPollersSpec,
  SchemaRegistryAccessType,
  SchemaRegistrySpec,
  StartingPosition,
  SystemLogLevel,
} from '../core/types.js';

/** A JSON Schema fragment. `x-message` is an esmctl annotation: the message shown when the fragment fails. */
export type JsonSchema = { [key: string]: unknown };

/** Every member of the union T, at least once: a missing member is a compile error. */
function allOf<T extends string>() {
  return <const A extends readonly T[]>(...values: A & ([T] extends [A[number]] ? unknown : never)): A => values;
}

export const AUTH_TYPES = allOf<AuthType>()('IAM', 'SASL_SCRAM_512', 'SASL_SCRAM_256', 'BASIC_AUTH', 'MTLS', 'NONE');
export const STARTING_POSITIONS = allOf<StartingPosition>()('TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP');
export const LOG_LEVELS = allOf<SystemLogLevel>()('DEBUG', 'INFO', 'WARN');
export const METRIC_NAMES = allOf<MetricName>()('EventCount', 'ErrorCount', 'KafkaMetrics');
export const EVENT_RECORD_FORMATS = allOf<EventRecordFormat>()('JSON', 'SOURCE');
export const REGISTRY_ACCESS_TYPES = allOf<SchemaRegistryAccessType>()(
  'BASIC_AUTH',
  'CLIENT_CERTIFICATE_TLS_AUTH',
  'SERVER_ROOT_CA_CERTIFICATE',
);
export const VALIDATE_ATTRIBUTES = allOf<'KEY' | 'VALUE'>()('KEY', 'VALUE');
export const PERMISSIONS = allOf<Permissions>()('auto', 'none');

// ───────────────────────────── patterns (from the Lambda API reference) ─────────────────────────────

export const PATTERNS = {
  /** FunctionName: name, name:qualifier, partial ARN (123456789012:function:name) or full ARN. */
  function:
    '^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?$',
  mskArn: '^arn:aws[a-zA-Z-]*:kafka:[a-z]{2}(-gov)?-[a-z]+-\\d{1}:\\d{12}:(cluster|vpc-connection)/.+$',
  bootstrapServer:
    '^(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]*[a-zA-Z0-9])\\.)*([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9\\-]*[A-Za-z0-9]):[0-9]{1,5}$',
  topic: '^[a-zA-Z0-9_-][a-zA-Z0-9._-]*$',
  consumerGroupId: '^[a-zA-Z0-9\\-/*:_+=.@]+$',
  secretArn: '^arn:aws[a-zA-Z-]*:secretsmanager:[a-z]{2}(-gov)?-[a-z]+-\\d{1}:\\d{12}:secret:.+$',
  kmsKeyArn: '^arn:aws[a-zA-Z-]*:kms:[a-z]{2}(-gov)?-[a-z]+-\\d{1}:\\d{12}:key/.+$',
  onFailure: '^(arn:aws[a-zA-Z-]*:(sqs|sns):[a-z]{2}(-gov)?-[a-z]+-\\d{1}:\\d{12}:.+|arn:aws[a-zA-Z-]*:s3:::.+|kafka://.+)$',
  registryUri: '^(arn:aws[a-zA-Z-]*:glue:[a-z]{2}(-gov)?-[a-z]+-\\d{1}:\\d{12}:registry/.+|https?://.+)$',
  subnet: '^subnet-[0-9a-f]{8}([0-9a-f]{9})?$',
  securityGroup: '^sg-[0-9a-f]{8}([0-9a-f]{9})?$',
  region: '^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d{1}$',
  name: '^[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?$',
  timestamp: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$',
} as const;

const secretArn = (description: string): JsonSchema => ({
  type: 'string',
  description,
  pattern: PATTERNS.secretArn,
  'x-message': 'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)',
});

// ───────────────────────────── sub-objects (their property sets are checked against the TS types) ─────────────────────────────

export const AUTH_PROPERTIES = {
  type: {
    type: 'string',
    enum: [...AUTH_TYPES],
    description:
      'How Lambda authenticates to the brokers. Amazon MSK: IAM, SASL_SCRAM_512, MTLS or NONE (unauthenticated). ' +
      'Self-managed Kafka: BASIC_AUTH (SASL/PLAIN), SASL_SCRAM_256, SASL_SCRAM_512, MTLS or NONE. ' +
      'Leaving `auth` out means NONE.',
  },
  secretArn: secretArn(
    'Secrets Manager ARN of the credentials: username/password for SASL_SCRAM_* and BASIC_AUTH, or the client ' +
      'certificate chain and private key for MTLS. Required for those types; not used with IAM or NONE. ' +
      'MSK SASL/SCRAM secrets must be named with the AmazonMSK_ prefix.',
  ),
  serverRootCaSecretArn: secretArn(
    'Self-managed Kafka only: Secrets Manager ARN of the root CA certificate (PEM) that signed the brokers\' ' +
      'TLS certificates, when it is a private CA (SERVER_ROOT_CA_CERTIFICATE).',
  ),
} satisfies Record<keyof AuthSpec, JsonSchema>;

export const VPC_PROPERTIES = {
  subnets: {
    type: 'array',
    description: 'Self-managed Kafka only: subnet IDs from which Lambda reaches the brokers (VPC_SUBNET). 1–16.',
    minItems: 1,
    maxItems: 16,
    uniqueItems: true,
    items: { type: 'string', pattern: PATTERNS.subnet, 'x-message': 'must be a subnet ID (subnet-0123abcd…)' },
  },
  securityGroups: {
    type: 'array',
    description: 'Self-managed Kafka only: security group IDs for the Lambda pollers (VPC_SECURITY_GROUP). 1–5.',
    minItems: 1,
    maxItems: 5,
    uniqueItems: true,
    items: { type: 'string', pattern: PATTERNS.securityGroup, 'x-message': 'must be a security group ID (sg-0123abcd…)' },
  },
} satisfies Record<keyof NonNullable<DesiredMapping['vpc']>, JsonSchema>;

export const PROVISIONED_POLLERS_PROPERTIES = {
  minimum: {
    default: 1,
    type: 'integer',
    minimum: 1,
    maximum: 200,
    description: 'Minimum event pollers (each ~5 MB/s) kept running. 1–200; AWS default 1.',
  },
  maximum: {
    default: 200,
    type: 'integer',
    minimum: 1,
    maximum: 2000,
    description: 'Maximum event pollers the mapping scales up to. 1–2000; AWS default 200. Must be ≥ minimum.',
  },
  group: {
    type: 'string',
    minLength: 1,
    maxLength: 128,
    pattern: '^[a-zA-Z0-9._-]+$',
    'x-message': 'must be 1–128 characters of letters, digits, . _ -',
    description:
      'Poller group name (PollerGroupName): mappings in the same VPC with the same group share pollers ' +
      '(up to 100 mappings per group, at most 2000 pollers in total).',
  },
} satisfies Record<keyof ProvisionedPollersSpec, JsonSchema>;

export const ERROR_HANDLING_PROPERTIES = {
  maximumRetryAttempts: {
    default: -1,
    type: 'integer',
    minimum: -1,
    maximum: 10000,
    description:
      'Retries after a function error, not counting the first attempt. -1 (AWS default) retries until the ' +
      'record expires; 0–10000. With an on-failure destination, infinite retries become 10. Provisioned mode only.',
  },
  maximumRecordAgeInSeconds: {
    default: -1,
    type: 'integer',
    anyOf: [{ const: -1 }, { minimum: 60, maximum: 604800 }],
    'x-message': 'must be -1 (infinite) or between 60 and 604800 seconds',
    description: 'Discard records older than this. -1 (AWS default) is infinite; otherwise 60–604800 seconds. Provisioned mode only.',
  },
  bisectBatchOnFunctionError: {
    default: false,
    type: 'boolean',
    description: 'Split a failing batch in two and retry each half. AWS default false. Provisioned mode only.',
  },
  reportBatchItemFailures: {
    default: false,
    type: 'boolean',
    description:
      'Let the function report which records failed (FunctionResponseTypes: ReportBatchItemFailures), so only ' +
      'those are retried. AWS default false. Provisioned mode only.',
  },
} satisfies Record<keyof ErrorHandlingSpec, JsonSchema>;

export const REGISTRY_ACCESS_CONFIG_PROPERTIES = {
  type: {
    type: 'string',
    enum: [...REGISTRY_ACCESS_TYPES],
    description: 'BASIC_AUTH (username/password secret), CLIENT_CERTIFICATE_TLS_AUTH (mTLS secret) or SERVER_ROOT_CA_CERTIFICATE.',
  },
  uri: secretArn('Secrets Manager ARN holding the credentials or certificate for the schema registry.'),
} satisfies Record<keyof NonNullable<SchemaRegistrySpec['accessConfigs']>[number], JsonSchema>;

export const SCHEMA_REGISTRY_PROPERTIES = {
  uri: {
    type: 'string',
    minLength: 1,
    maxLength: 10000,
    pattern: PATTERNS.registryUri,
    'x-message': 'must be an AWS Glue registry ARN (arn:aws:glue:REGION:ACCOUNT:registry/NAME) or a Confluent registry URL (https://…)',
    description: 'AWS Glue schema registry ARN, or the URL of a Confluent schema registry.',
  },
  eventRecordFormat: {
    type: 'string',
    enum: [...EVENT_RECORD_FORMATS],
    description: 'How decoded records reach the function: JSON (decoded to JSON) or SOURCE (original bytes, base64).',
  },
  accessConfigs: {
    type: 'array',
    description: 'Confluent registries only: how Lambda authenticates to the registry. Glue uses the execution role.',
    minItems: 1,
    maxItems: 3,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'uri'],
      properties: REGISTRY_ACCESS_CONFIG_PROPERTIES,
    },
  },
  validate: {
    type: 'array',
    description: 'Which record attributes to validate against the registry: KEY, VALUE or both.',
    minItems: 1,
    maxItems: 2,
    uniqueItems: true,
    items: { type: 'string', enum: [...VALIDATE_ATTRIBUTES] },
  },
} satisfies Record<keyof SchemaRegistrySpec, JsonSchema>;

export const SOURCE_PROPERTIES = {
  msk: {
    type: 'string',
    minLength: 12,
    maxLength: 1024,
    pattern: PATTERNS.mskArn,
    'x-message':
      'must be an MSK cluster ARN (arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/UUID) or an MSK VPC connection ARN (…:vpc-connection/…)',
    description: 'Amazon MSK: the cluster ARN, or a multi-VPC connection ARN for a cluster in another account.',
  },
  bootstrapServers: {
    type: 'array',
    minItems: 1,
    maxItems: 10,
    uniqueItems: true,
    description: 'Self-managed Apache Kafka: 1–10 bootstrap brokers as host:port.',
    items: {
      type: 'string',
      minLength: 1,
      maxLength: 300,
      pattern: PATTERNS.bootstrapServer,
      'x-message': 'must be host:port (e.g. b-1.kafka.example.com:9096)',
    },
  },
} as const satisfies Record<string, JsonSchema>;

// ───────────────────────────── a mapping ─────────────────────────────

/** The YAML keys of a mapping: DesiredMapping minus what the loader fills in itself. */
export type MappingKey = Exclude<keyof DesiredMapping, 'set' | 'address' | 'location'>;

export const MAPPING_PROPERTIES = {
  name: {
    type: 'string',
    minLength: 1,
    maxLength: 64,
    pattern: PATTERNS.name,
    'x-message': 'must be 1–64 letters, digits, . _ - (starting and ending with a letter or digit)',
    description: 'The mapping\'s name, unique within the set. With the set name it forms the address `set/name`, stored in the esmctl:mapping tag.',
  },
  function: {
    type: 'string',
    minLength: 1,
    maxLength: 140,
    pattern: PATTERNS.function,
    'x-message': 'must be a function name, name:alias, name:version, or function ARN',
    description: 'The Lambda function: name, name:alias (or :version), or ARN. Required (here or in defaults).',
  },
  source: {
    type: 'object',
    description: 'Where records come from: exactly one of `msk` (Amazon MSK) or `bootstrapServers` (self-managed Kafka). Required.',
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    properties: SOURCE_PROPERTIES,
  },
  topic: {
    type: 'string',
    minLength: 1,
    maxLength: 249,
    pattern: PATTERNS.topic,
    'x-message': "must be 1–249 characters of letters, digits, . _ - and must not start with '.'",
    description: 'The one Kafka topic to read. 1–249 characters of letters, digits, . _ -, not starting with a dot. Required.',
  },
  consumerGroupId: {
    type: 'string',
    minLength: 1,
    maxLength: 200,
    pattern: PATTERNS.consumerGroupId,
    'x-message': 'must be 1–200 characters of letters, digits and - / * : _ + = . @',
    description:
      'Kafka consumer group the mapping joins. Left out, AWS uses the mapping\'s UUID. Changing it replaces the mapping.',
  },
  startingPosition: {
    type: 'string',
    enum: [...STARTING_POSITIONS],
    description:
      'Where a new consumer group starts: TRIM_HORIZON (oldest record), LATEST (new records only) or AT_TIMESTAMP ' +
      '(with startingPositionTimestamp). Required (on the mapping or in defaults): AWS has no default for Kafka. ' +
      'Fixed at creation: changing it replaces the mapping.',
  },
  startingPositionTimestamp: {
    type: 'string',
    pattern: PATTERNS.timestamp,
    'x-message': 'must be an ISO-8601 instant with a time zone, e.g. 2024-05-01T00:00:00Z',
    description: 'ISO-8601 instant (e.g. 2024-05-01T00:00:00Z), only with AT_TIMESTAMP; must not be in the future.',
  },
  batchSize: {
    default: 100,
    type: 'integer',
    minimum: 1,
    maximum: 10000,
    description: 'Most records per invocation. 1–10000; AWS default 100.',
  },
  maximumBatchingWindowInSeconds: {
    type: 'integer',
    minimum: 0,
    maximum: 300,
    description:
      'Seconds to gather records before invoking. 0–300. Left out, AWS uses 500 ms and esmctl leaves the live value alone.',
  },
  enabled: {
    default: true,
    type: 'boolean',
    description: 'false creates (or keeps) the mapping paused. AWS default true.',
  },
  auth: {
    type: 'object',
    description: 'Authentication to the brokers (SourceAccessConfigurations).',
    additionalProperties: false,
    required: ['type'],
    properties: AUTH_PROPERTIES,
  },
  vpc: {
    type: 'object',
    description: 'Self-managed Kafka only: the VPC subnets and security groups Lambda uses to reach the brokers.',
    additionalProperties: false,
    required: ['subnets', 'securityGroups'],
    properties: VPC_PROPERTIES,
  },
  provisionedPollers: {
    type: 'object',
    description:
      'Provisioned mode (ProvisionedPollerConfig): dedicated pollers between minimum and maximum. Needed by ' +
      'errorHandling, schemaRegistry, kafka:// on-failure topics, logLevel and metrics. Left out: on-demand mode.',
    additionalProperties: false,
    minProperties: 1,
    properties: PROVISIONED_POLLERS_PROPERTIES,
  },
  errorHandling: {
    type: 'object',
    description: 'Retries and partial batch failures after a function error. Provisioned mode only.',
    additionalProperties: false,
    minProperties: 1,
    properties: ERROR_HANDLING_PROPERTIES,
  },
  onFailure: {
    type: 'string',
    minLength: 12,
    maxLength: 1024,
    pattern: PATTERNS.onFailure,
    'x-message': 'must be an SQS queue, SNS topic or S3 bucket ARN, or kafka://TOPIC',
    description:
      'On-failure destination for records that exhaust their retries: an SQS queue, SNS topic or S3 bucket ARN, ' +
      'or kafka://TOPIC (a topic on the same cluster, not the source topic; provisioned mode only).',
  },
  filters: {
    type: 'array',
    description:
      'Up to 5 event filter patterns; a record is delivered when it matches any of them. Kafka mappings filter on the ' +
      'record `value` only (e.g. { value: { amount: [{ numeric: [">", 100] }] } }, or { value: [{ prefix: "ERROR" }] } for plain strings).',
    minItems: 1,
    maxItems: 5,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['value'],
      properties: {
        value: { description: 'Pattern on the record value: JSON records are matched field by field; other records as a string.' },
      },
    },
  },
  kmsKeyArn: {
    type: 'string',
    pattern: PATTERNS.kmsKeyArn,
    'x-message': 'must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)',
    description: 'Customer-managed KMS key that encrypts the filter criteria. Left out, AWS uses an AWS-owned key.',
  },
  schemaRegistry: {
    type: 'object',
    description: 'Decode (and optionally validate) Avro/Protobuf/JSON Schema records through a schema registry. Provisioned mode only.',
    additionalProperties: false,
    required: ['uri', 'eventRecordFormat'],
    properties: SCHEMA_REGISTRY_PROPERTIES,
  },
  logLevel: {
    type: 'string',
    enum: [...LOG_LEVELS],
    description: 'System log level of the mapping\'s pollers (LoggingConfig.SystemLogLevel): DEBUG, INFO or WARN. Provisioned mode only.',
  },
  metrics: {
    type: 'array',
    description: 'Extra CloudWatch metrics (MetricsConfig): EventCount, ErrorCount, KafkaMetrics. Provisioned mode only.',
    minItems: 1,
    maxItems: 3,
    uniqueItems: true,
    items: { type: 'string', enum: [...METRIC_NAMES] },
  },
  tags: {
    type: 'object',
    description:
      'Tags on the mapping (at most 50). Keys 1–128 characters, values up to 256; `aws:` and `esmctl:` prefixes are reserved.',
    maxProperties: 50,
    propertyNames: { minLength: 1, maxLength: 128 },
    additionalProperties: { type: 'string', maxLength: 256 },
  },
  permissions: {
    default: 'auto',
    type: 'string',
    enum: [...PERMISSIONS],
    description:
      'auto (default): esmctl keeps an inline policy `esmctl-<set>` on the function\'s execution role with what the ' +
      'mapping needs. none: you manage IAM yourself.',
  },
} satisfies Record<MappingKey, JsonSchema>;

/** Keys allowed in `defaults`: every mapping key except `name`. */
export const DEFAULTS_PROPERTIES: Record<Exclude<MappingKey, 'name'>, JsonSchema> = (() => {
  const { name: _name, ...rest } = MAPPING_PROPERTIES;
  return rest;
})();

export const METADATA_PROPERTIES = {
  name: {
    type: 'string',
    minLength: 1,
    maxLength: 64,
    pattern: PATTERNS.name,
    'x-message': 'must be 1–64 letters, digits, . _ - (starting and ending with a letter or digit)',
    description:
      'The set\'s name. Every mapping the set creates carries it in the esmctl:set tag; mappings tagged with it that ' +
      'the spec no longer lists are deleted. Documents with the same name (in any file) form one set.',
  },
  region: {
    type: 'string',
    pattern: PATTERNS.region,
    'x-message': 'must be an AWS region such as us-east-1',
    description: 'AWS region of the set. Left out: --region, AWS_REGION, or the profile\'s region.',
  },
  description: { type: 'string', maxLength: 1024, description: 'Free text for people.' },
} as const satisfies Record<string, JsonSchema>;

export function buildSpecSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'esmctl MappingSet (esmctl/v1)',
    description:
      'A set of AWS Lambda event source mappings for Kafka (Amazon MSK and self-managed Apache Kafka). ' +
      'Field names follow the Lambda API in lowerCamelCase.',
    type: 'object',
    additionalProperties: false,
    required: ['apiVersion', 'kind', 'metadata', 'mappings'],
    patternProperties: {
      '^x-': { description: 'Extension fields, ignored by esmctl: a place for YAML anchors (x-common: &common …).' },
    },
    properties: {
      apiVersion: { const: 'esmctl/v1', description: 'Spec language version: esmctl/v1.' },
      kind: { const: 'MappingSet', description: 'Always MappingSet.' },
      metadata: {
        type: 'object',
        description: 'The set\'s name and region.',
        additionalProperties: false,
        required: ['name'],
        properties: METADATA_PROPERTIES,
      },
      defaults: {
        type: 'object',
        description:
          'Fields applied to every mapping of this document that leaves them out (whole fields: a mapping that sets ' +
          '`auth` replaces the default `auth` entirely).',
        additionalProperties: false,
        properties: DEFAULTS_PROPERTIES,
      },
      mappings: {
        type: 'array',
        description: 'The mappings of the set. An empty list deletes every mapping the set owns.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: MAPPING_PROPERTIES,
        },
      },
    },
  };
}

/** The text committed at schemas/esmctl.schema.json. */
export function specSchemaText(): string {
  return JSON.stringify(buildSpecSchema(), null, 2) + '\n';
}
