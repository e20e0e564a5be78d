// The Kafka operations both front-ends call: test a connection, produce test messages, validate that a mapping
// consumed them (or watch its traffic), and the two-step offsets check. Returns data; scrubs secrets from all of it.

import { EsmctlError, isEsmctlError, userError } from '../core/errors.js';
import type { IoHost } from '../core/events.js';
import type { KafkaAwsPort, KafkaMappingView } from '../core/ports.js';
import type {
  ConnectionReport,
  DiscoveryInput,
  DiscoveryOptions,
  KafkaConnectionSettings,
  OffsetComparison,
  OffsetSnapshot,
  ProduceReport,
  SafeSettings,
  SecretBag,
  SettingsAsker,
  ValidateReport,
} from '../kafka/index.js';

/** What the Kafka operations need from their front-end. */
export interface KafkaServiceDeps {
  host: IoHost;
  /** Read-only AWS access for discovery (secrets, mappings, MSK brokers); built lazily, only when needed. */
  aws: (region?: string) => Promise<KafkaAwsPort>;
  /** Asks for settings still missing (CLI: TTY prompt; MCP: elicitation). Absent: a clear error instead. */
  asker?: SettingsAsker;
  /** How to give each setting on this front-end, for "missing" errors (flag names or tool argument names). */
  howToGive?: DiscoveryOptions['howToGive'];
}

export interface MappingRef {
  /** The mapping's UUID. */
  mappingUuid?: string;
  /** Or: function name/ARN + topic (+ MSK cluster ARN or bootstrap servers) to find it. */
  functionName?: string;
}

export interface TestConnectionInput extends DiscoveryInput {
  stepTimeoutMs?: number;
}

export interface ProduceInput extends DiscoveryInput {
  count: number;
  sizeBytes: number;
  key?: string;
  batchSize?: number;
  concurrency?: number;
  onProgress?: (sent: number, total: number) => void;
}

export interface ValidateInput extends DiscoveryInput, MappingRef {
  observe?: boolean;
  count?: number;
  sizeBytes?: number;
  timeoutMs?: number;
  pollMs?: number;
  onProgress?: (sent: number, total: number) => void;
  onPoll?: (p: { elapsedMs: number; timeoutMs: number; totalLag: string }) => void;
  signal?: AbortSignal;
}

export interface OffsetsInput extends DiscoveryInput, MappingRef {}

export interface CheckOffsetsInput extends OffsetsInput {
  /** The snapshot get_initial_offsets returned. */
  initial: OffsetSnapshot;
}

const lazyKafka = () => import('../kafka/index.js');

/** Deep-copies a result with every string scrubbed of the session's secret values. */
export function scrubDeep<T>(value: T, bag: SecretBag): T {
  if (typeof value === 'string') return bag.redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, bag)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, scrubDeep(v, bag)])) as T;
  }
  return value;
}

/** Errors leave with secrets scrubbed too (a kafkajs message could echo anything). */
async function scrubbed<T>(bag: () => SecretBag | undefined, body: () => Promise<T>): Promise<T> {
  try {
    const out = await body();
    const b = bag();
    return b ? scrubDeep(out, b) : out;
  } catch (e) {
    const b = bag();
    if (!b) throw e;
    if (isEsmctlError(e)) {
      throw new EsmctlError(e.code, b.redact(e.message), { source: e.source, hint: e.hint ? b.redact(e.hint) : undefined, awsCode: e.awsCode, httpStatus: e.httpStatus });
    }
    throw new EsmctlError('internal.error', b.redact(e instanceof Error ? e.message : String(e)), { source: 'internal' });
  }
}

function awsFor(input: DiscoveryInput, deps: KafkaServiceDeps): () => Promise<KafkaAwsPort> {
  let p: Promise<KafkaAwsPort> | undefined;
  return () => (p ??= deps.aws(input.region));
}

