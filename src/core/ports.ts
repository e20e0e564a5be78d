// What the core, the reader and the executor need from the outside world, as small interfaces.
// src/aws implements them over the AWS SDK; every mutating call is idempotent by contract where AWS allows.

import type {
  SourceAccessConfig,
  LiveCluster,
  LiveFunction,
  LiveMapping,
  LiveSecret,
  MappingConfig,
  PolicyDocument,
} from './types.js';

/** Lambda event source mappings (Kafka only). */
export interface MappingsPort {
  /** Every Kafka mapping in the region (all pages), with its tags. */
  listKafkaMappings(): Promise<LiveMapping[]>;
  /** null when it does not exist (or is gone). `tags: false` skips the tags read (state polling). */
  getMapping(uuid: string, options?: { tags?: boolean }): Promise<LiveMapping | null>;
  /** Creates with the tags in the same call. Returns the new mapping as AWS answered (usually `Creating`). */
  createMapping(config: MappingConfig, tags: Record<string, string>): Promise<LiveMapping>;
  /** Sends only what `changed` lists (paths of MappingConfig top-level fields), with explicit resets. */
  updateMapping(uuid: string, config: MappingConfig, changed: string[]): Promise<LiveMapping>;
  deleteMapping(uuid: string): Promise<void>;
  tagMapping(arn: string, tags: Record<string, string>): Promise<void>;
  untagMapping(arn: string, keys: string[]): Promise<void>;
}

export interface FunctionsPort {
  /** Resolves a name, name:alias or ARN; null when the function does not exist. */
  getFunction(ref: string): Promise<LiveFunction | null>;
}

export interface IamPort {
  /** null when the inline policy does not exist. */
  getRolePolicy(roleName: string, policyName: string): Promise<PolicyDocument | null>;
  putRolePolicy(roleName: string, policyName: string, document: PolicyDocument): Promise<void>;
  /** Idempotent: deleting a missing policy succeeds. */
  deleteRolePolicy(roleName: string, policyName: string): Promise<void>;
}

export interface ClustersPort {
  /** null when the cluster does not exist or cannot be described. */
  describeCluster(arn: string): Promise<LiveCluster | null>;
}

/** Time is passed in so the core stays pure and tests are deterministic. */
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

/** Secrets Manager metadata (additive, optional): DescribeSecret only, never GetSecretValue. */
export interface SecretsPort {
  /** null when the secret does not exist or cannot be described. */
  describeSecret(arn: string): Promise<LiveSecret | null>;
}

export interface AwsPorts {
  region: string;
  mappings: MappingsPort;
  functions: FunctionsPort;
  iam: IamPort;
  clusters: ClustersPort;
  clock: Clock;
  /** Optional (additive): when present, the reader fills Observed.secrets for kms:Decrypt grants. */
  secrets?: SecretsPort;
}

// ───────────────────────────── Kafka tools (additive: src/aws/kafka-discovery.ts implements it) ─────────────────────────────

/** A Kafka mapping as the Kafka tools need it: API field names decoded, nothing normalised. */
export interface KafkaMappingView {
  uuid: string;
  functionArn: string;
  /** MSK cluster ARN when the source is MSK. */
  eventSourceArn?: string;
  /** Self-managed bootstrap servers when the source is self-managed. */
  bootstrapServers?: string[];
  topic: string;
  /** The custom ConsumerGroupId when set; absent means the group is the mapping's UUID. */
  consumerGroupId?: string;
  startingPosition?: string;
  state: string;
  stateTransitionReason?: string;
  lastProcessingResult?: string;
  sourceAccessConfigurations: SourceAccessConfig[];
}

/** GetBootstrapBrokers, by auth mode (absent when the cluster does not offer it). */
export interface MskBootstrapBrokers {
  plaintext?: string;
  tls?: string;
  saslScram?: string;
  saslIam?: string;
}

/** The AWS reads the Kafka tools make: read-only, never mutating. */
export interface KafkaAwsPort {
  region: string;
  /** SecretString of a Secrets Manager secret. Callers must never log or print it. */
  getSecretString(arn: string): Promise<string>;
  /** null when the mapping does not exist. */
  getKafkaMapping(uuid: string): Promise<KafkaMappingView | null>;
  /** Kafka mappings of a function (optionally for one event source ARN). */
  findKafkaMappings(functionName: string, eventSourceArn?: string): Promise<KafkaMappingView[]>;
  getBootstrapBrokers(clusterArn: string): Promise<MskBootstrapBrokers>;
}
