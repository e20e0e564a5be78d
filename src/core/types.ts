// The shared data model of esmctl: desired mappings (from YAML), live mappings (from AWS), the canonical
// comparable MappingConfig, and the versioned Plan / ApplyReport that every front-end renders. Pure types only.

// ───────────────────────────── Spec side (what the loader produces) ─────────────────────────────

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
export type AuthType = 'IAM' | 'SASL_SCRAM_512' | 'SASL_SCRAM_256' | 'BASIC_AUTH' | 'MTLS' | 'NONE';
export type SystemLogLevel = 'DEBUG' | 'INFO' | 'WARN';
export type MetricName = 'EventCount' | 'ErrorCount' | 'KafkaMetrics';
export type EventRecordFormat = 'JSON' | 'SOURCE';
export type SchemaRegistryAccessType = 'BASIC_AUTH' | 'CLIENT_CERTIFICATE_TLS_AUTH' | 'SERVER_ROOT_CA_CERTIFICATE';
export type Permissions = 'auto' | 'none';

/** A position in a spec file, 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/** Where a mapping reads from. `msk` holds an MSK cluster ARN or an MSK VPC-connection ARN (cross-account). */
export type KafkaSource =
  | { kind: 'msk'; arn: string }
  | { kind: 'self-managed'; bootstrapServers: string[] };

export interface AuthSpec {
  type: AuthType;
  /** Secrets Manager ARN: SCRAM / BASIC_AUTH credentials, or the mTLS client certificate. */
  secretArn?: string;
  /** Self-managed only: Secrets Manager ARN of the private root CA (SERVER_ROOT_CA_CERTIFICATE). */
  serverRootCaSecretArn?: string;
}

export interface ProvisionedPollersSpec {
  minimum?: number;
  maximum?: number;
  group?: string;
}

export interface ErrorHandlingSpec {
  maximumRetryAttempts?: number;
  maximumRecordAgeInSeconds?: number;
  bisectBatchOnFunctionError?: boolean;
  reportBatchItemFailures?: boolean;
}

export interface SchemaRegistrySpec {
  /** Glue registry ARN or Confluent registry URL. */
  uri: string;
  eventRecordFormat: EventRecordFormat;
  accessConfigs?: Array<{ type: SchemaRegistryAccessType; uri: string }>;
  /** Which record attributes to validate. */
  validate?: Array<'KEY' | 'VALUE'>;
}

/** One mapping as the user declared it, with `defaults` already merged. Optional fields were left out. */
export interface DesiredMapping {
  set: string;
  name: string;
  /** `set/name`: the stable address used in plans, reports and tags. */
  address: string;
  /** As written: name, name:alias, partial or full ARN. Resolved to an ARN by normalisation. */
  function: string;
  source: KafkaSource;
  topic: string;
  consumerGroupId?: string;
  startingPosition?: StartingPosition;
  /** ISO-8601 instant, only with AT_TIMESTAMP. */
  startingPositionTimestamp?: string;
  batchSize?: number;
  maximumBatchingWindowInSeconds?: number;
  enabled?: boolean;
  auth?: AuthSpec;
  vpc?: { subnets: string[]; securityGroups: string[] };
  provisionedPollers?: ProvisionedPollersSpec;
  errorHandling?: ErrorHandlingSpec;
  /** SQS / SNS / S3 ARN, or `kafka://topic`. */
  onFailure?: string;
  /** Each filter is a pattern object (on `value`, and optionally `key`). */
  filters?: Array<Record<string, unknown>>;
  /** KMS key that encrypts the filter criteria. */
  kmsKeyArn?: string;
  schemaRegistry?: SchemaRegistrySpec;
  logLevel?: SystemLogLevel;
  metrics?: MetricName[];
  tags?: Record<string, string>;
  permissions: Permissions;
  /** Where the mapping starts in its file (for messages). */
  location?: SourceLocation;
}

export interface MappingSet {
  apiVersion: 'esmctl/v1';
  name: string;
  region?: string;
  /** Files this set was read from. */
  files: string[];
  mappings: DesiredMapping[];
}

// ───────────────────────────── The canonical comparable shape ─────────────────────────────

/** Source access configuration, as the Lambda API spells it. */
export interface SourceAccessConfig {
  type:
    | 'BASIC_AUTH'
    | 'VPC_SUBNET'
    | 'VPC_SECURITY_GROUP'
    | 'SASL_SCRAM_512_AUTH'
    | 'SASL_SCRAM_256_AUTH'
    | 'CLIENT_CERTIFICATE_TLS_AUTH'
    | 'SERVER_ROOT_CA_CERTIFICATE';
  uri: string;
}

