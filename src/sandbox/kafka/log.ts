// The sandbox broker's in-memory log: topics with partitions of stored record batches, offsets by time,
// and waiters so a Fetch can long-poll until data arrives.

import { storeBatch, splitBatches, type StoredBatch, type DecodedRecord } from './records.js';

export class Partition {
  batches: StoredBatch[] = [];
  nextOffset = 0n;
  private waiters = new Set<() => void>();

  append(blob: Buffer): { baseOffset: bigint } {
    // validate every batch before appending any, so a bad request leaves the log unchanged
    let next = this.nextOffset;
    const stored = splitBatches(blob).map((b) => {
      const s = storeBatch(b, next);
      next = s.nextOffset;
      return s;
    });
    const baseOffset = this.nextOffset;
    this.batches.push(...stored);
    this.nextOffset = next;
    for (const w of [...this.waiters]) w();
    return { baseOffset };
  }

  /** Raw batches from the one containing `offset`, at least one batch, up to about `maxBytes`. */
  read(offset: bigint, maxBytes: number): Buffer {
    const out: Buffer[] = [];
    let size = 0;
    for (const b of this.firstBatchIndexFrom(offset)) {
      if (out.length > 0 && size + b.bytes.length > maxBytes) break;
      out.push(b.bytes);
      size += b.bytes.length;
    }
    return Buffer.concat(out);
  }

  private *firstBatchIndexFrom(offset: bigint): Generator<StoredBatch> {
    let lo = 0;
    let hi = this.batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.batches[mid].nextOffset <= offset) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.batches.length; i++) yield this.batches[i];
  }

  /** Data records (control batches skipped) from `offset`, at most `max`. */
  records(offset: bigint, max: number): DecodedRecord[] {
    const out: DecodedRecord[] = [];
    for (const b of this.firstBatchIndexFrom(offset)) {
      if (b.isControl) continue;
      for (const r of b.records) {
        if (r.offset < offset) continue;
        out.push(r);
        if (out.length >= max) return out;
      }
    }
    return out;
  }

  /** The earliest offset whose timestamp is >= ts (ms), else the log end. */
  offsetForTimestamp(ts: bigint): bigint {
    for (const b of this.batches) {
      if (b.maxTimestamp < ts) continue;
      for (const r of b.records) if (r.timestamp >= ts) return r.offset;
    }
    return this.nextOffset;
  }

  /** Resolves when data is appended or after `ms`; returns a canceller. */
  waitForData(ms: number, done: () => void): () => void {
    let fired = false;
    const fire = () => {
      if (fired) return;
      fired = true;
      clearTimeout(timer);
      this.waiters.delete(fire);
      done();
    };
    const timer = setTimeout(fire, ms);
    this.waiters.add(fire);
    return () => {
      fired = true;
      clearTimeout(timer);
      this.waiters.delete(fire);
    };
  }
}

export class Topic {
  readonly partitions: Partition[];
  constructor(
    readonly name: string,
    partitionCount: number,
  ) {
    this.partitions = Array.from({ length: partitionCount }, () => new Partition());
  }
}

const TOPIC_NAME_RE = /^[a-zA-Z0-9._-]{1,249}$/;

export function isValidTopicName(name: string): boolean {
  return TOPIC_NAME_RE.test(name) && name !== '.' && name !== '..';
}

export class Log {
  readonly topics = new Map<string, Topic>();
  constructor(
    readonly defaultPartitions: number,
    readonly autoCreate: boolean,
  ) {}

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  create(name: string, partitions = this.defaultPartitions): Topic {
    const existing = this.topics.get(name);
    if (existing) return existing;
    const t = new Topic(name, partitions);
    this.topics.set(name, t);
    return t;
  }

  /** The topic, auto-creating it when allowed. */
  getOrAutoCreate(name: string, allow: boolean): Topic | undefined {
    const t = this.topics.get(name);
    if (t) return t;
    if (allow && this.autoCreate && isValidTopicName(name)) return this.create(name);
    return undefined;
  }
}
