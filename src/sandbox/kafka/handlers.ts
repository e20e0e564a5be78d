// Request handlers of the sandbox broker, one per Kafka API key: decode the request body for its version,
// act on the in-memory log / group coordinator, encode the response body. SASL is handled in broker.ts.

import { Reader, Writer } from './protocol.js';
import { BatchError } from './records.js';
import { isValidTopicName, type Log, type Partition } from './log.js';
import { ERR, type GroupCoordinator } from './groups.js';

export const API = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  InitProducerId: 22,
  SaslAuthenticate: 36,
  DeleteGroups: 42,
} as const;

export const API_NAMES: Record<number, string> = Object.fromEntries(Object.entries(API).map(([k, v]) => [v, k]));

/** Supported [min, max] versions per API key, as ApiVersions advertises them. Only ApiVersions v3 is flexible. */
export const SUPPORTED: Record<number, [number, number]> = {
  [API.Produce]: [3, 7],
  [API.Fetch]: [4, 11],
  [API.ListOffsets]: [1, 3],
  [API.Metadata]: [0, 8],
  [API.OffsetCommit]: [2, 5],
  [API.OffsetFetch]: [1, 5],
  [API.FindCoordinator]: [0, 2],
  [API.JoinGroup]: [0, 5],
  [API.Heartbeat]: [0, 3],
  [API.LeaveGroup]: [0, 2],
  [API.SyncGroup]: [0, 3],
  [API.DescribeGroups]: [0, 2],
  [API.ListGroups]: [0, 2],
  [API.SaslHandshake]: [0, 1],
  [API.ApiVersions]: [0, 3],
  [API.CreateTopics]: [0, 4],
  [API.DeleteTopics]: [0, 3],
  [API.InitProducerId]: [0, 1],
  [API.SaslAuthenticate]: [0, 1],
  [API.DeleteGroups]: [0, 1],
};

export const ERROR = {
  ...ERR,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  INVALID_TOPIC_EXCEPTION: 17,
  INVALID_REQUIRED_ACKS: 21,
  UNSUPPORTED_SASL_MECHANISM: 33,
  ILLEGAL_SASL_STATE: 34,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REQUEST: 42,
  SASL_AUTHENTICATION_FAILED: 58,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  NON_EMPTY_GROUP: 68,
  GROUP_ID_NOT_FOUND: 69,
} as const;

export const NODE_ID = 1;
export const CLUSTER_ID = 'esmctl-sandbox-cluster';

export interface HandlerContext {
  log: Log;
  groups: GroupCoordinator;
  /** The listener's advertised host and port (clients must reconnect to the same listener). */
  advertised: { host: string; port: number };
  clientId: string;
  clientHost: string;
  /** Registers a callback run if the connection closes while a handler waits; returns its unregistration. */
  onClose(cancel: () => void): () => void;
}

/** Encodes the ApiVersions response body (v0..v3); unsupported request versions get error 35 in v0 shape. */
export function apiVersionsResponse(version: number, errorCode = 0): Buffer {
  const w = new Writer();
  w.int16(errorCode);
  const keys = Object.entries(SUPPORTED).map(([k, [min, max]]) => ({ key: Number(k), min, max }));
  if (version >= 3) {
    w.compactArray(keys, (w2, k) => w2.int16(k.key).int16(k.min).int16(k.max).taggedFields());
    w.int32(0); // throttle
    w.taggedFields();
  } else {
    w.array(keys, (w2, k) => w2.int16(k.key).int16(k.min).int16(k.max));
    if (version >= 1) w.int32(0);
  }
  return w.toBuffer();
}

const int32Array = (w: Writer, xs: number[]) => w.array(xs, (w2, x) => w2.int32(x));