/**
 * One mapping's configuration in one canonical shape, built from either side by normalize.ts:
 * ARNs resolved, sets sorted, AWS defaults filled, `aws:`/`esmctl:` tags dropped. Diffs run only on this.
 * `null` means "not set" (AWS default / absent), never "unknown".
 */
export interface MappingConfig {
  /** Full function ARN, qualifier kept when there is one. */
  functionArn: string;
  source: KafkaSource; // bootstrapServers sorted
  topic: string;
  /** null: the default group (the mapping's UUID). */
  consumerGroupId: string | null;
  startingPosition: StartingPosition;
  startingPositionTimestamp: string | null;
  batchSize: number;
  /** null: never set (AWS omits it, and the effective window is 500 ms). */
  maximumBatchingWindowInSeconds: number | null;
  enabled: boolean;
  /** Sorted by type then uri; includes VPC_SUBNET / VPC_SECURITY_GROUP for self-managed. */
  sourceAccessConfigurations: SourceAccessConfig[];
  provisionedPollers: { minimum: number; maximum: number; group: string | null } | null;
  maximumRetryAttempts: number; // -1 = infinite (AWS default)
  maximumRecordAgeInSeconds: number; // -1 = infinite (AWS default)
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  /** On-failure destination ARN or kafka://topic. */
  onFailure: string | null;
  /** Canonical JSON text of each pattern (keys sorted), sorted. */
  filters: string[];
  kmsKeyArn: string | null;
  schemaRegistry: {
    uri: string;
    eventRecordFormat: EventRecordFormat;
    accessConfigs: Array<{ type: SchemaRegistryAccessType; uri: string }>;
    validate: Array<'KEY' | 'VALUE'>;
  } | null;
  logLevel: SystemLogLevel | null;
  metrics: MetricName[]; // sorted
  /** User tags only. */
  tags: Record<string, string>;
}

export type MappingState =
  | 'Creating'
  | 'Enabling'
  | 'Enabled'
  | 'Disabling'
  | 'Disabled'
  | 'Updating'
  | 'Deleting';

/** A Kafka mapping as read from AWS, already decoded from the SDK shape (see src/aws/from-api.ts). */
export interface LiveMapping {
  uuid: string;
  arn: string;
  state: MappingState;
  stateTransitionReason?: string;
  lastProcessingResult?: string;
  /** ISO-8601. */
  lastModified: string;
  config: MappingConfig;
  /** All tags, including esmctl:* and aws:* ones. */
  tags: Record<string, string>;
}

/** A function the spec names, as resolved by GetFunction (or GetFunctionConfiguration). */
export interface LiveFunction {
  /** The name/qualifier as the spec wrote it. */
  ref: string;
  functionArn: string; // qualified when ref had a qualifier
  roleArn: string;
}

