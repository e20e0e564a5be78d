// The test-message producer: X messages of Y bytes, each with a unique id, run id, sequence and timestamp,
// keyed to spread over partitions (or one fixed key); reports per-partition counts, offsets, throughput, errors.

import { randomUUID } from 'node:crypto';
import type { Message, Producer } from 'kafkajs';
import type { IoHost } from '../core/events.js';
import { userError } from '../core/errors.js';
import { createKafka } from './client.js';
import { kafkaError } from './errors.js';
import type { KafkaConnectionSettings } from './settings.js';

export const MAX_MESSAGES = 10_000_000;
export const MAX_MESSAGE_BYTES = 1_000_000;

export interface ProduceOptions {
  topic: string;
  count: number;
  /** Size of each message value in bytes (padded JSON). */
  sizeBytes: number;
  /** One fixed key for every message; default: each message keyed by its id (spreads over partitions). */
  key?: string;
  /** Messages per produce request (default 500). */
  batchSize?: number;
  /** Produce requests in flight (default 2: more costs kafkajs more than it gains on a near broker). */
  concurrency?: number;
  runId?: string;
  host?: IoHost;
  onProgress?: (sent: number, total: number) => void;
  /** Injectable clock for tests of the report shape (default Date.now). */
  now?: () => number;
}

export interface PartitionProduced {
  partition: number;
  count: number;
  firstOffset: string;
  lastOffset: string;
}

export interface ProduceReport {
  runId: string;
  topic: string;
  requested: number;
  produced: number;
  failed: number;
  sizeBytes: number;
  keyMode: 'spread' | 'fixed';
  durationMs: number;
  messagesPerSecond: number;
  megabytesPerSecond: number;
  partitions: PartitionProduced[];
  errors: Array<{ message: string; count: number }>;
  startedAt: string;
}

/** Checks X and Y before any connection is made. */
export function checkProduceOptions(o: { count: number; sizeBytes: number; batchSize?: number; concurrency?: number }): void {
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > MAX_MESSAGES) {
    throw userError('kafka.bad-count', `count must be a whole number from 1 to ${MAX_MESSAGES} (got ${o.count}).`);
  }
  if (!Number.isInteger(o.sizeBytes) || o.sizeBytes < 1 || o.sizeBytes > MAX_MESSAGE_BYTES) {
    throw userError('kafka.bad-size', `message size must be a whole number of bytes from 1 to ${MAX_MESSAGE_BYTES} (got ${o.sizeBytes}).`);
  }
  if (o.batchSize !== undefined && (!Number.isInteger(o.batchSize) || o.batchSize < 1 || o.batchSize > 100_000)) {
    throw userError('kafka.bad-batch', `batch size must be from 1 to 100000 (got ${o.batchSize}).`);
  }
  if (o.concurrency !== undefined && (!Number.isInteger(o.concurrency) || o.concurrency < 1 || o.concurrency > 64)) {
    throw userError('kafka.bad-concurrency', `concurrency must be from 1 to 64 (got ${o.concurrency}).`);
  }
}

/** One test message value: JSON with id, runId, seq, ts, padded with `pad` to exactly sizeBytes when it fits. */
export function testMessageValue(runId: string, seq: number, ts: string, sizeBytes: number, padCache: { pad: string }): string {
  return testMessageBuffer(runId, seq, ts, sizeBytes, padCache).toString('utf8');
}

/** The same value as bytes, built without an intermediate string (kafkajs then sends it as is). */
export function testMessageBuffer(runId: string, seq: number, ts: string, sizeBytes: number, padCache: { pad: string; bytes?: Buffer }): Buffer {
  const head = `{"id":"${runId}-${seq}","runId":"${runId}","seq":${seq},"ts":"${ts}","source":"esmctl","pad":"`;
  const headLen = Buffer.byteLength(head);
  const need = sizeBytes - headLen - 2;
  if (need <= 0) return Buffer.from(`${head}"}`);
  if (!padCache.bytes || padCache.bytes.length < need) padCache.bytes = Buffer.alloc(Math.max(need, (padCache.bytes?.length ?? 0) * 2), 'x');
  const out = Buffer.allocUnsafe(sizeBytes);
  out.write(head, 0, 'utf8');
  padCache.bytes.copy(out, headLen, 0, need);
  out.write('"}', headLen + need, 'latin1');
  return out;
}

