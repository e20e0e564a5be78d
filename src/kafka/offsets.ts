// Offset snapshots of one consumer group on one topic: committed vs end (and low) offsets per partition, lag,
// and the comparison of two snapshots (what was produced and consumed between them).

import type { Admin } from 'kafkajs';
import type { IoHost } from '../core/events.js';
import { createKafka } from './client.js';
import { kafkaError } from './errors.js';
import type { KafkaConnectionSettings } from './settings.js';

export interface PartitionOffsets {
  partition: number;
  /** Next offset the group will read; null when the group has committed nothing on this partition. */
  committed: string | null;
  /** High watermark: the offset the next produced record gets. */
  end: string;
  /** Earliest retained offset. */
  low: string;
  /** end - committed (end - low when nothing is committed). */
  lag: string;
}

export interface OffsetSnapshot {
  topic: string;
  groupId: string;
  /** ISO-8601. */
  takenAt: string;
  partitions: PartitionOffsets[];
  totalLag: string;
}

export interface PartitionDelta {
  partition: number;
  /** Records appended since the first snapshot. */
  produced: string;
  /** Committed offset advance since the first snapshot. */
  consumed: string;
  committedBefore: string | null;
  committedAfter: string | null;
  endAfter: string;
  lag: string;
}

export interface OffsetComparison {
  topic: string;
  groupId: string;
  from: string;
  to: string;
  produced: string;
  consumed: string;
  /** True when every record that existed at `to` is committed (lag 0 on every partition). */
  caughtUp: boolean;
  /** True when the group has committed everything that was produced between the snapshots. */
  coveredProduced: boolean;
  partitions: PartitionDelta[];
}

const big = (s: string | null | undefined): bigint | null => (s === null || s === undefined || s === '' || Number(s) < 0 ? null : BigInt(s));

export async function snapshotWith(admin: Admin, topic: string, groupId: string, now: () => number = Date.now): Promise<OffsetSnapshot> {
  const [ends, groups] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const committed = new Map<number, string>();
  for (const p of groups.find((g) => g.topic === topic)?.partitions ?? []) committed.set(p.partition, p.offset);
  let total = 0n;
  const partitions = ends
    .map((e) => {
      const c = big(committed.get(e.partition));
      const end = BigInt(e.high);
      const low = BigInt(e.low);
      const lag = end - (c ?? low);
      total += lag > 0n ? lag : 0n;
      return { partition: e.partition, committed: c === null ? null : c.toString(), end: end.toString(), low: low.toString(), lag: (lag > 0n ? lag : 0n).toString() };
    })
    .sort((a, b) => a.partition - b.partition);
  return { topic, groupId, takenAt: new Date(now()).toISOString(), partitions, totalLag: total.toString() };
}

/** Opens an admin client, takes one snapshot, closes. */
export async function readOffsets(s: KafkaConnectionSettings, topic: string, groupId: string, host?: IoHost): Promise<OffsetSnapshot> {
  const kafka = await createKafka({ ...s, topic }, { clientId: 'esmctl-offsets', host });
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await snapshotWith(admin, topic, groupId);
  } catch (e) {
    throw kafkaError(e, { ...s, topic }, s.bootstrapServers.join(','));
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** What happened between two snapshots of the same group and topic. */
export function compareSnapshots(before: OffsetSnapshot, after: OffsetSnapshot): OffsetComparison {
  let produced = 0n;
  let consumed = 0n;
  let caughtUp = true;
  let covered = true;
  const partitions = after.partitions.map((a) => {
    const b = before.partitions.find((p) => p.partition === a.partition);
    const endBefore = b ? BigInt(b.end) : BigInt(a.low);
    const endAfter = BigInt(a.end);
    const cb = big(b?.committed ?? null);
    const ca = big(a.committed);
    const prod = endAfter - endBefore > 0n ? endAfter - endBefore : 0n;
    // With nothing committed before, count from where the new records started.
    const base = cb ?? (ca !== null && ca < endBefore ? ca : endBefore);
    const cons = ca !== null && ca > base ? ca - base : 0n;
    produced += prod;
    consumed += cons;
    const lag = BigInt(a.lag);
    if (lag > 0n) caughtUp = false;
    if (prod > 0n && (ca === null || ca < endAfter)) covered = false;
    return {
      partition: a.partition,
      produced: prod.toString(),
      consumed: cons.toString(),
      committedBefore: b?.committed ?? null,
      committedAfter: a.committed,
      endAfter: a.end,
      lag: a.lag,
    };
  });
  return {
    topic: after.topic,
    groupId: after.groupId,
    from: before.takenAt,
    to: after.takenAt,
    produced: produced.toString(),
    consumed: consumed.toString(),
    caughtUp,
    coveredProduced: covered,
    partitions,
  };
}
