// What the core, the reader and the executor need from the outside world, as small interfaces.
// src/aws implements them over the AWS SDK; every mutating call is idempotent by contract where AWS allows.

import type {
  LiveCluster,
  LiveFunction,
  LiveMapping,
  MappingConfig,
  PolicyDocument,
} from './types.js';

/** Lambda event source mappings (Kafka only). */
export interface MappingsPort {
  /** Every Kafka mapping in the region (all pages), with its tags. */
  listKafkaMappings(): Promise<LiveMapping[]>;
  /** null when it does not exist (or is gone). */
  getMapping(uuid: string): Promise<LiveMapping | null>;
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

export interface AwsPorts {
  region: string;
  mappings: MappingsPort;
  functions: FunctionsPort;
  iam: IamPort;
  clusters: ClustersPort;
  clock: Clock;
}