export interface LiveRolePolicy {
  roleName: string;
  policyName: string;
  /** null: the policy does not exist. Parsed JSON document otherwise. */
  document: PolicyDocument | null;
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, unknown>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** What we know about an MSK cluster the spec names (cluster name and uuid build kafka-cluster ARNs). */
export interface LiveCluster {
  arn: string;
  name: string;
  uuid: string;
  /** Auth modes the cluster has enabled. */
  authModes: Array<'IAM' | 'SASL_SCRAM' | 'TLS' | 'UNAUTHENTICATED'>;
}

/**
 * A Secrets Manager secret a spec references, as DescribeSecret reports it (metadata only, never the value).
 * Additive: lets the IAM policy grant kms:Decrypt on the secret's customer-managed key.
 */
export interface LiveSecret {
  arn: string;
  /** DescribeSecret's KmsKeyId (key ARN or key id); absent when the secret uses the AWS managed key. */
  kmsKeyId?: string;
}

/** Everything the reader observed, the second input of buildPlan. */
export interface Observed {
  region: string;
  accountId?: string;
  mappings: LiveMapping[];
  functions: LiveFunction[];
  policies: LiveRolePolicy[];
  clusters: LiveCluster[];
  /** Secrets the spec references (optional, additive): their KMS keys go into the IAM policy. */
  secrets?: LiveSecret[];
  /** When the read happened (ISO-8601), passed in: the core never reads the clock. */
  readAt: string;
}

// ───────────────────────────── Plan ─────────────────────────────

export type Impact = 'none' | 'update' | 'replace';

export interface FieldChange {
  /** Dotted path in MappingConfig, e.g. `batchSize`, `provisionedPollers.maximum`, `tags.team`. */
  path: string;
  before: unknown;
  after: unknown;
  impact: Impact;
}

export interface ActionBase {
  /** Stable id within the plan, e.g. `mapping:payments/settle`, `policy:role-name:esmctl-payments`. */
  id: string;
  /** `set/mapping` for mappings; `iam:role/policyName` for policies. */
  address: string;
  reason: string;
  /** ids of actions that must finish first. */
  dependsOn: string[];
}

export interface CreateAction extends ActionBase {
  kind: 'create';
  desired: MappingConfig;
  tags: Record<string, string>; // ownership + user tags, sent in the create call
}

export interface UpdateAction extends ActionBase {
  kind: 'update';
  uuid: string;
  before: MappingConfig;
  after: MappingConfig;
  changes: FieldChange[];
  /** true: live differs from what esmctl last applied for an unchanged spec (made outside esmctl). */
  drift: boolean;
  tags: Record<string, string>;
}

export interface ReplaceAction extends ActionBase {
  kind: 'replace';
  uuid: string;
  before: MappingConfig;
  after: MappingConfig;
  changes: FieldChange[];
  forcedBy: string[];
  /** Always delete-then-create: AWS refuses a second mapping with the same function, source and topic. */
  order: 'delete-before-create';
  /** e.g. "new consumer group starts at LATEST; backlog skipped". */
  consequence: string;
  drift: boolean;
  tags: Record<string, string>;
}

export interface DeleteAction extends ActionBase {
  kind: 'delete';
  uuid: string;
  before: MappingConfig;
}

export interface AdoptAction extends ActionBase {
  kind: 'adopt';
  uuid: string;
  before: MappingConfig;
  after: MappingConfig;
  /** Config changes applied after tagging (may be empty). */
  changes: FieldChange[];
  tags: Record<string, string>;
}

export interface PutPolicyAction extends ActionBase {
  kind: 'put-policy';
  roleName: string;
  policyName: string;
  before: PolicyDocument | null;
  after: PolicyDocument;
}

export interface DeletePolicyAction extends ActionBase {
  kind: 'delete-policy';
  roleName: string;
  policyName: string;
  before: PolicyDocument;
}

export type Action =
  | CreateAction
  | UpdateAction
  | ReplaceAction
  | DeleteAction
  | AdoptAction
  | PutPolicyAction
  | DeletePolicyAction;

export type ActionKind = Action['kind'];

export interface PlanWarning {
  code: string;
  address?: string;
  message: string;
}

export interface UnmanagedMapping {
  uuid: string;
  functionArn: string;
  source: KafkaSource;
  topic: string;
  /** Set when it carries another set's esmctl:set tag. */
  ownerSet?: string;
}

/** Fingerprint of one object the plan read, compared again before apply. */
export interface ObservedFingerprint {
  /** `mapping:<uuid>`, `policy:<role>:<name>`, `function:<ref>`, `absent:<natural key>` */
  key: string;
  hash: string;
}

export interface Plan {
  formatVersion: 1;
  /** ISO-8601 of the read the plan is based on. */
  createdAt: string;
  region: string;
  sets: string[];
  /** Hash of the desired spec the plan was built from. */
  specHash: string;
  actions: Action[]; // sorted by address, then kind
  warnings: PlanWarning[];
  unmanaged: UnmanagedMapping[];
  fingerprints: ObservedFingerprint[];
  summary: Record<'create' | 'update' | 'replace' | 'delete' | 'adopt' | 'putPolicy' | 'deletePolicy', number>;
}

// ───────────────────────────── Apply report ─────────────────────────────

export type ActionStatus = 'done' | 'adopted' | 'failed' | 'skipped' | 'cancelled';

export interface ActionResult {
  id: string;
  address: string;
  kind: ActionKind;
  status: ActionStatus;
  uuid?: string;
  arn?: string;
  durationMs: number;
  error?: { code: string; message: string; hint?: string; source: 'user' | 'aws' | 'internal' };
  /** For skipped: the id of the failed action that caused it. */
  skippedBecause?: string;
  warnings: string[];
}

export interface ApplyReport {
  formatVersion: 1;
  startedAt: string;
  finishedAt: string;
  results: ActionResult[];
  ok: boolean;
}
