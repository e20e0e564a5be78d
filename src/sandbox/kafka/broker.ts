// The sandbox Kafka broker: MSK-style listeners (plaintext, TLS, SASL/SCRAM+PLAIN over TLS, mTLS, IAM over TLS)
// on node net/tls, framing, per-connection ordered request processing, ApiVersions and the SASL state machine.

import net from 'node:net';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { Reader, Writer, readRequestHeader, ProtocolError } from './protocol.js';
import { Log } from './log.js';
import { GroupCoordinator } from './groups.js';
import { API, API_NAMES, ERROR, HANDLERS, SUPPORTED, apiVersionsResponse, type HandlerContext } from './handlers.js';
import { mskIamSession, oauthBearerIamSession, plainSession, scramSession, type IamKeyLookup, type SaslSession, type SaslUser, type UserLookup } from './sasl.js';
import { generateBrokerPki, issueClientCertificate, type BrokerPki } from './certs.js';

export type ListenerKind = 'plaintext' | 'tls' | 'saslScram' | 'mtls' | 'iam';
export const LISTENER_KINDS: ListenerKind[] = ['plaintext', 'tls', 'saslScram', 'mtls', 'iam'];

/** Largest request frame accepted; a bigger size prefix (e.g. a TLS ClientHello read as plaintext) closes the connection. */
const MAX_FRAME = 100 * 1024 * 1024;

const SASL_MECHANISMS: Partial<Record<ListenerKind, string[]>> = {
  saslScram: ['SCRAM-SHA-512', 'SCRAM-SHA-256', 'PLAIN'],
  iam: ['AWS_MSK_IAM', 'OAUTHBEARER'],
};

export interface KafkaBrokerOptions {
  /** Address to listen on and advertise (default 127.0.0.1). */
  host?: string;
  /** Port per listener (0 = a free port); `false` leaves a listener off. All five are on by default. */
  ports?: Partial<Record<ListenerKind, number | false>>;
  /** Partitions of auto-created topics (default 1). */
  partitions?: number;
  /** Whether Metadata/Produce create unknown topics (default true, unlike MSK's default). */
  autoCreateTopics?: boolean;
  /** SCRAM/PLAIN users known at start. */
  users?: SaslUser[];
  /** Further users looked up at authentication time (e.g. from sandbox secrets). */
  userLookup?: UserLookup;
  /** IAM access keys accepted, id -> secret (default { test: 'test' }, the sandbox's dummy credentials). */
  iamKeys?: Record<string, string>;
  /** CA, broker certificate and key (PEM); generated with openssl when omitted. */
  /** `caKeyPem` (optional) lets issueClientCertificate sign client certificates with a given CA. */
  tls?: { caPem?: string; certPem?: string; keyPem?: string; caKeyPem?: string };
}

export interface KafkaBroker {
  host: string;
  /** host:port per listener that is on. */
  listeners: Partial<Record<ListenerKind, string>>;
  caPem: string;
  log: Log;
  groups: GroupCoordinator;
  /** Looks up a SCRAM/PLAIN user as the SASL listener would. */
  findUser(username: string): SaslUser | undefined;
  /** Whether a client certificate (PEM) would pass the mTLS listener's verification. */
  isTrustedClientCertificate(certPem: string): boolean;
  /** Issues a client certificate for the mTLS listener (only with a generated CA). */
  issueClientCertificate(commonName: string): Promise<{ certificatePem: string; privateKeyPem: string }>;
  /** Requests served, by API name (for bench/ and tests). */
  requestCounts(): Record<string, number>;
  stop(): Promise<void>;
}

interface ConnState {
  kind: ListenerKind;
  port: number;
  socket: net.Socket;
  authenticated: boolean;
  mechanism?: string;
  session?: SaslSession;
  /** After SaslHandshake v0 the client sends raw SASL tokens (no Kafka framing) until authenticated. */
  rawSasl: boolean;
  closers: Set<() => void>;
  closed: boolean;
}

