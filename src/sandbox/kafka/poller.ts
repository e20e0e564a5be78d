// The emulated Lambda poller: for each Enabled Kafka mapping whose source is the sandbox broker, it checks the
// connection and credentials as Lambda would, reads batches, records "invocations" and commits the group offsets.

import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import type { KafkaHost, PollerMappingView } from '../kafka-bridge.js';
import type { KafkaBroker, ListenerKind } from './broker.js';
import type { DecodedRecord } from './records.js';

export interface Invocation {
  at: string;
  records: number;
  partition: number;
  firstOffset: string;
  lastOffset: string;
  failed: boolean;
}

/** LastProcessingResult texts, as Lambda reports them for Kafka sources. */
export const RESULT = {
  OK: 'OK',
  CONNECTION: 'PROBLEM: Connection error. Please check your event source connection configuration.',
  SASL: 'PROBLEM: SASL authentication failed.',
  SERVER_AUTH: 'PROBLEM: Server failed to authenticate Lambda.',
  LAMBDA_AUTH: 'PROBLEM: Lambda failed to authenticate server.',
  CERT: 'PROBLEM: Provided certificate or private key is invalid.',
  SECRET: 'PROBLEM: Lambda was unable to retrieve the secret from AWS Secrets Manager.',
  FUNCTION: 'PROBLEM: Function call failed.',
} as const;

/** Invocations kept per mapping (the oldest are dropped), so a long-failing function cannot grow memory forever. */
const MAX_INVOCATIONS_KEPT = 10_000;

/** Batches one partition may deliver in one tick (keeps a tick short when a large backlog drains). */
const MAX_BATCHES_PER_TICK = 50;

const SASL_TYPES: Record<string, string> = {
  BASIC_AUTH: 'PLAIN',
  SASL_SCRAM_256_AUTH: 'SCRAM-SHA-256',
  SASL_SCRAM_512_AUTH: 'SCRAM-SHA-512',
};

interface PartitionCursor {
  position?: bigint;
  pendingSince?: number;
  failures: number;
  retryAt: number;
}

interface MappingRun {
  key: string;
  cursors: Map<number, PartitionCursor>;
}

export interface PollerOptions {
  /** Tick interval (default 100 ms). */
  intervalMs?: number;
  now?: () => number;
}

export class Poller {
  private timer?: NodeJS.Timeout;
  private runs = new Map<string, MappingRun>();
  private records = new Map<string, Invocation[]>();
  private readonly now: () => number;
  private lastError?: string;