function handleMetadata(v: number, r: Reader, ctx: HandlerContext): Buffer {
  const topicsReq = r.array((rr) => rr.string());
  const allowAuto = v >= 4 ? r.int8() !== 0 : true;
  const all = topicsReq === null || (v === 0 && topicsReq.length === 0);
  const names = all ? [...ctx.log.topics.keys()].sort() : topicsReq!;
  const w = new Writer();
  if (v >= 3) w.int32(0);
  w.array([ctx.advertised], (w2, b) => {
    w2.int32(NODE_ID).string(b.host).int32(b.port);
    if (v >= 1) w2.nullableString(null);
  });
  if (v >= 2) w.nullableString(CLUSTER_ID);
  if (v >= 1) w.int32(NODE_ID);
  w.array(names, (w2, name) => {
    const topic = isValidTopicName(name) ? ctx.log.getOrAutoCreate(name, allowAuto) : undefined;
    const errorCode = topic ? 0 : isValidTopicName(name) ? ERROR.UNKNOWN_TOPIC_OR_PARTITION : ERROR.INVALID_TOPIC_EXCEPTION;
    w2.int16(errorCode).string(name);
    if (v >= 1) w2.int8(0);
    w2.array(topic ? topic.partitions.map((_, i) => i) : [], (w3, i) => {
      w3.int16(0).int32(i).int32(NODE_ID);
      if (v >= 7) w3.int32(0);
      int32Array(w3, [NODE_ID]);
      int32Array(w3, [NODE_ID]);
      if (v >= 5) int32Array(w3, []);
    });
    if (v >= 8) w2.int32(-2147483648);
  });
  if (v >= 8) w.int32(-2147483648);
  return w.toBuffer();
}

function partitionOf(ctx: HandlerContext, topic: string, index: number): Partition | undefined {
  return ctx.log.get(topic)?.partitions[index];
}

function handleProduce(v: number, r: Reader, ctx: HandlerContext): Buffer | null {
  r.nullableString(); // transactional id
  const acks = r.int16();
  r.int32(); // timeout
  const topics = r.array((rr) => ({
    name: rr.string(),
    partitions: rr.array((r3) => ({ index: r3.int32(), records: r3.bytes() }))!,
  }))!;
  const results = topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      const res = { index: p.index, errorCode: 0, baseOffset: -1n };
      if (acks !== 0 && acks !== 1 && acks !== -1) return { ...res, errorCode: ERROR.INVALID_REQUIRED_ACKS };
      const part = partitionOf(ctx, t.name, p.index);
      if (!part) return { ...res, errorCode: ERROR.UNKNOWN_TOPIC_OR_PARTITION };
      if (!p.records) return { ...res, errorCode: ERROR.CORRUPT_MESSAGE };
      try {
        return { ...res, baseOffset: part.append(p.records).baseOffset };
      } catch (e) {
        if (e instanceof BatchError) return { ...res, errorCode: e.errorCode };
        throw e;
      }
    }),
  }));
  if (acks === 0) return null; // acks=0: the broker never answers
  const w = new Writer();
  w.array(results, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => {
      w3.int32(p.index).int16(p.errorCode).int64(p.baseOffset);
      w3.int64(-1); // log append time (CreateTime topics)
      if (v >= 5) w3.int64(0);
    });
  });
  w.int32(0);
  return w.toBuffer();
}

function handleListOffsets(v: number, r: Reader, ctx: HandlerContext): Buffer {
  r.int32(); // replica id
  if (v >= 2) r.int8(); // isolation level
  const topics = r.array((rr) => ({ name: rr.string(), partitions: rr.array((r3) => ({ index: r3.int32(), timestamp: r3.int64() }))! }))!;
  const w = new Writer();
  if (v >= 2) w.int32(0);
  w.array(topics, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => {
      const part = partitionOf(ctx, t.name, p.index);
      if (!part) {
        w3.int32(p.index).int16(ERROR.UNKNOWN_TOPIC_OR_PARTITION).int64(-1).int64(-1);
        return;
      }
      if (p.timestamp === -1n) w3.int32(p.index).int16(0).int64(-1).int64(part.nextOffset);
      else if (p.timestamp === -2n) w3.int32(p.index).int16(0).int64(-1).int64(0);
      else {
        const off = part.offsetForTimestamp(p.timestamp);
        const rec = part.records(off, 1)[0];
        w3.int32(p.index).int16(0).int64(rec ? rec.timestamp : -1n).int64(rec ? off : -1n);
      }
    });
  });
  return w.toBuffer();
}

