// The sandbox broker's group coordinator: committed offsets per group, and the join/sync/heartbeat/leave
// state machine (Empty -> PreparingRebalance -> CompletingRebalance -> Stable) enough for kafkajs consumer groups.

import { randomUUID } from 'node:crypto';

export const ERR = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  COORDINATOR_NOT_AVAILABLE: 15,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
} as const;

interface Member {
  memberId: string;
  clientId: string;
  clientHost: string;
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: Array<{ name: string; metadata: Buffer }>;
  assignment: Buffer;
  lastSeen: number;
  joined: boolean;
  pendingJoin?: (r: JoinResult) => void;
  pendingSync?: (r: SyncResult) => void;
}

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>;
}

export interface SyncResult {
  errorCode: number;
  assignment: Buffer;
}

type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

export class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType = '';
  protocolName = '';
  leaderId = '';
  members = new Map<string, Member>();
  /** topic -> partition -> committed offset + metadata */
  offsets = new Map<string, Map<number, { offset: bigint; metadata: string | null }>>();
  private rebalanceTimer?: NodeJS.Timeout;
  private rebalanceDeadline = 0;

  constructor(readonly groupId: string) {}

  commit(topic: string, partition: number, offset: bigint, metadata: string | null): void {
    let t = this.offsets.get(topic);
    if (!t) this.offsets.set(topic, (t = new Map()));
    t.set(partition, { offset, metadata });
  }

  committed(topic: string, partition: number): { offset: bigint; metadata: string | null } | undefined {
    return this.offsets.get(topic)?.get(partition);
  }

  join(req: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    sessionTimeoutMs: number;
    rebalanceTimeoutMs: number;
    protocolType: string;
    protocols: Array<{ name: string; metadata: Buffer }>;
  }): Promise<JoinResult> {
    const fail = (errorCode: number, memberId = req.memberId): Promise<JoinResult> =>
      Promise.resolve({ errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] });
    // Kafka's group.min.session.timeout.ms (6 s) and group.max.session.timeout.ms (30 min) defaults
    if (req.sessionTimeoutMs < 6000 || req.sessionTimeoutMs > 1_800_000) return fail(ERR.INVALID_SESSION_TIMEOUT);
    if (this.members.size > 0 && req.protocolType !== this.protocolType) return fail(ERR.INCONSISTENT_GROUP_PROTOCOL);
    if (this.members.size > 0) {
      const ours = new Set([...this.members.values()][0].protocols.map((p) => p.name));
      if (!req.protocols.some((p) => ours.has(p.name))) return fail(ERR.INCONSISTENT_GROUP_PROTOCOL);
    }
    let member: Member | undefined;
    if (req.memberId !== '') {
      member = this.members.get(req.memberId);
      if (!member) return fail(ERR.UNKNOWN_MEMBER_ID);
    } else {
      const memberId = `${req.clientId || 'member'}-${randomUUID()}`;
      member = {
        memberId,
        clientId: req.clientId,
        clientHost: req.clientHost,
        groupInstanceId: req.groupInstanceId,
        sessionTimeoutMs: req.sessionTimeoutMs,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        protocolType: req.protocolType,
        protocols: req.protocols,
        assignment: Buffer.alloc(0),
        lastSeen: Date.now(),
        joined: false,
      };
      this.members.set(memberId, member);
    }
    member.protocols = req.protocols;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.lastSeen = Date.now();
    member.joined = true;
    if (member.pendingJoin) member.pendingJoin({ errorCode: ERR.UNKNOWN_MEMBER_ID, generationId: -1, protocolName: '', leader: '', memberId: member.memberId, members: [] });
    this.protocolType = req.protocolType;
    const m = member;
    const p = new Promise<JoinResult>((resolve) => (m.pendingJoin = resolve));
    this.prepareRebalance();
    this.maybeCompleteJoin();
    return p;
  }

  private prepareRebalance(): void {
    if (this.state === 'PreparingRebalance') return;
    const wasEmpty = this.state === 'Empty';
    this.state = 'PreparingRebalance';
    for (const m of this.members.values()) {
      if (m.pendingSync) {
        m.pendingSync({ errorCode: ERR.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
        m.pendingSync = undefined;
      }
      if (!m.pendingJoin) m.joined = false;
    }
    // an empty group waits a moment for more members (as group.initial.rebalance.delay.ms, shortened);
    // otherwise the rebalance ends when every member rejoined, or at the longest rebalance timeout
    const timeout = wasEmpty ? 50 : Math.max(...[...this.members.values()].map((m) => m.rebalanceTimeoutMs), 1000);
    this.rebalanceDeadline = Date.now() + timeout;
    clearTimeout(this.rebalanceTimer);
    this.rebalanceTimer = setTimeout(() => this.completeJoin(), timeout);
    this.rebalanceTimer.unref();
  }

  private maybeCompleteJoin(): void {
    if (this.state !== 'PreparingRebalance') return;
    if (Date.now() < this.rebalanceDeadline && this.generationId === 0) return; // initial delay
    if ([...this.members.values()].every((m) => m.joined)) this.completeJoin();
  }

  private completeJoin(): void {
    clearTimeout(this.rebalanceTimer);
    if (this.state !== 'PreparingRebalance') return;
    for (const [id, m] of this.members) if (!m.joined) this.members.delete(id);
    if (this.members.size === 0) {
      this.state = 'Empty';
      return;
    }
    this.generationId++;
    const all = [...this.members.values()];
    if (!this.members.has(this.leaderId)) this.leaderId = all[0].memberId;
    const leader = this.members.get(this.leaderId)!;
    this.protocolName = leader.protocols.find((p) => all.every((m) => m.protocols.some((q) => q.name === p.name)))?.name ?? leader.protocols[0].name;
    this.state = 'CompletingRebalance';
    const members = all.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.protocols.find((p) => p.name === this.protocolName)?.metadata ?? Buffer.alloc(0),
    }));
    for (const m of all) {
      m.assignment = Buffer.alloc(0);
      m.lastSeen = Date.now();
      const resolve = m.pendingJoin;
      m.pendingJoin = undefined;
      resolve?.({
        errorCode: ERR.NONE,
        generationId: this.generationId,
        protocolName: this.protocolName,
        leader: this.leaderId,
        memberId: m.memberId,
        members: m.memberId === this.leaderId ? members : [],
      });
    }
  }

  sync(memberId: string, generationId: number, assignments: Array<{ memberId: string; assignment: Buffer }>): Promise<SyncResult> {
    const member = this.members.get(memberId);
    if (!member) return Promise.resolve({ errorCode: ERR.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    if (generationId !== this.generationId) return Promise.resolve({ errorCode: ERR.ILLEGAL_GENERATION, assignment: Buffer.alloc(0) });
    member.lastSeen = Date.now();
    if (this.state === 'PreparingRebalance') return Promise.resolve({ errorCode: ERR.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
    if (this.state === 'Stable') return Promise.resolve({ errorCode: ERR.NONE, assignment: member.assignment });
    const p = new Promise<SyncResult>((resolve) => (member.pendingSync = resolve));
    if (memberId === this.leaderId) {
      for (const a of assignments) {
        const m = this.members.get(a.memberId);
        if (m) m.assignment = a.assignment;
      }
      this.state = 'Stable';
      for (const m of this.members.values()) {
        const resolve = m.pendingSync;
        m.pendingSync = undefined;
        resolve?.({ errorCode: ERR.NONE, assignment: m.assignment });
      }
    }
    return p;
  }

  heartbeat(memberId: string, generationId: number): number {
    const member = this.members.get(memberId);
    if (!member) return ERR.UNKNOWN_MEMBER_ID;
    member.lastSeen = Date.now();
    if (this.state === 'PreparingRebalance') return ERR.REBALANCE_IN_PROGRESS;
    if (generationId !== this.generationId) return ERR.ILLEGAL_GENERATION;
    return ERR.NONE;
  }

  leave(memberId: string): number {
    const member = this.members.get(memberId);
    if (!member) return ERR.UNKNOWN_MEMBER_ID;
    this.remove(member);
    return ERR.NONE;
  }

  private remove(member: Member): void {
    this.members.delete(member.memberId);
    member.pendingJoin?.({ errorCode: ERR.UNKNOWN_MEMBER_ID, generationId: -1, protocolName: '', leader: '', memberId: member.memberId, members: [] });
    member.pendingSync?.({ errorCode: ERR.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    if (this.members.size === 0) {
      clearTimeout(this.rebalanceTimer);
      this.state = 'Empty';
      return;
    }
    if (this.state === 'PreparingRebalance') this.maybeCompleteJoin();
    else this.prepareRebalance();
  }

  /** Drops members whose session expired (called periodically). */
  expire(now: number): void {
    for (const m of [...this.members.values()]) {
      if (m.pendingJoin) continue;
      if (now - m.lastSeen > m.sessionTimeoutMs) this.remove(m);
    }
  }

  /** Validates an OffsetCommit's member and generation (generation -1 = a commit outside group management). */
  checkCommit(memberId: string, generationId: number): number {
    if (generationId < 0 && memberId === '') return ERR.NONE;
    const member = this.members.get(memberId);
    if (!member) return ERR.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generationId) return ERR.ILLEGAL_GENERATION;
    if (this.state === 'PreparingRebalance') return ERR.REBALANCE_IN_PROGRESS;
    member.lastSeen = Date.now();
    return ERR.NONE;
  }

  close(): void {
    clearTimeout(this.rebalanceTimer);
  }
}

export class GroupCoordinator {
  readonly groups = new Map<string, Group>();
  private sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const g of this.groups.values()) g.expire(now);
    }, 500);
    this.sweeper.unref();
  }

  group(groupId: string): Group {
    let g = this.groups.get(groupId);
    if (!g) this.groups.set(groupId, (g = new Group(groupId)));
    return g;
  }

  /** Drops every group and its offsets (the sandbox's reset). */
  clear(): void {
    for (const g of this.groups.values()) g.close();
    this.groups.clear();
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const g of this.groups.values()) g.close();
  }
}