/** Finds the mapping a validate/offsets call is about: by UUID, or by function + topic (+ source). */
async function resolveMapping(input: ValidateInput | OffsetsInput, aws: () => Promise<KafkaAwsPort>): Promise<KafkaMappingView | null> {
  if (input.mappingUuid) {
    const port = await aws();
    const m = await port.getKafkaMapping(input.mappingUuid);
    if (!m) throw userError('kafka.mapping-not-found', `Event source mapping ${input.mappingUuid} was not found in ${port.region}.`, 'check the UUID and the region');
    return m;
  }
  if (!input.functionName) return null;
  const port = await aws();
  const all = await port.findKafkaMappings(input.functionName, input.clusterArn);
  const servers = input.bootstrapServers
    ? (Array.isArray(input.bootstrapServers) ? input.bootstrapServers : input.bootstrapServers.split(',')).map((x) => x.trim()).sort().join(',')
    : undefined;
  const matches = all.filter(
    (m) => (!input.topic || m.topic === input.topic) && (!servers || (m.bootstrapServers ?? []).slice().sort().join(',') === servers),
  );
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    throw userError(
      'kafka.mapping-not-found',
      `No Kafka mapping of function ${input.functionName}${input.topic ? ` on topic ${input.topic}` : ''} was found in ${port.region}.`,
      'check the function name, topic and source, or give the mapping UUID',
    );
  }
  throw userError(
    'kafka.mapping-ambiguous',
    `${matches.length} Kafka mappings of function ${input.functionName} match: ${matches.map((m) => `${m.uuid} (${m.topic})`).join(', ')}.`,
    'give the topic and source, or the mapping UUID',
  );
}

async function settingsFor(
  input: DiscoveryInput,
  deps: KafkaServiceDeps,
  require: Array<'topic' | 'consumerGroupId'>,
  aws = awsFor(input, deps),
): Promise<KafkaConnectionSettings> {
  const { discoverSettings } = await lazyKafka();
  return discoverSettings(input, aws, { require, asker: deps.asker, howToGive: deps.howToGive });
}

export async function testKafkaConnection(
  input: TestConnectionInput,
  deps: KafkaServiceDeps,
): Promise<{ settings: SafeSettings; report: ConnectionReport }> {
  let bag: SecretBag | undefined;
  return scrubbed(() => bag, async () => {
    const k = await lazyKafka();
    const s = await settingsFor(input, deps, []);
    bag = s.secrets;
    deps.host.emit({ code: 'kafka.step', level: 'info', message: `testing ${s.bootstrapServers.join(',')} with ${s.auth}${s.tls ? ' over TLS' : ''}` });
    const report = await k.testConnection(s, { stepTimeoutMs: input.stepTimeoutMs, host: deps.host, groupId: s.consumerGroupId });
    return { settings: k.safeSettings(s), report };
  });
}

export async function produceMessages(input: ProduceInput, deps: KafkaServiceDeps): Promise<{ settings: SafeSettings; report: ProduceReport }> {
  let bag: SecretBag | undefined;
  return scrubbed(() => bag, async () => {
    const k = await lazyKafka();
    k.checkProduceOptions(input);
    const s = await settingsFor(input, deps, ['topic']);
    bag = s.secrets;
    const report = await k.produceTestMessages(s, {
      topic: s.topic!,
      count: input.count,
      sizeBytes: input.sizeBytes,
      ...(input.key !== undefined ? { key: input.key } : {}),
      ...(input.batchSize ? { batchSize: input.batchSize } : {}),
      ...(input.concurrency ? { concurrency: input.concurrency } : {}),
      host: deps.host,
      onProgress: input.onProgress,
    });
    return { settings: k.safeSettings(s), report };
  });
}

/** Group of a mapping: its custom ConsumerGroupId, else its UUID (never assumed when a custom one is set). */
function groupOf(input: DiscoveryInput, mapping: KafkaMappingView | null): { groupId: string; groupSource: 'custom' | 'uuid' | 'parameter' } {
  if (input.consumerGroupId) return { groupId: input.consumerGroupId, groupSource: 'parameter' };
  // AWS may echo the UUID as the ConsumerGroupId when none was set: that is still the default group.
  if (mapping?.consumerGroupId && mapping.consumerGroupId !== mapping.uuid) return { groupId: mapping.consumerGroupId, groupSource: 'custom' };
  if (mapping) return { groupId: mapping.uuid, groupSource: 'uuid' };
  throw userError('kafka.no-group', 'No mapping and no consumer group given.', 'give the mapping UUID (or function + topic), or a consumer group id');
}