async function handleFetch(v: number, r: Reader, ctx: HandlerContext): Promise<Buffer> {
  r.int32(); // replica id
  const maxWaitMs = r.int32();
  const minBytes = r.int32();
  const maxBytes = r.int32();
  r.int8(); // isolation level (v4+)
  if (v >= 7) {
    r.int32(); // session id
    r.int32(); // session epoch
  }
  const topics = r.array((rr) => ({
    name: rr.string(),
    partitions: rr.array((r3) => {
      const index = r3.int32();
      if (v >= 9) r3.int32(); // current leader epoch
      const fetchOffset = r3.int64();
      if (v >= 5) r3.int64(); // log start offset
      const maxPartBytes = r3.int32();
      return { index, fetchOffset, maxPartBytes };
    })!,
  }))!;
  // forgotten topics (v7+) and rack id (v11) are not needed: no fetch sessions, one rack

  const collect = () => {
    let total = 0;
    const out = topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const part = partitionOf(ctx, t.name, p.index);
        if (!part) return { index: p.index, errorCode: ERROR.UNKNOWN_TOPIC_OR_PARTITION, hw: -1n, records: null as Buffer | null };
        if (p.fetchOffset < 0n || p.fetchOffset > part.nextOffset) return { index: p.index, errorCode: ERROR.OFFSET_OUT_OF_RANGE, hw: part.nextOffset, records: null };
        const records = p.fetchOffset === part.nextOffset ? Buffer.alloc(0) : part.read(p.fetchOffset, Math.min(p.maxPartBytes, Math.max(1, maxBytes - total)));
        total += records.length;
        return { index: p.index, errorCode: 0, hw: part.nextOffset, records };
      }),
    }));
    return { out, total };
  };
  let res = collect();
  if (res.total < Math.max(1, minBytes) && maxWaitMs > 0) {
    const parts = topics.flatMap((t) => t.partitions.map((p) => partitionOf(ctx, t.name, p.index))).filter((p): p is Partition => !!p);
    await new Promise<void>((resolve) => {
      const cancels: Array<() => void> = [];
      const done = () => {
        cancels.forEach((c) => c());
        resolve();
      };
      if (parts.length === 0) cancels.push(waitTimer(maxWaitMs, done));
      for (const p of parts) cancels.push(p.waitForData(maxWaitMs, done));
      cancels.push(ctx.onClose(done));
    });
    res = collect();
  }
  const w = new Writer();
  w.int32(0); // throttle
  if (v >= 7) w.int16(0).int32(0); // error code, session id (no fetch sessions)
  w.array(res.out, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => {
      w3.int32(p.index).int16(p.errorCode).int64(p.hw).int64(p.hw); // high watermark, last stable offset
      if (v >= 5) w3.int64(p.errorCode === ERROR.UNKNOWN_TOPIC_OR_PARTITION ? -1 : 0);
      w3.array([], () => {}); // aborted transactions
      if (v >= 11) w3.int32(-1); // preferred read replica
      w3.bytes(p.records);
    });
  });
  return w.toBuffer();
}

function waitTimer(ms: number, done: () => void): () => void {
  const t = setTimeout(done, ms);
  return () => clearTimeout(t);
}

function handleFindCoordinator(v: number, r: Reader, ctx: HandlerContext): Buffer {
  r.string(); // key
  if (v >= 1) r.int8(); // key type
  const w = new Writer();
  if (v >= 1) w.int32(0);
  w.int16(0);
  if (v >= 1) w.nullableString(null);
  w.int32(NODE_ID).string(ctx.advertised.host).int32(ctx.advertised.port);
  return w.toBuffer();
}

function handleOffsetCommit(v: number, r: Reader, ctx: HandlerContext): Buffer {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  if (v <= 4) r.int64(); // retention time
  const topics = r.array((rr) => ({
    name: rr.string(),
    partitions: rr.array((r3) => ({ index: r3.int32(), offset: r3.int64(), metadata: r3.nullableString() }))!,
  }))!;
  const group = ctx.groups.group(groupId);
  const groupError = groupId === '' ? ERROR.INVALID_GROUP_ID : group.checkCommit(memberId, generationId);
  const w = new Writer();
  if (v >= 3) w.int32(0);
  w.array(topics, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => {
      let code: number = groupError;
      if (code === 0 && !partitionOf(ctx, t.name, p.index)) code = ERROR.UNKNOWN_TOPIC_OR_PARTITION;
      if (code === 0) group.commit(t.name, p.index, p.offset, p.metadata);
      w3.int32(p.index).int16(code);
    });
  });
  return w.toBuffer();
}

function handleOffsetFetch(v: number, r: Reader, ctx: HandlerContext): Buffer {
  const groupId = r.string();
  const topicsReq = r.array((rr) => ({ name: rr.string(), partitions: rr.array((r3) => r3.int32())! }));
  const group = ctx.groups.groups.get(groupId);
  const topics =
    topicsReq ??
    [...(group?.offsets.entries() ?? [])].map(([name, parts]) => ({ name, partitions: [...parts.keys()].sort((a, b) => a - b) }));
  const w = new Writer();
  if (v >= 3) w.int32(0);
  w.array(topics, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, index) => {
      const c = group?.committed(t.name, index);
      w3.int32(index).int64(c ? c.offset : -1n);
      if (v >= 5) w3.int32(-1);
      w3.nullableString(c ? (c.metadata ?? '') : '').int16(0);
    });
  });
  if (v >= 2) w.int16(0);
  return w.toBuffer();
}