  constructor(
    private readonly host: KafkaHost,
    private readonly broker: KafkaBroker,
    private readonly opts: PollerOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    const interval = this.opts.intervalMs ?? 100;
    this.timer = setInterval(() => {
      try {
        this.tick();
        this.lastError = undefined;
      } catch (e) {
        // report a failing tick once, not every 100 ms
        const message = (e as Error).message;
        if (message !== this.lastError) process.stderr.write(`sandbox kafka poller: ${message}\n`);
        this.lastError = message;
      }
    }, interval);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Forgets positions and recorded invocations (the sandbox's reset). */
  reset(): void {
    this.runs.clear();
    this.records.clear();
  }

  invocations(uuid: string): Invocation[] {
    return [...(this.records.get(uuid) ?? [])];
  }

  /** One pass over every mapping (exposed for tests and deterministic stepping). */
  tick(): void {
    const seen = new Set<string>();
    for (const m of this.host.listMappings()) {
      seen.add(m.uuid);
      if (m.state !== 'Enabled') {
        this.runs.delete(m.uuid); // Disabled/Disabling/Deleting: stop; a later Enable resumes from committed offsets
        continue;
      }
      // MSK clusters the sandbox broker does not back are not this poller's business (their LastProcessingResult
      // stays as the AWS emulation set it); self-managed addresses are checked against the listeners
      if (m.eventSourceArn && !this.host.clusterBootstrap(m.eventSourceArn)) {
        this.runs.delete(m.uuid);
        continue;
      }
      const problem = this.checkSource(m);
      if (problem) {
        this.runs.delete(m.uuid);
        this.setResult(m.uuid, problem);
        continue;
      }
      this.poll(m);
    }
    for (const uuid of [...this.runs.keys()]) if (!seen.has(uuid)) this.runs.delete(uuid);
  }

  private setResult(uuid: string, text: string): void {
    this.host.setLastProcessingResult(uuid, text);
  }

  private listenerKindOf(address: string): ListenerKind | undefined {
    const norm = (a: string) => a.trim().toLowerCase().replace(/^localhost:/, '127.0.0.1:');
    for (const [kind, addr] of Object.entries(this.broker.listeners) as Array<[ListenerKind, string]>) {
      if (norm(addr) === norm(address)) return kind;
    }
    return undefined;
  }

  private secretJson(arn: string): Record<string, unknown> | undefined {
    const text = this.host.getSecretString(arn);
    if (text === undefined) return undefined;
    try {
      const v = JSON.parse(text);
      return v && typeof v === 'object' ? v : undefined;
    } catch {
      return undefined;
    }
  }

  /** What Lambda would report when connecting with this mapping's configuration, or undefined when it connects. */
  checkSource(m: PollerMappingView): string | undefined {
    const sac = m.sourceAccessConfigurations ?? [];
    const auth = sac.find((c) => c.Type in SASL_TYPES || c.Type === 'CLIENT_CERTIFICATE_TLS_AUTH');
    let kind: ListenerKind | undefined;
    if (m.eventSourceArn) {
      const listeners = this.host.clusterBootstrap(m.eventSourceArn);
      if (!listeners) return RESULT.CONNECTION;
      // MSK: a SCRAM secret uses the SASL/SCRAM brokers, a client certificate the TLS (mTLS) brokers, otherwise IAM
      const wanted: ListenerKind[] =
        auth?.Type === 'SASL_SCRAM_512_AUTH' ? ['saslScram'] : auth?.Type === 'CLIENT_CERTIFICATE_TLS_AUTH' ? ['mtls'] : auth ? [] : ['iam', 'tls', 'plaintext'];
      const chosen = wanted.find((k) => listeners[k]);
      if (!chosen) return RESULT.CONNECTION;
      kind = listeners[chosen]!.split(',').map((a) => this.listenerKindOf(a)).find((k) => k !== undefined);
      if (kind !== chosen) return RESULT.CONNECTION;
    } else {
      const servers = (m.bootstrapServers ?? []).flatMap((s) => s.split(','));
      kind = servers.map((s) => this.listenerKindOf(s)).find((k) => k !== undefined);
      if (!kind) return RESULT.CONNECTION;
      if (kind === 'iam') return RESULT.CONNECTION; // IAM is MSK-only
    }
    const rootCa = sac.find((c) => c.Type === 'SERVER_ROOT_CA_CERTIFICATE');
    if (rootCa && kind !== 'plaintext') {
      const s = this.secretJson(rootCa.URI);
      if (!s) return RESULT.SECRET;
      if (!sameCertificate(String(s.certificate ?? ''), this.broker.caPem)) return RESULT.LAMBDA_AUTH;
    }
    if (kind === 'saslScram') {
      if (!auth || !(auth.Type in SASL_TYPES)) return RESULT.CONNECTION; // no credentials: Lambda cannot pass the SASL listener
      const s = this.secretJson(auth.URI);
      if (!s) return RESULT.SECRET;
      const user = typeof s.username === 'string' ? this.broker.findUser(s.username) : undefined;
      const mechanism = SASL_TYPES[auth.Type];
      if (!user || user.password !== s.password || (user.mechanisms && !user.mechanisms.includes(mechanism))) return RESULT.SASL;
      return undefined;
    }
    if (kind === 'mtls') {
      if (auth?.Type !== 'CLIENT_CERTIFICATE_TLS_AUTH') return RESULT.SERVER_AUTH;
      const s = this.secretJson(auth.URI);
      if (!s) return RESULT.SECRET;
      const certificate = String(s.certificate ?? '');
      if (!certificateMatchesKey(certificate, String(s.privateKey ?? ''), typeof s.privateKeyPassword === 'string' ? s.privateKeyPassword : undefined)) return RESULT.CERT;
      if (!this.broker.isTrustedClientCertificate(certificate)) return RESULT.SERVER_AUTH;
      return undefined;
    }
    // plaintext/TLS listeners: credentials are not asked for; a SASL secret against them fails the handshake
    if (auth && auth.Type in SASL_TYPES) return RESULT.CONNECTION;
    return undefined;
  }

  private groupId(m: PollerMappingView): string {
    return m.consumerGroupId || m.uuid;
  }

  private poll(m: PollerMappingView): void {
    const topic = this.broker.log.get(m.topic);
    if (!topic) return; // the poller does not create topics; it starts once something produces to it
    const key = `${m.topic}\0${this.groupId(m)}`;
    let run = this.runs.get(m.uuid);
    if (!run || run.key !== key) {
      run = { key, cursors: new Map() };
      this.runs.set(m.uuid, run);
    }
    const group = this.broker.groups.group(this.groupId(m));
    const now = this.now();
    const windowMs = (m.maximumBatchingWindowInSeconds ?? 0.5) * 1000;
    topic.partitions.forEach((part, index) => {
      let c = run!.cursors.get(index);
      if (!c) run!.cursors.set(index, (c = { failures: 0, retryAt: 0 }));
      if (c.position === undefined) {
        // as Lambda: the group's committed offset when it exists, else the mapping's starting position
        const committed = group.committed(m.topic, index);
        if (committed && committed.offset >= 0n) c.position = committed.offset;
        else if (m.startingPosition === 'TRIM_HORIZON') c.position = 0n;
        else if (m.startingPosition === 'AT_TIMESTAMP') c.position = part.offsetForTimestamp(BigInt(Math.round((m.startingPositionTimestamp ?? 0) * 1000)));
        else c.position = part.offsetForTimestamp(BigInt(Date.parse(m.createdAt) || now)); // LATEST: what arrives after creation
      }
      // batches follow one another while records are waiting, as a partition's poller does (bounded per tick)
      for (let n = 0; n < MAX_BATCHES_PER_TICK; n++) {
        if (now < c.retryAt) return;
        const batch = part.records(c.position, Math.max(1, m.batchSize));
        if (batch.length === 0) {
          c.pendingSince = undefined;
          return;
        }
        if (batch.length < m.batchSize && windowMs > 0) {
          c.pendingSince ??= now;
          if (now - c.pendingSince < windowMs) return;
        }
        c.pendingSince = undefined;
        if (!this.invoke(m, index, batch, c, (offset) => group.commit(m.topic, index, offset, null))) return;
      }
    });
  }

  /** Records one invocation; true when the function succeeded (the position moved on). */
  private invoke(m: PollerMappingView, partition: number, batch: DecodedRecord[], c: PartitionCursor, commit: (offset: bigint) => void): boolean {
    const failed = this.host.isFunctionFailing(m.functionArn);
    const first = batch[0].offset;
    const last = batch[batch.length - 1].offset;
    const list = this.records.get(m.uuid) ?? [];
    list.push({ at: new Date(this.now()).toISOString(), records: batch.length, partition, firstOffset: String(first), lastOffset: String(last), failed });
    if (list.length > MAX_INVOCATIONS_KEPT) list.splice(0, list.length - MAX_INVOCATIONS_KEPT);
    this.records.set(m.uuid, list);
    if (!failed) {
      c.failures = 0;
      c.position = last + 1n;
      commit(c.position);
      this.setResult(m.uuid, RESULT.OK);
      return true;
    }
    c.failures++;
    this.setResult(m.uuid, RESULT.FUNCTION);
    const max = m.maximumRetryAttempts ?? -1;
    if (max >= 0 && c.failures > max) {
      // retries exhausted: Lambda moves past the batch (to the on-failure destination, when one is set)
      c.failures = 0;
      c.position = last + 1n;
      commit(c.position);
      return false;
    }
    c.retryAt = this.now() + Math.min(200 * 2 ** (c.failures - 1), 5000);
    return false;
  }
}

function sameCertificate(a: string, b: string): boolean {
  try {
    return new X509Certificate(a).fingerprint256 === new X509Certificate(b).fingerprint256;
  } catch {
    return false;
  }
}

function certificateMatchesKey(certPem: string, keyPem: string, passphrase?: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const key = createPrivateKey({ key: keyPem, passphrase });
    const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
    return Buffer.compare(fromKey, cert.publicKey.export({ type: 'spki', format: 'der' })) === 0;
  } catch {
    return false;
  }
}
