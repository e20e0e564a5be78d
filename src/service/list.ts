// listMappings: every Kafka event source mapping in the region (optionally for one function, source or set),
// with who owns it. Read-only; returns data.

import { ownerOf } from '../core/tags.js';
import type { KafkaSource, MappingState } from '../core/types.js';
import type { ServiceDeps } from './types.js';

export interface ListInput {
  /** Function name, name:qualifier or ARN. */
  functionName?: string;
  /** MSK cluster ARN, or bootstrap servers (comma-separated or a list). */
  source?: string | string[];
  /** Only mappings owned by this esmctl set. */
  set?: string;
  region?: string;
}

export interface ListedMapping {
  uuid: string;
  arn: string;
  state: MappingState;
  functionArn: string;
  source: KafkaSource;
  topic: string;
  consumerGroupId: string | null;
  enabled: boolean;
  batchSize: number;
  lastProcessingResult?: string;
  stateTransitionReason?: string;
  /** esmctl owner (set/mapping) when tagged. */
  owner?: { set: string; mapping?: string };
}

export interface ListOutcome {
  region: string;
  mappings: ListedMapping[];
}

export async function listMappings(input: ListInput, deps: ServiceDeps): Promise<ListOutcome> {
  const ports = await deps.ports(input.region);
  const live = await ports.mappings.listKafkaMappings();
  const mappings = live
    .filter((m) => matchesFunction(m.config.functionArn, input.functionName))
    .filter((m) => matchesSource(m.config.source, input.source))
    .filter((m) => input.set === undefined || ownerOf(m.tags)?.set === input.set)
    .map((m): ListedMapping => {
      const owner = ownerOf(m.tags);
      return {
        uuid: m.uuid,
        arn: m.arn,
        state: m.state,
        functionArn: m.config.functionArn,
        source: m.config.source,
        topic: m.config.topic,
        consumerGroupId: m.config.consumerGroupId,
        enabled: m.config.enabled,
        batchSize: m.config.batchSize,
        lastProcessingResult: m.lastProcessingResult,
        stateTransitionReason: m.stateTransitionReason,
        owner: owner ? { set: owner.set, mapping: owner.mapping } : undefined,
      };
    })
    .sort((a, b) => (a.functionArn + a.topic + a.uuid < b.functionArn + b.topic + b.uuid ? -1 : 1));
  return { region: ports.region, mappings };
}

/** Name, name:qualifier, partial or full ARN against a live function ARN. */
export function matchesFunction(functionArn: string, ref: string | undefined): boolean {
  if (!ref) return true;
  if (ref.startsWith('arn:')) return functionArn === ref;
  const m = /:function:(.+)$/.exec(functionArn);
  const nameAndQualifier = m ? m[1] : functionArn;
  if (ref.includes(':')) {
    // name:qualifier, or account:function:name partial ARN
    return nameAndQualifier === ref || functionArn.endsWith(`:${ref}`);
  }
  return nameAndQualifier === ref;
}

export function matchesSource(source: KafkaSource, ref: string | string[] | undefined): boolean {
  if (ref === undefined || (Array.isArray(ref) && ref.length === 0) || ref === '') return true;
  const list = (Array.isArray(ref) ? ref : ref.split(',')).map((s) => s.trim()).filter(Boolean);
  if (list.length === 1 && list[0].startsWith('arn:')) return source.kind === 'msk' && source.arn === list[0];
  if (source.kind !== 'self-managed') return false;
  const want = [...new Set(list)].sort().join(',');
  const have = [...new Set(source.bootstrapServers)].sort().join(',');
  return want === have;
}
