// The consumption validator: snapshot the mapping's group offsets, produce N test messages (or watch existing
// traffic), poll until the group's committed offsets cover them or a timeout, and give a verdict with the cause.

import type { IoHost } from '../core/events.js';
import type { KafkaMappingView } from '../core/ports.js';
import { createKafka } from './client.js';
import { kafkaError } from './errors.js';
import { compareSnapshots, snapshotWith, type OffsetSnapshot } from './offsets.js';
import { produceTestMessages, type ProduceReport } from './produce.js';
import type { KafkaConnectionSettings } from './settings.js';

export type Verdict = 'consumed' | 'partially-consumed' | 'not-consumed' | 'caught-up' | 'lagging' | 'no-traffic';

export interface ValidateOptions {
  topic: string;
  groupId: string;
  /** Where the group id came from: the mapping's custom ConsumerGroupId, its UUID, or a parameter. */
  groupSource: 'custom' | 'uuid' | 'parameter';
  /** Watch existing traffic instead of producing. */
  observe?: boolean;
  count?: number;
  sizeBytes?: number;
  timeoutMs?: number;
  pollMs?: number;
  /** Re-reads the mapping (State, LastProcessingResult) at the end; absent when validating a bare group. */
  readMapping?: () => Promise<KafkaMappingView | null>;
  host?: IoHost;
  onProgress?: (sent: number, total: number) => void;
  /** Called after each offsets poll (front-ends turn it into progress, e.g. MCP progress notifications). */
  onPoll?: (p: { elapsedMs: number; timeoutMs: number; totalLag: string }) => void;
  /** Stops polling early (the report then says what was seen so far). */
  signal?: AbortSignal;
}

export interface ValidatePartition {
  partition: number;
  producedFirst?: string;
  producedLast?: string;
  committedBefore: string | null;
  committedAfter: string | null;
  endAfter: string;
  lag: string;
  processed: string;
}

