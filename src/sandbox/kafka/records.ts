// RecordBatch v2 (magic 2) for the sandbox broker: CRC32C, batch splitting and validation, record decoding
// (uncompressed and gzip) and re-basing a batch at the offset the log assigns. Other codecs are refused clearly.

import { gunzipSync } from 'node:zlib';
import { Reader, ProtocolError } from './protocol.js';

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function crc32c(buf: Buffer): number {
  let crc = 0xffffffff;
  for (let i = 0; i < buf.length; i++) crc = CRC32C_TABLE[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export const CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

export interface DecodedRecord {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<{ key: string; value: Buffer | null }>;
}

export interface StoredBatch {
  baseOffset: bigint;
  /** Offset after the last record of the batch. */
  nextOffset: bigint;
  maxTimestamp: bigint;
  /** The batch as it goes on the wire, re-based at baseOffset. */
  bytes: Buffer;
  records: DecodedRecord[];
  isControl: boolean;
}

/** Why a produced batch was refused, as a Kafka error code plus a message for logs and tests. */
export class BatchError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

const HEADER_SIZE = 61;

/** Splits a Produce `records` blob into its batches (each validated: magic 2, CRC32C, codec, records). */
export function splitBatches(blob: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    if (blob.length - at < 12) throw new BatchError(2, 'truncated record batch header');
    const batchLength = blob.readInt32BE(at + 8);
    const end = at + 12 + batchLength;
    if (batchLength < HEADER_SIZE - 12 || end > blob.length) throw new BatchError(2, 'record batch length out of range');
    out.push(blob.subarray(at, end));
    at = end;
  }
  if (out.length === 0) throw new BatchError(87, 'produce request carries no record batch');
  return out;
}

/** Validates one batch and decodes its records relative to `baseOffset`; returns the re-based stored batch. */
export function storeBatch(batch: Buffer, baseOffset: bigint): StoredBatch {
  const magic = batch.readInt8(16);
  if (magic !== 2) throw new BatchError(2, `record batch magic ${magic} is not supported (only magic 2)`);
  const crc = batch.readUInt32BE(17);
  if (crc32c(batch.subarray(21)) !== crc) throw new BatchError(2, 'record batch CRC32C mismatch (CORRUPT_MESSAGE)');
  const attributes = batch.readInt16BE(21);
  const codec = attributes & 0x07;
  const isControl = (attributes & 0x20) !== 0;
  const lastOffsetDelta = batch.readInt32BE(23);
  const firstTimestamp = batch.readBigInt64BE(27);
  const maxTimestamp = batch.readBigInt64BE(35);
  const count = batch.readInt32BE(57);
  let body = batch.subarray(HEADER_SIZE);
  if (codec === 1) {
    try {
      body = gunzipSync(body);
    } catch {
      throw new BatchError(2, 'gzip record batch does not decompress');
    }
  } else if (codec !== 0) {
    throw new BatchError(76, `compression codec ${CODEC_NAMES[codec] ?? codec} is not supported by the sandbox broker (use none or gzip)`);
  }
  const records: DecodedRecord[] = [];
  try {
    const r = new Reader(body);
    for (let i = 0; i < count; i++) {
      const len = r.varint();
      const start = r.offset;
      r.int8(); // attributes
      const tsDelta = r.varlong();
      const offsetDelta = r.varint();
      const keyLen = r.varint();
      const key = keyLen < 0 ? null : Buffer.from(r.raw(keyLen));
      const valueLen = r.varint();
      const value = valueLen < 0 ? null : Buffer.from(r.raw(valueLen));
      const nHeaders = r.varint();
      const headers: DecodedRecord['headers'] = [];
      for (let h = 0; h < nHeaders; h++) {
        const hk = r.raw(r.varint()).toString('utf8');
        const hvLen = r.varint();
        headers.push({ key: hk, value: hvLen < 0 ? null : Buffer.from(r.raw(hvLen)) });
      }
      if (r.offset - start !== len) throw new ProtocolError('record length mismatch');
      records.push({ offset: baseOffset + BigInt(offsetDelta), timestamp: firstTimestamp + tsDelta, key, value, headers });
    }
  } catch (e) {
    if (e instanceof BatchError) throw e;
    throw new BatchError(2, `record batch does not decode: ${(e as Error).message}`);
  }
  const bytes = Buffer.from(batch);
  bytes.writeBigInt64BE(baseOffset, 0); // the CRC covers bytes from `attributes` on, so re-basing keeps it valid
  return { baseOffset, nextOffset: baseOffset + BigInt(lastOffsetDelta) + 1n, maxTimestamp, bytes, records, isControl };
}