async function handleJoinGroup(v: number, r: Reader, ctx: HandlerContext): Promise<Buffer> {
  const groupId = r.string();
  const sessionTimeoutMs = r.int32();
  const rebalanceTimeoutMs = v >= 1 ? r.int32() : sessionTimeoutMs;
  const memberId = r.string();
  const groupInstanceId = v >= 5 ? r.nullableString() : null;
  const protocolType = r.string();
  const protocols = r.array((rr) => ({ name: rr.string(), metadata: rr.bytes() ?? Buffer.alloc(0) }))!;
  const res =
    groupId === ''
      ? { errorCode: ERROR.INVALID_GROUP_ID, generationId: -1, protocolName: '', leader: '', memberId, members: [] }
      : await ctx.groups.group(groupId).join({ memberId, groupInstanceId, clientId: ctx.clientId, clientHost: ctx.clientHost, sessionTimeoutMs, rebalanceTimeoutMs, protocolType, protocols });
  const w = new Writer();
  if (v >= 2) w.int32(0);
  w.int16(res.errorCode).int32(res.generationId).string(res.protocolName).string(res.leader).string(res.memberId);
  w.array(res.members, (w2, m) => {
    w2.string(m.memberId);
    if (v >= 5) w2.nullableString(m.groupInstanceId);
    w2.bytes(m.metadata);
  });
  return w.toBuffer();
}

async function handleSyncGroup(v: number, r: Reader, ctx: HandlerContext): Promise<Buffer> {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  if (v >= 3) r.nullableString();
  const assignments = r.array((rr) => ({ memberId: rr.string(), assignment: rr.bytes() ?? Buffer.alloc(0) }))!;
  const group = ctx.groups.groups.get(groupId);
  const res = group ? await group.sync(memberId, generationId, assignments) : { errorCode: ERROR.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) };
  const w = new Writer();
  if (v >= 1) w.int32(0);
  w.int16(res.errorCode).bytes(res.assignment);
  return w.toBuffer();
}

function handleHeartbeat(v: number, r: Reader, ctx: HandlerContext): Buffer {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const group = ctx.groups.groups.get(groupId);
  const w = new Writer();
  if (v >= 1) w.int32(0);
  w.int16(group ? group.heartbeat(memberId, generationId) : ERROR.UNKNOWN_MEMBER_ID);
  return w.toBuffer();
}

function handleLeaveGroup(v: number, r: Reader, ctx: HandlerContext): Buffer {
  const groupId = r.string();
  const memberId = r.string();
  const group = ctx.groups.groups.get(groupId);
  const w = new Writer();
  if (v >= 1) w.int32(0);
  w.int16(group ? group.leave(memberId) : ERROR.UNKNOWN_MEMBER_ID);
  return w.toBuffer();
}

function handleListGroups(v: number, _r: Reader, ctx: HandlerContext): Buffer {
  const w = new Writer();
  if (v >= 1) w.int32(0);
  w.int16(0);
  const groups = [...ctx.groups.groups.values()].filter((g) => g.members.size > 0 || g.offsets.size > 0);
  w.array(groups, (w2, g) => w2.string(g.groupId).string(g.protocolType || 'consumer'));
  return w.toBuffer();
}

function handleDescribeGroups(v: number, r: Reader, ctx: HandlerContext): Buffer {
  const ids = r.array((rr) => rr.string())!;
  const w = new Writer();
  if (v >= 1) w.int32(0);
  w.array(ids, (w2, id) => {
    const g = ctx.groups.groups.get(id);
    const state = !g ? 'Dead' : g.state;
    w2.int16(0).string(id).string(state).string(g?.protocolType ?? '').string(g && g.state !== 'Empty' ? g.protocolName : '');
    w2.array(g ? [...g.members.values()] : [], (w3, m) => {
      w3.string(m.memberId).string(m.clientId).string(m.clientHost);
      w3.bytes(m.protocols.find((p) => p.name === g!.protocolName)?.metadata ?? Buffer.alloc(0));
      w3.bytes(m.assignment);
    });
  });
  return w.toBuffer();
}