export async function validateEsmProcessing(input: ValidateInput, deps: KafkaServiceDeps): Promise<{ settings: SafeSettings; report: ValidateReport }> {
  let bag: SecretBag | undefined;
  return scrubbed(() => bag, async () => {
    const k = await lazyKafka();
    if (!input.observe) k.checkProduceOptions({ count: input.count ?? 10, sizeBytes: input.sizeBytes ?? 256 });
    if (input.timeoutMs !== undefined && !(input.timeoutMs > 0)) throw userError('kafka.bad-timeout', 'timeout must be more than zero.');
    const aws = awsFor(input, deps);
    const mapping = await resolveMapping(input, aws);
    const { groupId, groupSource } = groupOf(input, mapping);
    const s = await settingsFor({ ...input, ...(mapping ? { mappingUuid: mapping.uuid } : {}) }, deps, ['topic'], aws);
    bag = s.secrets;
    const report = await k.validateProcessing(s, {
      topic: s.topic!,
      groupId,
      groupSource,
      observe: input.observe === true,
      ...(input.count !== undefined ? { count: input.count } : {}),
      ...(input.sizeBytes !== undefined ? { sizeBytes: input.sizeBytes } : {}),
      ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
      ...(input.pollMs !== undefined ? { pollMs: input.pollMs } : {}),
      ...(mapping ? { readMapping: async () => (await aws()).getKafkaMapping(mapping.uuid) } : {}),
      host: deps.host,
      onProgress: input.onProgress,
      ...(input.onPoll ? { onPoll: input.onPoll } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return { settings: k.safeSettings(s), report };
  });
}

export async function getInitialOffsets(input: OffsetsInput, deps: KafkaServiceDeps): Promise<{ settings: SafeSettings; snapshot: OffsetSnapshot; mapping?: { uuid: string; state: string } }> {
  let bag: SecretBag | undefined;
  return scrubbed(() => bag, async () => {
    const k = await lazyKafka();
    const aws = awsFor(input, deps);
    const mapping = await resolveMapping(input, aws);
    const { groupId } = groupOf(input, mapping);
    const s = await settingsFor({ ...input, ...(mapping ? { mappingUuid: mapping.uuid } : {}) }, deps, ['topic'], aws);
    bag = s.secrets;
    const snapshot = await k.readOffsets(s, s.topic!, groupId, deps.host);
    return { settings: k.safeSettings(s), snapshot, ...(mapping ? { mapping: { uuid: mapping.uuid, state: mapping.state } } : {}) };
  });
}

export async function checkOffsetsAfterProduction(
  input: CheckOffsetsInput,
  deps: KafkaServiceDeps,
): Promise<{ settings: SafeSettings; comparison: OffsetComparison; snapshot: OffsetSnapshot; mapping?: { uuid: string; state: string; lastProcessingResult?: string } }> {
  let bag: SecretBag | undefined;
  return scrubbed(() => bag, async () => {
    const k = await lazyKafka();
    const initial = input.initial;
    if (!initial || typeof initial.groupId !== 'string' || typeof initial.topic !== 'string' || !Array.isArray(initial.partitions)) {
      throw userError('kafka.bad-snapshot', 'initial must be the snapshot get_initial_offsets returned (topic, groupId, partitions).');
    }
    const aws = awsFor(input, deps);
    const mapping = input.mappingUuid || input.functionName ? await resolveMapping(input, aws) : null;
    const s = await settingsFor({ ...input, topic: input.topic ?? initial.topic, ...(mapping ? { mappingUuid: mapping.uuid } : {}) }, deps, ['topic'], aws);
    bag = s.secrets;
    const snapshot = await k.readOffsets(s, initial.topic, initial.groupId, deps.host);
    return {
      settings: k.safeSettings(s),
      comparison: k.compareSnapshots(initial, snapshot),
      snapshot,
      ...(mapping ? { mapping: { uuid: mapping.uuid, state: mapping.state, ...(mapping.lastProcessingResult ? { lastProcessingResult: mapping.lastProcessingResult } : {}) } } : {}),
    };
  });
}