export interface ValidateReport {
  mode: 'produce' | 'observe';
  topic: string;
  groupId: string;
  groupSource: 'custom' | 'uuid' | 'parameter';
  mappingUuid?: string;
  produced: number;
  processed: number;
  covered: boolean;
  timedOut: boolean;
  /** From the end of production until the offsets covered it; null when they never did. */
  timeToConsumeMs: number | null;
  totalLag: string;
  partitions: ValidatePartition[];
  mapping: { state: string; lastProcessingResult?: string; stateTransitionReason?: string; startingPosition?: string } | null;
  group?: { state?: string; members?: number };
  verdict: Verdict;
  likelyCause?: string;
  fix?: string;
  runId?: string;
  durationMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function validateProcessing(s: KafkaConnectionSettings, o: ValidateOptions): Promise<ValidateReport> {
  const t0 = Date.now();
  const timeoutMs = o.timeoutMs ?? 60_000;
  const pollMs = o.pollMs ?? 500;
  const where = s.bootstrapServers.join(',');
  const kafka = await createKafka({ ...s, topic: o.topic }, { clientId: 'esmctl-validate', host: o.host });
  const admin = kafka.admin();
  let produce: ProduceReport | undefined;
  try {
    let before: OffsetSnapshot;
    try {
      await admin.connect();
      before = await snapshotWith(admin, o.topic, o.groupId);
    } catch (e) {
      throw kafkaError(e, { ...s, topic: o.topic }, where);
    }
    o.host?.emit({ code: 'kafka.step', level: 'info', message: `group ${o.groupId}: lag ${before.totalLag} before the test`, data: { groupId: o.groupId } });
    if (!o.observe) {
      produce = await produceTestMessages(s, { topic: o.topic, count: o.count ?? 10, sizeBytes: o.sizeBytes ?? 256, host: o.host, onProgress: o.onProgress });
      if (produce.produced === 0) {
        throw kafkaError(new Error(produce.errors[0]?.message ?? 'no message was produced'), { ...s, topic: o.topic }, where);
      }
    }
    const tProduced = Date.now();
    const isCovered = (snap: OffsetSnapshot): boolean => {
      if (o.observe) return snap.partitions.every((p) => {
        const b = before.partitions.find((x) => x.partition === p.partition);
        return p.committed !== null && BigInt(p.committed) >= BigInt(b?.end ?? p.end);
      });
      return produce!.partitions.every((pp) => {
        const c = snap.partitions.find((x) => x.partition === pp.partition)?.committed;
        return c !== null && c !== undefined && BigInt(c) > BigInt(pp.lastOffset);
      });
    };
    let after = before;
    let covered = false;
    let timeToConsumeMs: number | null = null;
    for (;;) {
      try {
        after = await snapshotWith(admin, o.topic, o.groupId);
      } catch (e) {
        throw kafkaError(e, { ...s, topic: o.topic }, where);
      }
      if (isCovered(after)) {
        covered = true;
        timeToConsumeMs = Date.now() - tProduced;
        break;
      }
      o.onPoll?.({ elapsedMs: Date.now() - tProduced, timeoutMs, totalLag: after.totalLag });
      if (Date.now() - tProduced >= timeoutMs || o.host?.signal?.aborted || o.signal?.aborted) break;
      o.host?.emit({ code: 'kafka.progress', level: 'debug', message: `waiting for group ${o.groupId}: lag ${after.totalLag}` });
      await sleep(Math.min(pollMs, Math.max(0, timeoutMs - (Date.now() - tProduced))));
    }
    let group: ValidateReport['group'];
    try {
      const g = (await admin.describeGroups([o.groupId])).groups[0];
      if (g) group = { state: g.state, members: g.members.length };
    } catch {
      // optional: needs DescribeGroups
    }
    const mapping = o.readMapping ? await o.readMapping().catch(() => null) : null;
    return report(o, before, after, produce, covered, timeToConsumeMs, mapping, group, t0);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function report(
  o: ValidateOptions,
  before: OffsetSnapshot,
  after: OffsetSnapshot,
  produce: ProduceReport | undefined,
  covered: boolean,
  timeToConsumeMs: number | null,
  mapping: KafkaMappingView | null,
  group: ValidateReport['group'],
  t0: number,
): ValidateReport {
  const cmp = compareSnapshots(before, after);
  let processed = 0n;
  const partitions: ValidatePartition[] = after.partitions.map((a) => {
    const d = cmp.partitions.find((x) => x.partition === a.partition)!;
    const pp = produce?.partitions.find((x) => x.partition === a.partition);
    let proc = 0n;
    if (produce) {
      if (pp && a.committed !== null) {
        const first = BigInt(pp.firstOffset);
        const lastPlus = BigInt(pp.lastOffset) + 1n;
        const c = BigInt(a.committed);
        proc = (c < lastPlus ? c : lastPlus) - first;
        if (proc < 0n) proc = 0n;
      }
    } else proc = BigInt(d.consumed);
    processed += proc;
    return {
      partition: a.partition,
      ...(pp ? { producedFirst: pp.firstOffset, producedLast: pp.lastOffset } : {}),
      committedBefore: d.committedBefore,
      committedAfter: a.committed,
      endAfter: a.end,
      lag: a.lag,
      processed: proc.toString(),
    };
  });
  const producedCount = produce ? produce.produced : Number(cmp.produced);
  const n = Number(processed);
  let verdict: Verdict;
  if (produce) verdict = covered ? 'consumed' : n > 0 ? 'partially-consumed' : 'not-consumed';
  else if (covered) verdict = producedCount > 0 || n > 0 ? 'caught-up' : Number(after.totalLag) === 0 ? 'no-traffic' : 'caught-up';
  else verdict = n > 0 ? 'lagging' : 'not-consumed';
  const { likelyCause, fix } = covered ? { likelyCause: undefined, fix: undefined } : explainNotCovered(o, before, mapping, group, n);
  return {
    mode: produce ? 'produce' : 'observe',
    topic: o.topic,
    groupId: o.groupId,
    groupSource: o.groupSource,
    ...(mapping ? { mappingUuid: mapping.uuid } : {}),
    produced: producedCount,
    processed: n,
    covered,
    timedOut: !covered,
    timeToConsumeMs,
    totalLag: after.totalLag,
    partitions,
    mapping: mapping
      ? {
          state: mapping.state,
          ...(mapping.lastProcessingResult ? { lastProcessingResult: mapping.lastProcessingResult } : {}),
          ...(mapping.stateTransitionReason ? { stateTransitionReason: mapping.stateTransitionReason } : {}),
          ...(mapping.startingPosition ? { startingPosition: mapping.startingPosition } : {}),
        }
      : null,
    ...(group ? { group } : {}),
    verdict,
    ...(likelyCause ? { likelyCause } : {}),
    ...(fix ? { fix } : {}),
    ...(produce ? { runId: produce.runId } : {}),
    durationMs: Date.now() - t0,
  };
}

/** The likely cause when the group did not cover the records, most specific first. */
export function explainNotCovered(
  o: ValidateOptions,
  before: OffsetSnapshot,
  mapping: KafkaMappingView | null,
  group: ValidateReport['group'],
  processed: number,
): { likelyCause?: string; fix?: string } {
  const secs = Math.round((o.timeoutMs ?? 60_000) / 1000);
  if (mapping && mapping.state !== 'Enabled') {
    return {
      likelyCause: `The mapping is ${mapping.state}: Lambda does not poll the topic${mapping.stateTransitionReason ? ` (${mapping.stateTransitionReason})` : ''}.`,
      fix: mapping.state === 'Disabled' ? 'Enable the mapping (enabled: true in the spec, then plan/apply).' : 'Wait until the mapping is Enabled and run the check again.',
    };
  }
  const lpr = mapping?.lastProcessingResult ?? '';
  if (/^PROBLEM/i.test(lpr)) {
    return { likelyCause: `Lambda reports: ${lpr}`, fix: fixForProblem(lpr) };
  }
  const nothingCommitted = before.partitions.every((p) => p.committed === null);
  if (mapping?.startingPosition === 'LATEST' && nothingCommitted && processed === 0) {
    return {
      likelyCause: 'The mapping starts at LATEST and its group has committed no offsets yet: records produced before its pollers started are skipped.',
      fix: 'Run the validation again once the mapping has started polling, or use TRIM_HORIZON for a new mapping.',
    };
  }
  if (group?.members && group.members > 0 && o.groupSource !== 'uuid' && processed === 0) {
    return {
      likelyCause: `Consumer group ${o.groupId} has ${group.members} active member(s); if another application uses the same group id, it receives the records instead of Lambda.`,
      fix: 'Give the mapping a consumer group id no other application uses.',
    };
  }
  if (processed > 0) {
    return {
      likelyCause: `The group is consuming but had not committed past every test record within ${secs} s (the function may be slow, failing and retrying, or the batching window long).`,
      fix: 'Raise --timeout, and check the function\'s errors and duration.',
    };
  }
  return {
    likelyCause: `The group ${o.groupId} committed nothing past the test records within ${secs} s${lpr ? ` (LastProcessingResult: ${lpr})` : ''}: the function may be failing (Lambda retries the batch and does not commit), or the mapping is still starting.`,
    fix: 'Check the function\'s logs and errors, run `esmctl kafka test-connection --mapping <uuid>`, then validate again.',
  };
}

function fixForProblem(text: string): string {
  if (/SASL authentication failed/i.test(text)) return 'Fix the username/password in the mapping\'s secret (and the SCRAM mechanism).';
  if (/failed to authenticate server/i.test(text)) return 'Add or correct the SERVER_ROOT_CA_CERTIFICATE secret, and check the broker certificate names the broker host.';
  if (/Server failed to authenticate Lambda/i.test(text)) return 'Give a client certificate (CLIENT_CERTIFICATE_TLS_AUTH) signed by a CA the broker trusts.';
  if (/authorize/i.test(text)) return 'Grant the topic and consumer-group ACLs (or IAM kafka-cluster actions) the mapping needs.';
  if (/Connection error|network/i.test(text)) return 'Check the bootstrap servers, VPC subnets and security groups; run `esmctl kafka test-connection`.';
  if (/Topic/i.test(text)) return 'Check the topic name or create the topic.';
  return 'Run `esmctl kafka test-connection --mapping <uuid>` for a step-by-step diagnosis.';
}
