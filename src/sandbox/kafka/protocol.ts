// Kafka wire-protocol primitives for the sandbox broker: a bounds-checked Reader and a growable Writer
// for the fixed-width, varint, (compact) string/bytes/array and tagged-field encodings, plus request headers.

export class ProtocolError extends Error {}

export class Reader {
  offset = 0;
  constructor(readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.offset + n > this.buf.length) throw new ProtocolError(`request truncated at byte ${this.offset} (needs ${n} more)`);
  }
  remaining(): number {
    return this.buf.length - this.offset;
  }
  int8(): number {
    this.need(1);
    return this.buf.readInt8(this.offset++);
  }
  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  int64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }
  /** Unsigned LEB128 varint (32-bit). */
  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      this.need(1);
      const b = this.buf[this.offset++];
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift > 28) throw new ProtocolError('varint too long');
    }
  }
  /** Zig-zag signed varint. */
  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }
  /** Zig-zag signed varlong. */
  varlong(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      this.need(1);
      const b = BigInt(this.buf[this.offset++]);
      result |= (b & 0x7fn) << shift;
      if ((b & 0x80n) === 0n) break;
      shift += 7n;
      if (shift > 63n) throw new ProtocolError('varlong too long');
    }
    return (result >> 1n) ^ -(result & 1n);
  }
  raw(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
  string(): string {
    const s = this.nullableString();
    if (s === null) throw new ProtocolError('unexpected null string');
    return s;
  }
  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    return this.raw(len).toString('utf8');
  }
  compactString(): string {
    const s = this.compactNullableString();
    if (s === null) throw new ProtocolError('unexpected null compact string');
    return s;
  }
  compactNullableString(): string | null {
    const len = this.uvarint() - 1;
    if (len < 0) return null;
    return this.raw(len).toString('utf8');
  }
  bytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    return this.raw(len);
  }
  compactBytes(): Buffer | null {
    const len = this.uvarint() - 1;
    if (len < 0) return null;
    return this.raw(len);
  }
  array<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    if (n > this.remaining()) throw new ProtocolError(`array length ${n} exceeds request size`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  compactArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.uvarint() - 1;
    if (n < 0) return null;
    if (n > this.remaining()) throw new ProtocolError(`array length ${n} exceeds request size`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  /** Skips a tagged-field section (flexible versions). */
  taggedFields(): void {
    const n = this.uvarint();
    for (let i = 0; i < n; i++) {
      this.uvarint();
      const size = this.uvarint();
      this.raw(size);
    }
  }
}

export class Writer {
  private buf = Buffer.allocUnsafe(256);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.len);
    this.len += 1;
    return this;
  }
  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.len);
    this.len += 2;
    return this;
  }
  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.len);
    this.len += 4;
    return this;
  }
  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.len);
    this.len += 4;
    return this;
  }
  int64(v: bigint | number): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt(v), this.len);
    this.len += 8;
    return this;
  }
  uvarint(v: number): this {
    let x = v >>> 0;
    while (x >= 0x80) {
      this.int8Raw((x & 0x7f) | 0x80);
      x >>>= 7;
    }
    this.int8Raw(x);
    return this;
  }
  varint(v: number): this {
    return this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }
  varlong(v: bigint): this {
    let x = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    while (x >= 0x80n) {
      this.int8Raw(Number((x & 0x7fn) | 0x80n));
      x >>= 7n;
    }
    this.int8Raw(Number(x));
    return this;
  }
  private int8Raw(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  raw(b: Buffer): this {
    this.ensure(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
    return this;
  }
  string(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return this.int16(b.length).raw(b);
  }
  nullableString(s: string | null | undefined): this {
    if (s === null || s === undefined) return this.int16(-1);
    return this.string(s);
  }
  compactString(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return this.uvarint(b.length + 1).raw(b);
  }
  compactNullableString(s: string | null | undefined): this {
    if (s === null || s === undefined) return this.uvarint(0);
    return this.compactString(s);
  }
  bytes(b: Buffer | null | undefined): this {
    if (b === null || b === undefined) return this.int32(-1);
    return this.int32(b.length).raw(b);
  }
  array<T>(items: readonly T[] | null | undefined, item: (w: Writer, v: T) => void): this {
    if (items === null || items === undefined) return this.int32(-1);
    this.int32(items.length);
    for (const v of items) item(this, v);
    return this;
  }
  compactArray<T>(items: readonly T[] | null | undefined, item: (w: Writer, v: T) => void): this {
    if (items === null || items === undefined) return this.uvarint(0);
    this.uvarint(items.length + 1);
    for (const v of items) item(this, v);
    return this;
  }
  /** An empty tagged-field section. */
  taggedFields(): this {
    return this.uvarint(0);
  }
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
  get length(): number {
    return this.len;
  }
}

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/** Reads a request header; `flexible` decides whether header v2's tagged fields follow the client id. */
export function readRequestHeader(r: Reader, flexible: (apiKey: number, apiVersion: number) => boolean): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  if (flexible(apiKey, apiVersion)) r.taggedFields();
  return { apiKey, apiVersion, correlationId, clientId };
}