export async function produceTestMessages(s: KafkaConnectionSettings, o: ProduceOptions): Promise<ProduceReport> {
  checkProduceOptions(o);
  const now = o.now ?? Date.now;
  const runId = o.runId ?? randomUUID().slice(0, 8);
  const batchSize = o.batchSize ?? 500;
  const concurrency = o.concurrency ?? 2;
  const where = s.bootstrapServers.join(',');
  const { Partitioners } = await import('kafkajs');
  const kafka = await createKafka(s, { clientId: 'esmctl-produce', host: o.host });
  const admin = kafka.admin();
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  const perPartition = new Map<number, { count: number; first: bigint; last: bigint }>();
  const errors = new Map<string, number>();
  let produced = 0;
  let failed = 0;
  const startedAt = new Date(now()).toISOString();
  let t0 = now();
  try {
    let partitionMetadata;
    try {
      await admin.connect();
      const md = await admin.fetchTopicMetadata({ topics: [o.topic] });
      partitionMetadata = md.topics[0].partitions;
      await producer.connect();
    } catch (e) {
      throw kafkaError(e, { ...s, topic: o.topic }, where);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const partitioner = Partitioners.DefaultPartitioner();
    const padCache: { pad: string; bytes?: Buffer } = { pad: '' };
    const total = o.count;
    let next = 0;
    let consecutiveFailures = 0;
    let aborted: unknown;
    t0 = now();
    const worker = async () => {
      while (next < total && aborted === undefined) {
        const from = next;
        const to = Math.min(total, from + batchSize);
        next = to;
        const ts = new Date(now()).toISOString();
        const counts = new Map<number, number>();
        const messages: Message[] = [];
        for (let seq = from; seq < to; seq++) {
          const key = o.key ?? `${runId}-${seq}`;
          // id, run id, sequence and timestamp travel in the value (headers cost ~20% of throughput)
          const message: Message = { key, value: testMessageBuffer(runId, seq, ts, o.sizeBytes, padCache) };
          const partition = partitioner({ topic: o.topic, partitionMetadata, message });
          message.partition = partition;
          counts.set(partition, (counts.get(partition) ?? 0) + 1);
          messages.push(message);
        }
        try {
          const meta = await producer.send({ topic: o.topic, messages, acks: -1 });
          for (const m of meta) {
            const n = counts.get(m.partition) ?? 0;
            if (n === 0 || m.baseOffset === undefined) continue;
            const first = BigInt(m.baseOffset);
            const last = first + BigInt(n - 1);
            const cur = perPartition.get(m.partition);
            if (!cur) perPartition.set(m.partition, { count: n, first, last });
            else {
              cur.count += n;
              if (first < cur.first) cur.first = first;
              if (last > cur.last) cur.last = last;
            }
          }
          produced += messages.length;
          consecutiveFailures = 0;
        } catch (e) {
          failed += messages.length;
          const msg = kafkaError(e, { ...s, topic: o.topic }, where).message;
          errors.set(msg, (errors.get(msg) ?? 0) + messages.length);
          if (++consecutiveFailures >= 3) aborted = e;
        }
        o.onProgress?.(produced + failed, total);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.ceil(total / batchSize)) }, worker));
    if (aborted !== undefined) failed += total - produced - failed; // never sent
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  const durationMs = Math.max(1, now() - t0);
  return {
    runId,
    topic: o.topic,
    requested: o.count,
    produced,
    failed,
    sizeBytes: o.sizeBytes,
    keyMode: o.key === undefined ? 'spread' : 'fixed',
    durationMs,
    messagesPerSecond: Math.round((produced * 1000) / durationMs),
    megabytesPerSecond: Math.round(((produced * o.sizeBytes) / 1_048_576 / (durationMs / 1000)) * 100) / 100,
    partitions: [...perPartition.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([partition, v]) => ({ partition, count: v.count, firstOffset: v.first.toString(), lastOffset: v.last.toString() })),
    errors: [...errors.entries()].map(([message, count]) => ({ message: s.secrets.redact(message), count })),
    startedAt,
  };
}
