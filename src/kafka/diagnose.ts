// Step-by-step connection diagnosis, as Lambda would connect: DNS, TCP, TLS handshake (subject, issuer, expiry,
// hostname), authentication, metadata (brokers, topic, partitions), consumer group. Each step is time-bounded.

import { lookup } from 'node:dns/promises';
import { isIP, connect as netConnect } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { Admin } from 'kafkajs';
import type { IoHost } from '../core/events.js';
import { createKafka, tlsOptions } from './client.js';
import { diagnose, type KafkaDiagnosis } from './errors.js';
import { splitHostPort, type KafkaConnectionSettings } from './settings.js';

export type StepName = 'dns' | 'tcp' | 'tls' | 'auth' | 'metadata' | 'group';
export type StepStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface DiagnosisStep {
  step: StepName;
  status: StepStatus;
  durationMs: number;
  /** One line: what was checked and what came back. */
  summary: string;
  /** Facts of the step (addresses, certificate fields, partitions…). Never secret values. */
  facts: Record<string, unknown>;
  /** On failure: the classified cause, Lambda's words and the fix. */
  problem?: KafkaDiagnosis;
}

export interface ConnectionReport {
  ok: boolean;
  steps: DiagnosisStep[];
  /** The first failing step's diagnosis. */
  problem?: KafkaDiagnosis & { step: StepName };
  durationMs: number;
}

export interface DiagnoseOptions {
  /** Upper bound for each step (default 10 s). */
  stepTimeoutMs?: number;
  host?: IoHost;
  /** The consumer group to check (a mapping's custom group id, else its UUID). */
  groupId?: string;
}

const ADVERTISED_FIX = "Set the brokers' advertised.listeners to addresses reachable from Lambda's subnets (and from here), or fix DNS for them.";

/** The broker address a kafkajs connection error names, if any. */
function failedBroker(e: unknown): string | undefined {
  let cur = e as { broker?: unknown; originalError?: unknown; cause?: unknown } | undefined;
  for (let i = 0; i < 6 && cur; i++) {
    if (typeof cur.broker === 'string') return cur.broker;
    cur = (cur.originalError ?? cur.cause) as typeof cur;
  }
  return undefined;
}

/** The metadata step already recorded an unreachable advertised broker. */
class AdvertisedUnreachable extends Error {}

class StepTimeout extends Error {
  override name = 'StepTimeout';
  readonly code = 'ETIMEDOUT';
}

async function bounded<T>(ms: number, what: string, f: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      f(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StepTimeout(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function tcpProbe(host: string, port: number, ms: number): Promise<{ address: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new StepTimeout(`TCP connect to ${host}:${port} timed out after ${ms} ms`));
    }, ms);
    sock.once('connect', () => {
      clearTimeout(timer);
      const address = `${sock.remoteAddress}:${sock.remotePort}`;
      sock.destroy();
      resolve({ address, ms: Date.now() - t0 });
    });
    sock.once('error', (e) => {
      clearTimeout(timer);
      sock.destroy();
      reject(e);
    });
  });
}

interface TlsProbe {
  protocol: string | null;
  cipher: string;
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  validFrom: string;
  validTo: string;
  daysLeft: number;
  chainTrusted: boolean;
  chainError?: string;
  hostnameMatches: boolean;
  hostnameError?: string;
  clientCertificateSent: boolean;
}