export async function startKafkaBroker(opts: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const host = opts.host ?? '127.0.0.1';
  const partitions = opts.partitions ?? 1;
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1000) throw new Error(`partitions must be an integer 1..1000, got ${partitions}`);
  const log = new Log(partitions, opts.autoCreateTopics ?? true);
  const groups = new GroupCoordinator();
  const staticUsers = new Map((opts.users ?? []).map((u) => [u.username, u]));
  const findUser = (name: string) => staticUsers.get(name) ?? opts.userLookup?.(name);
  const iamKeys = opts.iamKeys ?? { test: 'test' };
  const iamLookup: IamKeyLookup = (id) => (Object.prototype.hasOwnProperty.call(iamKeys, id) ? iamKeys[id] : undefined);
  const counts: Record<string, number> = {};

  const kinds = LISTENER_KINDS.filter((k) => opts.ports?.[k] !== false);
  const needsTls = kinds.some((k) => k !== 'plaintext');
  let pki: BrokerPki | undefined;
  const given = [opts.tls?.caPem, opts.tls?.certPem, opts.tls?.keyPem].filter((x) => x !== undefined).length;
  if (given !== 0 && given !== 3) throw new Error('sandbox Kafka broker: tls needs caPem, certPem and keyPem together (or none, to generate them)');
  if (given === 3) pki = { caPem: opts.tls!.caPem!, certPem: opts.tls!.certPem!, keyPem: opts.tls!.keyPem!, caKeyPem: opts.tls!.caKeyPem };
  else if (needsTls) pki = await generateBrokerPki();
  const caCert = pki ? new X509Certificate(pki.caPem) : undefined;

  const sockets = new Set<net.Socket>();
  const servers: net.Server[] = [];
  const listeners: Partial<Record<ListenerKind, string>> = {};

  const onConnection = (kind: ListenerKind, port: () => number) => (socket: net.Socket) => {
    sockets.add(socket);
    const st: ConnState = { kind, port: port(), socket, authenticated: !SASL_MECHANISMS[kind], rawSasl: false, closers: new Set(), closed: false };
    let pending: Buffer = Buffer.alloc(0);
    let queue: Promise<void> = Promise.resolve();
    const close = () => {
      if (st.closed) return;
      st.closed = true;
      for (const c of [...st.closers]) c();
      socket.destroy();
    };
    socket.on('error', () => close());
    socket.on('close', () => {
      sockets.delete(socket);
      close();
    });
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const size = pending.readInt32BE(0);
        if (size < 0 || size > MAX_FRAME) {
          // not a Kafka client speaking plaintext (for instance a TLS handshake): Kafka drops the connection
          close();
          return;
        }
        if (pending.length < 4 + size) break;
        const frame = pending.subarray(4, 4 + size);
        pending = pending.subarray(4 + size);
        queue = queue.then(() => (st.closed ? undefined : serve(st, frame, close))).catch(() => close());
      }
    });
  };

  const serve = async (st: ConnState, frame: Buffer, close: () => void): Promise<void> => {
    if (st.rawSasl && st.session && !st.authenticated) {
      // SaslHandshake v0: a size-prefixed raw token each way; a failure just closes the connection
      const step = st.session.step(frame);
      if (step.error) return close();
      if (step.done) st.authenticated = true;
      st.socket.write(Buffer.concat([new Writer().int32(step.response.length).toBuffer(), step.response]));
      return;
    }
    const r = new Reader(frame);
    let header;
    try {
      header = readRequestHeader(r, (key, version) => key === API.ApiVersions && version === 3);
    } catch {
      return close();
    }
    const { apiKey, apiVersion, correlationId } = header;
    counts[API_NAMES[apiKey] ?? `api-${apiKey}`] = (counts[API_NAMES[apiKey] ?? `api-${apiKey}`] ?? 0) + 1;
    const send = (body: Buffer) => {
      if (st.closed) return;
      const hdr = new Writer().int32(4 + body.length).int32(correlationId).toBuffer();
      st.socket.write(Buffer.concat([hdr, body]));
    };
    const range = SUPPORTED[apiKey];
    if (apiKey === API.ApiVersions) {
      // an unsupported ApiVersions version is answered in v0 shape with error 35 and the supported ranges
      if (apiVersion > range[1]) return send(apiVersionsResponse(0, ERROR.UNSUPPORTED_VERSION));
      return send(apiVersionsResponse(apiVersion));
    }
    if (!range || apiVersion < range[0] || apiVersion > range[1]) {
      // Kafka cannot frame a response for an API/version it does not know: it answers what it can and drops the connection
      send(new Writer().int16(ERROR.UNSUPPORTED_VERSION).toBuffer());
      return close();
    }
    try {
      if (apiKey === API.SaslHandshake) {
        send(saslHandshake(st, r));
        if (apiVersion === 0 && st.session) st.rawSasl = true;
        return;
      }
      if (apiKey === API.SaslAuthenticate) {
        const { body, fail } = saslAuthenticate(st, r, apiVersion);
        send(body);
        if (fail) close();
        return;
      }
      if (!st.authenticated) {
        // "Unexpected Kafka request of type X during SASL handshake": the broker closes the connection
        return close();
      }
      const ctx: HandlerContext = {
        log,
        groups,
        advertised: { host, port: st.port },
        clientId: header.clientId ?? '',
        clientHost: `/${st.socket.remoteAddress ?? host}`,
        onClose: (c) => {
          st.closers.add(c);
          return () => st.closers.delete(c);
        },
      };
      const body = await HANDLERS[apiKey](apiVersion, r, ctx);
      if (body) send(body);
    } catch (e) {
      if (e instanceof ProtocolError) return close();
      throw e;
    }
  };

  const saslHandshake = (st: ConnState, r: Reader): Buffer => {
    const mechanism = r.string();
    const enabled = SASL_MECHANISMS[st.kind] ?? [];
    const w = new Writer();
    if (!enabled.includes(mechanism) || st.authenticated) {
      w.int16(st.authenticated ? ERROR.ILLEGAL_SASL_STATE : ERROR.UNSUPPORTED_SASL_MECHANISM);
    } else {
      st.mechanism = mechanism;
      st.session =
        mechanism === 'PLAIN'
          ? plainSession(findUser)
          : mechanism === 'SCRAM-SHA-256' || mechanism === 'SCRAM-SHA-512'
            ? scramSession(mechanism, findUser)
            : mechanism === 'AWS_MSK_IAM'
              ? mskIamSession(iamLookup)
              : oauthBearerIamSession(iamLookup);
      w.int16(0);
    }
    w.array(enabled, (w2, m) => w2.string(m));
    return w.toBuffer();
  };

  const saslAuthenticate = (st: ConnState, r: Reader, v: number): { body: Buffer; fail: boolean } => {
    const bytes = r.bytes() ?? Buffer.alloc(0);
    const w = new Writer();
    if (!st.session || st.authenticated) {
      w.int16(ERROR.ILLEGAL_SASL_STATE).nullableString('SaslAuthenticate request received without a SaslHandshake').bytes(Buffer.alloc(0));
      if (v >= 1) w.int64(0);
      return { body: w.toBuffer(), fail: true };
    }
    const step = st.session.step(bytes);
    if (step.error) {
      w.int16(ERROR.SASL_AUTHENTICATION_FAILED).nullableString(step.error).bytes(step.response);
      if (v >= 1) w.int64(0);
      return { body: w.toBuffer(), fail: true };
    }
    if (step.done) st.authenticated = true;
    w.int16(0).nullableString(null).bytes(step.response);
    if (v >= 1) w.int64(0);
    return { body: w.toBuffer(), fail: false };
  };

  for (const kind of kinds) {
    const wanted = opts.ports?.[kind];
    const port = typeof wanted === 'number' ? wanted : 0;
    let server: net.Server;
    let boundPort = 0;
    const handler = onConnection(kind, () => boundPort);
    if (kind === 'plaintext') server = net.createServer(handler);
    else {
      server = tls.createServer(
        {
          key: pki!.keyPem,
          cert: pki!.certPem,
          ca: [pki!.caPem],
          requestCert: kind === 'mtls',
          rejectUnauthorized: kind === 'mtls',
          minVersion: 'TLSv1.2',
        },
        handler,
      );
      // failed handshakes (untrusted client certificate, plaintext to a TLS port) end the connection with a TLS alert
      server.on('tlsClientError', (_err, socket) => socket.destroy());
    }
    server.on('connection', (s: net.Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(new Error(e.code === 'EADDRINUSE' ? `sandbox Kafka ${kind} listener: port ${port} is already in use` : `sandbox Kafka ${kind} listener: ${e.message}`)),
      );
      server.listen(port, host, () => resolve());
    }).catch(async (e) => {
      await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
      groups.close();
      throw e;
    });
    boundPort = (server.address() as net.AddressInfo).port;
    listeners[kind] = `${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
    servers.push(server);
  }

  return {
    host,
    listeners,
    caPem: pki?.caPem ?? '',
    log,
    groups,
    findUser,
    isTrustedClientCertificate(certPem: string): boolean {
      if (!caCert) return false;
      try {
        const cert = new X509Certificate(certPem);
        const now = Date.now();
        return cert.checkIssued(caCert) && cert.verify(caCert.publicKey) && Date.parse(cert.validFrom) <= now && now <= Date.parse(cert.validTo);
      } catch {
        return false;
      }
    },
    issueClientCertificate: (cn) => {
      if (!pki) throw new Error('the broker has no TLS listener, so no CA to issue client certificates');
      return issueClientCertificate(pki, cn);
    },
    requestCounts: () => ({ ...counts }),
    async stop() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
      groups.close();
    },
  };
}