function handleCreateTopics(v: number, r: Reader, ctx: HandlerContext): Buffer {
  const topics = r.array((rr) => {
    const name = rr.string();
    const numPartitions = rr.int32();
    const replicationFactor = rr.int16();
    const assignments = rr.array((r3) => ({ index: r3.int32(), brokers: r3.array((r4) => r4.int32())! }))!;
    rr.array((r3) => ({ name: r3.string(), value: r3.nullableString() }));
    return { name, numPartitions, replicationFactor, assignments };
  })!;
  r.int32(); // timeout
  const validateOnly = v >= 1 ? r.int8() !== 0 : false;
  const w = new Writer();
  if (v >= 2) w.int32(0);
  w.array(topics, (w2, t) => {
    let code = 0;
    let message: string | null = null;
    const partitions = t.assignments.length > 0 ? t.assignments.length : t.numPartitions === -1 ? ctx.log.defaultPartitions : t.numPartitions;
    if (!isValidTopicName(t.name)) [code, message] = [ERROR.INVALID_TOPIC_EXCEPTION, `Topic name "${t.name}" is illegal`];
    else if (ctx.log.get(t.name)) [code, message] = [ERROR.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`];
    else if (partitions < 1) [code, message] = [ERROR.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.'];
    else if (t.replicationFactor > 1 || t.replicationFactor === 0 || t.replicationFactor < -1)
      [code, message] = [ERROR.INVALID_REPLICATION_FACTOR, `Replication factor: ${t.replicationFactor} larger than available brokers: 1.`];
    else if (!validateOnly) ctx.log.create(t.name, partitions);
    w2.string(t.name).int16(code);
    if (v >= 1) w2.nullableString(message);
  });
  return w.toBuffer();
}

function handleDeleteTopics(v: number, r: Reader, ctx: HandlerContext): Buffer {
  const names = r.array((rr) => rr.string())!;
  r.int32();
  const w = new Writer();
  if (v >= 1) w.int32(0);
  w.array(names, (w2, name) => {
    const existed = ctx.log.topics.delete(name);
    w2.string(name).int16(existed ? 0 : ERROR.UNKNOWN_TOPIC_OR_PARTITION);
  });
  return w.toBuffer();
}

let nextProducerId = 1000n;

/** Idempotent producers get an id (sequence numbers are not checked); transactions are not supported. */
function handleInitProducerId(_v: number, r: Reader): Buffer {
  const transactionalId = r.nullableString();
  r.int32(); // transaction timeout
  const w = new Writer().int32(0);
  if (transactionalId !== null) return w.int16(ERROR.INVALID_REQUEST).int64(-1).int16(-1).toBuffer();
  return w.int16(0).int64(nextProducerId++).int16(0).toBuffer();
}

function handleDeleteGroups(_v: number, r: Reader, ctx: HandlerContext): Buffer {
  const ids = r.array((rr) => rr.string())!;
  const w = new Writer().int32(0);
  w.array(ids, (w2, id) => {
    const g = ctx.groups.groups.get(id);
    let code = 0;
    if (!g || (g.members.size === 0 && g.offsets.size === 0)) code = ERROR.GROUP_ID_NOT_FOUND;
    else if (g.members.size > 0) code = ERROR.NON_EMPTY_GROUP;
    else {
      g.close();
      ctx.groups.groups.delete(id);
    }
    w2.string(id).int16(code);
  });
  return w.toBuffer();
}

type Handler = (v: number, r: Reader, ctx: HandlerContext) => Buffer | null | Promise<Buffer | null>;

/** Handlers for everything except ApiVersions and SASL, which the connection handles itself. */
export const HANDLERS: Record<number, Handler> = {
  [API.Produce]: handleProduce,
  [API.Fetch]: handleFetch,
  [API.ListOffsets]: handleListOffsets,
  [API.Metadata]: handleMetadata,
  [API.OffsetCommit]: handleOffsetCommit,
  [API.OffsetFetch]: handleOffsetFetch,
  [API.FindCoordinator]: handleFindCoordinator,
  [API.JoinGroup]: handleJoinGroup,
  [API.Heartbeat]: handleHeartbeat,
  [API.LeaveGroup]: handleLeaveGroup,
  [API.SyncGroup]: handleSyncGroup,
  [API.DescribeGroups]: handleDescribeGroups,
  [API.ListGroups]: handleListGroups,
  [API.CreateTopics]: handleCreateTopics,
  [API.DeleteTopics]: handleDeleteTopics,
  [API.InitProducerId]: handleInitProducerId,
  [API.DeleteGroups]: handleDeleteGroups,
};