const dn = (x: Record<string, string | string[]> | undefined): string =>
  x ? Object.entries(x).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`).join(', ') : '';

/** Handshakes without rejecting, to read the certificate; then judges chain and hostname the way Lambda would. */
function tlsProbe(s: KafkaConnectionSettings, host: string, port: number, ms: number): Promise<TlsProbe> {
  return new Promise((resolve, reject) => {
    const opts = { ...tlsOptions(s), rejectUnauthorized: false, host, port, ...(isIP(host) ? {} : { servername: host }) };
    let sock: TLSSocket;
    try {
      sock = tlsConnect(opts);
    } catch (e) {
      reject(e);
      return;
    }
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new StepTimeout(`TLS handshake with ${host}:${port} timed out after ${ms} ms`));
    }, ms);
    sock.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = sock.getPeerCertificate(false) as PeerCertificate;
      const idErr = cert && Object.keys(cert).length > 0 ? checkServerIdentity(host, cert) : new Error('no certificate');
      const validTo = cert?.valid_to ?? '';
      const authErr = sock.authorizationError as unknown as Error | string | null;
      const probe: TlsProbe = {
        protocol: sock.getProtocol(),
        cipher: sock.getCipher()?.name ?? '',
        subject: dn(cert?.subject as unknown as Record<string, string>),
        issuer: dn(cert?.issuer as unknown as Record<string, string>),
        subjectAltNames: (cert?.subjectaltname ?? '').split(/,\s*/).filter(Boolean),
        validFrom: cert?.valid_from ?? '',
        validTo,
        daysLeft: validTo ? Math.floor((Date.parse(validTo) - Date.now()) / 86_400_000) : 0,
        chainTrusted: sock.authorized,
        ...(authErr ? { chainError: typeof authErr === 'string' ? authErr : String((authErr as { code?: string }).code ?? authErr.message) } : {}),
        hostnameMatches: !idErr,
        ...(idErr ? { hostnameError: idErr.message } : {}),
        clientCertificateSent: Boolean(s.clientCertificate),
      };
      sock.destroy();
      resolve(probe);
    });
    sock.once('error', (e) => {
      clearTimeout(timer);
      sock.destroy();
      reject(e);
    });
  });
}

/** Runs every step; a failing step skips the ones that need it. Never throws for network problems. */
export async function testConnection(s: KafkaConnectionSettings, opts: DiagnoseOptions = {}): Promise<ConnectionReport> {
  const t0 = Date.now();
  const stepMs = opts.stepTimeoutMs ?? 10_000;
  const steps: DiagnosisStep[] = [];
  const emit = (st: DiagnosisStep) =>
    opts.host?.emit({ code: 'kafka.step', level: 'debug', message: `${st.step}: ${st.status}: ${st.summary}`, data: { step: st.step, status: st.status } });
  const record = (st: DiagnosisStep) => {
    steps.push(st);
    emit(st);
    return st;
  };
  const skip = (step: StepName, why: string) => record({ step, status: 'skip', durationMs: 0, summary: why, facts: {} });
  const servers = s.bootstrapServers.map((b) => ({ server: b, ...splitHostPort(b) }));

  // 1. DNS
  let t = Date.now();
  const dnsResults = await Promise.all(
    servers.map(async (x) => {
      if (isIP(x.host)) return { server: x.server, addresses: [x.host] };
      try {
        const r = await bounded(stepMs, `DNS lookup of ${x.host}`, () => lookup(x.host, { all: true }));
        return { server: x.server, addresses: r.map((a) => a.address) };
      } catch (e) {
        return { server: x.server, error: e };
      }
    }),
  );
  const dnsBad = dnsResults.filter((r) => 'error' in r);
  record({
    step: 'dns',
    status: dnsBad.length === servers.length ? 'fail' : dnsBad.length ? 'warn' : 'pass',
    durationMs: Date.now() - t,
    summary: dnsBad.length ? `${dnsBad.length} of ${servers.length} broker name(s) do not resolve` : `${servers.length} broker name(s) resolve`,
    facts: { brokers: dnsResults.map((r) => ('error' in r ? { server: r.server, resolved: false } : { server: r.server, addresses: r.addresses })) },
    ...(dnsBad.length ? { problem: diagnose(dnsBad[0].error, s, dnsBad[0].server) } : {}),
  });
  const reachable = servers.filter((x) => !dnsBad.some((r) => r.server === x.server));

  // 2. TCP
  t = Date.now();
  const tcp = await Promise.all(
    reachable.map(async (x) => {
      try {
        const r = await tcpProbe(x.host, x.port, stepMs);
        return { server: x.server, address: r.address, ms: r.ms };
      } catch (e) {
        return { server: x.server, error: e };
      }
    }),
  );
  const tcpOk = tcp.filter((r) => !('error' in r));
  const tcpBad = tcp.filter((r) => 'error' in r);
  if (reachable.length === 0) skip('tcp', 'no broker name resolved');
  else
    record({
      step: 'tcp',
      status: tcpOk.length === 0 ? 'fail' : tcpBad.length ? 'warn' : 'pass',
      durationMs: Date.now() - t,
      summary: tcpBad.length ? `${tcpBad.length} of ${reachable.length} broker(s) refuse or time out` : `TCP connect ok to ${tcpOk.length} broker(s)`,
      facts: { brokers: tcp.map((r) => ('error' in r ? { server: r.server, connected: false } : { server: r.server, connected: true, address: r.address, ms: r.ms })) },
      ...(tcpBad.length ? { problem: diagnose(tcpBad[0].error, s, tcpBad[0].server) } : {}),
    });
  const first = servers.find((x) => tcpOk.some((r) => r.server === x.server));
  if (!first) {
    for (const st of ['tls', 'auth', 'metadata', 'group'] as const) skip(st, 'no broker accepts TCP connections');
    return finish(steps, t0);
  }

  // 3. TLS
  if (!s.tls) skip('tls', `${s.auth} without TLS (the connection is not encrypted)`);
  else {
    t = Date.now();
    try {
      const p = await tlsProbe(s, first.host, first.port, stepMs);
      const facts = { server: first.server, ...p, privateRootCa: Boolean(s.caPem) };
      let problem: KafkaDiagnosis | undefined;
      if (!p.chainTrusted) problem = diagnose({ code: p.chainError, message: `certificate not trusted: ${p.chainError}` }, s, first.server);
      else if (!p.hostnameMatches) problem = diagnose({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: p.hostnameError }, s, first.server);
      else if (p.daysLeft < 0) problem = diagnose({ code: 'CERT_HAS_EXPIRED', message: `expired ${p.validTo}` }, s, first.server);
      record({
        step: 'tls',
        status: problem ? 'fail' : p.daysLeft < 30 ? 'warn' : 'pass',
        durationMs: Date.now() - t,
        summary: problem
          ? `${problem.cause}`
          : `${p.protocol} handshake ok; certificate ${p.subject} issued by ${p.issuer}, valid until ${p.validTo}${p.daysLeft < 30 ? ` (${p.daysLeft} days left)` : ''}; hostname matches`,
        facts,
        ...(problem ? { problem } : {}),
      });
      if (problem) {
        for (const st of ['auth', 'metadata', 'group'] as const) skip(st, 'TLS verification failed');
        return finish(steps, t0);
      }
    } catch (e) {
      record({ step: 'tls', status: 'fail', durationMs: Date.now() - t, summary: 'TLS handshake failed', facts: { server: first.server }, problem: diagnose(e, s, first.server) });
      for (const st of ['auth', 'metadata', 'group'] as const) skip(st, 'TLS handshake failed');
      return finish(steps, t0);
    }
  }

  // 4. Authentication (kafkajs: ApiVersions, SaslHandshake/SaslAuthenticate)
  t = Date.now();
  let admin: Admin | undefined;
  try {
    const kafka = await createKafka(
      { ...s, bootstrapServers: [first.server] },
      { clientId: 'esmctl-diagnose', host: opts.host, timeouts: { connectionTimeoutMs: stepMs, authenticationTimeoutMs: stepMs, requestTimeoutMs: stepMs, retries: 0 } },
    );
    admin = kafka.admin({ retry: { retries: 0 } });
    await bounded(stepMs, 'authentication', () => admin!.connect());
    record({
      step: 'auth',
      status: 'pass',
      durationMs: Date.now() - t,
      summary: s.auth === 'PLAINTEXT' || s.auth === 'TLS' ? `connected (${s.auth}, no client authentication)` : `authenticated with ${s.auth}${s.username ? ` as ${s.username}` : ''}`,
      facts: { auth: s.auth, tls: s.tls, ...(s.username ? { username: s.username } : {}) },
    });
  } catch (e) {
    record({ step: 'auth', status: 'fail', durationMs: Date.now() - t, summary: `could not authenticate with ${s.auth}`, facts: { auth: s.auth }, problem: diagnose(e, s, first.server) });
    skip('metadata', 'authentication failed');
    skip('group', 'authentication failed');
    await admin?.disconnect().catch(() => undefined);
    return finish(steps, t0);
  }

  try {
    // 5. Metadata
    t = Date.now();
    let metadataOk = false;
    try {
      const cluster = await bounded(stepMs, 'DescribeCluster', () => admin!.describeCluster());
      const brokers = cluster.brokers.map((b) => `${b.host}:${b.port}`);
      const facts: Record<string, unknown> = { brokers: cluster.brokers.map((b) => ({ nodeId: b.nodeId, address: `${b.host}:${b.port}` })), controller: cluster.controller };
      // After bootstrap, clients (and Lambda) talk to the addresses the brokers advertise: check those too.
      const advertised = cluster.brokers.filter((b) => !s.bootstrapServers.includes(`${b.host}:${b.port}`));
      const unreachable = (
        await Promise.all(
          advertised.map(async (b) => {
            try {
              if (!isIP(b.host)) await bounded(stepMs, `DNS lookup of ${b.host}`, () => lookup(b.host));
              await tcpProbe(b.host, b.port, stepMs);
              return undefined;
            } catch (e) {
              return { address: `${b.host}:${b.port}`, error: e };
            }
          }),
        )
      ).filter((x) => x !== undefined);
      if (unreachable.length > 0) {
        const u = unreachable[0]!;
        const base = diagnose(u.error, s, u.address);
        record({
          step: 'metadata',
          status: 'fail',
          durationMs: Date.now() - t,
          summary: `the cluster advertises ${unreachable.map((x) => x!.address).join(', ')}, which cannot be reached from here`,
          facts: { ...facts, unreachableAdvertised: unreachable.map((x) => x!.address) },
          problem: {
            ...base,
            cause: `The bootstrap server answered, but it advertises broker address ${u.address}, which ${base.kind === 'dns' ? 'does not resolve' : 'does not accept connections'} (advertised.listeners).`,
            fix: ADVERTISED_FIX,
          },
        });
        throw new AdvertisedUnreachable();
      }
      if (s.topic) {
        const md = await bounded(stepMs, 'topic metadata', () => admin!.fetchTopicMetadata({ topics: [s.topic!] }));
        const parts = md.topics[0]?.partitions ?? [];
        facts.topic = { name: s.topic, partitions: parts.length, leaders: parts.map((p) => ({ partition: p.partitionId, leader: p.leader })) };
        record({ step: 'metadata', status: 'pass', durationMs: Date.now() - t, summary: `${brokers.length} broker(s): ${brokers.join(', ')}; topic ${s.topic} has ${parts.length} partition(s)`, facts });
      } else {
        record({ step: 'metadata', status: 'warn', durationMs: Date.now() - t, summary: `${brokers.length} broker(s): ${brokers.join(', ')}; no topic given, topic not checked`, facts });
      }
      metadataOk = true;
    } catch (e) {
      if (!(e instanceof AdvertisedUnreachable)) {
        const broker = failedBroker(e);
        if (broker && !s.bootstrapServers.includes(broker)) {
          // kafkajs itself went to an advertised address and could not connect
          const base = diagnose(e, s, broker);
          record({
            step: 'metadata',
            status: 'fail',
            durationMs: Date.now() - t,
            summary: `the cluster advertises ${broker}, which cannot be reached from here`,
            facts: { unreachableAdvertised: [broker] },
            problem: { ...base, cause: `The bootstrap server answered, but it advertises broker address ${broker}, which cannot be reached (advertised.listeners).`, fix: ADVERTISED_FIX },
          });
        } else {
          record({ step: 'metadata', status: 'fail', durationMs: Date.now() - t, summary: s.topic ? `metadata for topic ${s.topic} failed` : 'cluster metadata failed', facts: {}, problem: diagnose(e, s, first.server) });
        }
      }
    }

    // 6. Consumer group
    if (!opts.groupId) skip('group', 'no mapping or consumer group given');
    else if (!metadataOk || !s.topic) skip('group', 'needs the topic metadata');
    else {
      t = Date.now();
      try {
        const offsets = await bounded(stepMs, 'OffsetFetch', () => admin!.fetchOffsets({ groupId: opts.groupId!, topics: [s.topic!] }));
        const parts = offsets[0]?.partitions ?? [];
        let groupState: { state: string; members: number } | undefined;
        try {
          const g = await bounded(stepMs, 'DescribeGroups', () => admin!.describeGroups([opts.groupId!]));
          const gd = g.groups[0];
          if (gd) groupState = { state: gd.state, members: gd.members.length };
        } catch {
          // DescribeGroups needs an extra ACL; the committed offsets already prove reachability.
        }
        const committed = parts.filter((p) => Number(p.offset) >= 0).length;
        record({
          step: 'group',
          status: 'pass',
          durationMs: Date.now() - t,
          summary: `group ${opts.groupId} reachable; committed offsets on ${committed} of ${parts.length} partition(s)${groupState ? `; state ${groupState.state}, ${groupState.members} member(s)` : ''}`,
          facts: { groupId: opts.groupId, committed: parts.map((p) => ({ partition: p.partition, offset: p.offset })), ...(groupState ?? {}) },
        });
      } catch (e) {
        record({ step: 'group', status: 'fail', durationMs: Date.now() - t, summary: `group ${opts.groupId} not reachable`, facts: { groupId: opts.groupId }, problem: diagnose(e, s, first.server) });
      }
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  return finish(steps, t0);
}

function finish(steps: DiagnosisStep[], t0: number): ConnectionReport {
  const bad = steps.find((st) => st.status === 'fail');
  return {
    ok: !bad,
    steps,
    ...(bad?.problem ? { problem: { step: bad.step, ...bad.problem } } : {}),
    durationMs: Date.now() - t0,
  };
}
