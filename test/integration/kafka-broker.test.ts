// The sandbox Kafka broker against a real client (kafkajs): producer, consumer group and admin on every
// listener, the authentication mistakes a real broker refuses, and the protocol edge cases (versions, codecs).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, CompressionTypes, type KafkaConfig } from 'kafkajs';
import { createMechanism } from '@jm18457/kafkajs-msk-iam-authentication-mechanism';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { startKafkaBroker, type KafkaBroker } from '../../src/sandbox/kafka/index.js';
import { crc32c } from '../../src/sandbox/kafka/records.js';
import { generateBrokerPki } from '../../src/sandbox/kafka/certs.js';

let broker: KafkaBroker;
let clientCert: { certificatePem: string; privateKeyPem: string };
let foreign: { caPem: string; certPem: string; keyPem: string };

const CREDS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** An MSK IAM OAUTHBEARER token as aws-msk-iam-sasl-signer makes it: a presigned GET, base64url-encoded. */
async function mskIamToken(secretAccessKey = 'test'): Promise<string> {
  const signer = new SignatureV4({ credentials: { ...CREDS, secretAccessKey }, region: 'us-east-1', service: 'kafka-cluster', sha256: Sha256 });
  const hostname = 'kafka.us-east-1.amazonaws.com';
  const signed = await signer.presign(
    { method: 'GET', protocol: 'https:', hostname, path: '/', query: { Action: 'kafka-cluster:Connect' }, headers: { host: hostname } },
    { expiresIn: 900 },
  );
  const query = Object.entries(signed.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  query.push('User-Agent=esmctl-test');
  return Buffer.from(`https://${hostname}/?${query.join('&')}`).toString('base64url');
}

function kafka(config: Partial<KafkaConfig> & { brokers: string[] }): Kafka {
  return new Kafka({ clientId: 'broker-test', logLevel: logLevel.NOTHING, connectionTimeout: 3000, retry: { retries: 0 }, ...config });
}

beforeAll(async () => {
  broker = await startKafkaBroker({
    partitions: 2,
    users: [
      { username: 'alice', password: 'alice-secret' },
      { username: 'scram256only', password: 'pw-256', mechanisms: ['SCRAM-SHA-256'] },
    ],
  });
  clientCert = await broker.issueClientCertificate('lambda-client');
  // a second, unrelated PKI: its client certificate must not pass the mTLS listener
  const dir = await mkdtemp(join(tmpdir(), 'esmctl-foreign-'));
  const run = promisify(execFile);
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '1', '-subj', '/CN=intruder'], { cwd: dir });
  foreign = { caPem: await readFile(join(dir, 'c.pem'), 'utf8'), certPem: await readFile(join(dir, 'c.pem'), 'utf8'), keyPem: await readFile(join(dir, 'k.pem'), 'utf8') };
  await rm(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await broker?.stop();
});

const listenerCases: Array<{ name: string; config: () => Partial<KafkaConfig> & { brokers: string[] } }> = [
  { name: 'plaintext', config: () => ({ brokers: [broker.listeners.plaintext!] }) },
  { name: 'TLS', config: () => ({ brokers: [broker.listeners.tls!], ssl: { ca: [broker.caPem] } }) },
  {
    name: 'SASL/SCRAM-SHA-512 over TLS',
    config: () => ({ brokers: [broker.listeners.saslScram!], ssl: { ca: [broker.caPem] }, sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'alice-secret' } }),
  },
  {
    name: 'SASL/SCRAM-SHA-256 over TLS',
    config: () => ({ brokers: [broker.listeners.saslScram!], ssl: { ca: [broker.caPem] }, sasl: { mechanism: 'scram-sha-256', username: 'scram256only', password: 'pw-256' } }),
  },
  {
    name: 'SASL/PLAIN over TLS',
    config: () => ({ brokers: [broker.listeners.saslScram!], ssl: { ca: [broker.caPem] }, sasl: { mechanism: 'plain', username: 'alice', password: 'alice-secret' } }),
  },
  {
    name: 'mTLS',
    config: () => ({ brokers: [broker.listeners.mtls!], ssl: { ca: [broker.caPem], cert: clientCert.certificatePem, key: clientCert.privateKeyPem } }),
  },
  {
    name: 'IAM (AWS_MSK_IAM)',
    config: () => ({ brokers: [broker.listeners.iam!], ssl: { ca: [broker.caPem] }, sasl: createMechanism({ region: 'us-east-1', credentials: CREDS }) as never }),
  },
  {
    name: 'IAM (OAUTHBEARER token)',
    config: () => ({ brokers: [broker.listeners.iam!], ssl: { ca: [broker.caPem] }, sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: await mskIamToken() }) } }),
  },
];

describe('kafkajs producer, consumer group and admin on every listener', () => {
  it.each(listenerCases)('$name', async ({ name, config }) => {
    const k = kafka(config());
    const topic = `orders-${name.replace(/[^a-zA-Z0-9]/g, '')}`;
    const groupId = `group-${topic}`;
    const admin = k.admin();
    await admin.connect();
    const producer = k.producer();
    const consumer = k.consumer({ groupId, maxWaitTimeInMs: 50, heartbeatInterval: 500 });
    try {
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).toBe(true);
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).toBe(false); // already exists
      await producer.connect();
      await producer.send({ topic, messages: [{ key: 'k1', value: 'v1' }, { key: 'k2', value: 'v2' }, { key: 'k3', value: 'v3', partition: 2 }] });
      await producer.send({ topic, compression: CompressionTypes.GZIP, messages: [{ value: 'gz1', partition: 1 }, { value: 'gz2', partition: 1 }] });
      const high = await admin.fetchTopicOffsets(topic);
      expect(high.reduce((n, p) => n + Number(p.high), 0)).toBe(5);

      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const seen: string[] = [];
      await new Promise<void>((resolve, reject) => {
        consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(message.value!.toString());
            if (seen.length === 5) resolve();
          },
        }).catch(reject);
      });
      await consumer.disconnect(); // commits on the way out
      expect(seen.sort()).toEqual(['gz1', 'gz2', 'v1', 'v2', 'v3']);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const byPartition = Object.fromEntries(committed.partitions.map((p) => [p.partition, p.offset]));
      expect(byPartition).toEqual(Object.fromEntries(high.map((p) => [p.partition, p.high])));
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});

/** Connects, returns the error kafkajs raises (or undefined), always disconnecting so the process can exit. */
async function connectError(config: Partial<KafkaConfig> & { brokers: string[] }): Promise<Error | undefined> {
  const admin = kafka(config).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return undefined;
  } catch (e) {
    return e as Error; // connection failures arrive wrapped as KafkaJSNumberOfRetriesExceeded with the cause's message
  } finally {
    await admin.disconnect();
  }
}

describe('authentication mistakes fail as on a real broker', () => {
  it('a wrong SCRAM password fails SaslAuthenticate with SASL_AUTHENTICATION_FAILED', async () => {
    const e = await connectError({ brokers: [broker.listeners.saslScram!], ssl: { ca: [broker.caPem] }, sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'wrong' } });
    expect(e?.name).toBe('KafkaJSSASLAuthenticationError');
    expect(e?.message).toContain('invalid credentials with SASL mechanism SCRAM-SHA-512');
  });

  it('an unknown user fails the same way (no user enumeration)', async () => {
    const e = await connectError({ brokers: [broker.listeners.saslScram!], ssl: { ca: [broker.caPem] }, sasl: { mechanism: 'scram-sha-512', username: 'mallory', password: 'x' } });
    expect(e?.message).toContain('invalid credentials with SASL mechanism SCRAM-SHA-512');
  });

  it('a user limited to SCRAM-SHA-256 cannot use SCRAM-SHA-512', async () => {
    const e = await connectError({ brokers: [broker.listeners.saslScram!], ssl: { ca: [broker.caPem] }, sasl: { mechanism: 'scram-sha-512', username: 'scram256only', password: 'pw-256' } });
    expect(e?.name).toBe('KafkaJSSASLAuthenticationError');
  });

  it('a mechanism the listener does not enable is refused at SaslHandshake', async () => {
    const e = await connectError({ brokers: [broker.listeners.iam!], ssl: { ca: [broker.caPem] }, sasl: { mechanism: 'plain', username: 'alice', password: 'alice-secret' } });
    expect(e?.message).toBe('The broker does not support the requested SASL mechanism'); // error 33
  });

  it('an IAM token signed with the wrong secret key is refused', async () => {
    const e = await connectError({ brokers: [broker.listeners.iam!], ssl: { ca: [broker.caPem] }, sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: await mskIamToken('not-the-secret') }) } });
    expect(e?.name).toBe('KafkaJSSASLAuthenticationError');
    expect(e?.message).toContain('signature does not match');
  });

  it('an IAM payload for an unknown access key is refused', async () => {
    const e = await connectError({ brokers: [broker.listeners.iam!], ssl: { ca: [broker.caPem] }, sasl: createMechanism({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' } }) as never });
    expect(e?.message).toContain('unknown access key AKIDUNKNOWN');
  });

  it('a client certificate from another CA fails the mTLS handshake', async () => {
    const e = await connectError({ brokers: [broker.listeners.mtls!], ssl: { ca: [broker.caPem], cert: foreign.certPem, key: foreign.keyPem } });
    // TLS 1.3: the server verifies the certificate after the client's Finished, then aborts with an alert
    expect(e?.message).toMatch(/Closed connection|alert (unknown ca|bad certificate)/);
  });

  it('no client certificate on the mTLS listener fails the handshake', async () => {
    const e = await connectError({ brokers: [broker.listeners.mtls!], ssl: { ca: [broker.caPem] } });
    expect(e?.message).toMatch(/alert certificate required|Closed connection/);
  });

  it('a client that does not trust the broker CA refuses the TLS listener', async () => {
    const e = await connectError({ brokers: [broker.listeners.tls!], ssl: { ca: [foreign.caPem] } });
    expect(e?.message).toMatch(/Connection error: (self-signed certificate|unable to (get|verify))/);
  });

  it('plaintext to the TLS listener gets the connection dropped', async () => {
    const e = await connectError({ brokers: [broker.listeners.tls!] });
    expect(e?.message).toBe('Closed connection');
  });

  it('TLS to the plaintext listener gets the connection dropped', async () => {
    const e = await connectError({ brokers: [broker.listeners.plaintext!], ssl: { ca: [broker.caPem] } });
    expect(e?.message).toBe('Connection error: Client network socket disconnected before secure TLS connection was established');
  });

  it('SaslHandshake v0 switches to raw SASL tokens (PLAIN), after which Kafka requests are served', async () => {
    const token = Buffer.from('\0alice\0alice-secret');
    const rawToken = Buffer.concat([new Writer32().int32(token.length).done(), token]);
    const { responses } = await rawExchange(
      broker.listeners.saslScram!,
      [request(17, 0, new Writer32().str('PLAIN').done(), 1), rawToken, request(3, 1, new Writer32().int32(0).done(), 3)],
      { tls: true, expect: 3 },
    );
    expect(responses.map((r) => r.length > 0 ? r.readInt32BE(0) : 'empty-token')).toEqual([1, 'empty-token', 3]);
    expect(responses[0].readInt16BE(4)).toBe(0);
  });

  it('a wrong raw SASL v0 token closes the connection without a response', async () => {
    const token = Buffer.from('\0alice\0wrong');
    const { responses, closed } = await rawExchange(
      broker.listeners.saslScram!,
      [request(17, 0, new Writer32().str('PLAIN').done(), 1), Buffer.concat([new Writer32().int32(token.length).done(), token])],
      { tls: true },
    );
    expect(responses).toHaveLength(1); // the handshake answer only
    expect(closed).toBe(true);
  });

  it('requests before SASL authentication close the connection', async () => {
    const res = await rawExchange(broker.listeners.saslScram!, [request(3, 1, new Writer32().int32(-1).done())], { tls: true });
    expect(res.responses).toEqual([]);
    expect(res.closed).toBe(true);
  });
});

// ---- raw protocol helpers (for cases no client library will send) ----

class Writer32 {
  parts: Buffer[] = [];
  int8(v: number) {
    const b = Buffer.alloc(1);
    b.writeInt8(v);
    this.parts.push(b);
    return this;
  }
  int16(v: number) {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    this.parts.push(b);
    return this;
  }
  int32(v: number) {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }
  int64(v: bigint) {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    this.parts.push(b);
    return this;
  }
  str(s: string) {
    this.int16(Buffer.byteLength(s));
    this.parts.push(Buffer.from(s));
    return this;
  }
  bytes(b: Buffer) {
    this.int32(b.length);
    this.parts.push(b);
    return this;
  }
  done() {
    return Buffer.concat(this.parts);
  }
}

function request(apiKey: number, version: number, body: Buffer, correlationId = 7): Buffer {
  const header = new Writer32().int16(apiKey).int16(version).int32(correlationId).str('raw-test').done();
  return Buffer.concat([new Writer32().int32(header.length + body.length).done(), header, body]);
}

/** Sends frames, collects size-prefixed responses until the socket closes, `expect` responses arrived, or waitMs. */
async function rawExchange(address: string, frames: Buffer[], opts: { tls?: boolean; waitMs?: number; expect?: number } = {}): Promise<{ responses: Buffer[]; closed: boolean }> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  const tlsMod = await import('node:tls');
  return new Promise((resolve, reject) => {
    const socket: net.Socket = opts.tls ? tlsMod.connect({ host, port, ca: [broker.caPem] }) : net.connect({ host, port });
    let data = Buffer.alloc(0);
    let closed = false;
    const parse = () => {
      const responses: Buffer[] = [];
      let at = 0;
      while (data.length - at >= 4 && data.length - at - 4 >= data.readInt32BE(at)) {
        responses.push(data.subarray(at + 4, at + 4 + data.readInt32BE(at)));
        at += 4 + data.readInt32BE(at);
      }
      return responses;
    };
    const finish = () => {
      socket.destroy();
      resolve({ responses: parse(), closed });
    };
    socket.on(opts.tls ? 'secureConnect' : 'connect', () => frames.forEach((f) => socket.write(f)));
    socket.on('data', (d) => {
      data = Buffer.concat([data, d]);
      if (opts.expect !== undefined && parse().length >= opts.expect) finish();
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', reject);
    setTimeout(finish, opts.waitMs ?? 400);
  });
}

function recordBatch(attributes: number, records: Buffer, count = 1): Buffer {
  const afterCrc = new Writer32().int16(attributes).int32(count - 1).int64(1000n).int64(1000n).int64(-1n).int16(-1).int32(-1).int32(count).done();
  const body = Buffer.concat([afterCrc, records]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32c(body));
  const head = new Writer32().int32(-1).int8(2).done(); // partition leader epoch, magic
  const rest = Buffer.concat([head, crc, body]);
  return Buffer.concat([new Writer32().int64(0n).int32(rest.length).done(), rest]);
}

/** One record "x" with no key and no headers (uncompressed record encoding with zig-zag varints). */
const ONE_RECORD = Buffer.from([0x0e, 0x00, 0x00, 0x00, 0x01, 0x02, 0x78, 0x00]);

function produceRequest(topic: string, batch: Buffer): Buffer {
  const body = new Writer32().int16(-1).int16(-1).int32(1000).int32(1).str(topic).int32(1).int32(0).bytes(batch).done();
  return request(0, 7, body);
}

/** Error code of the single partition of a Produce v7 response. */
function produceError(res: Buffer): number {
  let at = 4; // topics array length
  const nameLen = res.readInt16BE(at);
  at += 2 + nameLen + 4; // name, partitions array length
  return res.readInt16BE(at + 4);
}

describe('protocol edge cases', () => {
  it('answers an ApiVersions version it does not support with error 35 and its supported ranges (v0 shape)', async () => {
    const { responses } = await rawExchange(broker.listeners.plaintext!, [request(18, 9, Buffer.alloc(0))], { expect: 1 });
    expect(responses).toHaveLength(1);
    const r = responses[0];
    expect(r.readInt32BE(0)).toBe(7); // correlation id
    expect(r.readInt16BE(4)).toBe(35);
    const n = r.readInt32BE(6);
    const ranges = Array.from({ length: n }, (_, i) => [r.readInt16BE(10 + i * 6), r.readInt16BE(12 + i * 6), r.readInt16BE(14 + i * 6)]);
    expect(ranges).toContainEqual([18, 0, 3]);
    expect(ranges).toContainEqual([1, 4, 11]);
  });

  it('answers an unknown API key with UNSUPPORTED_VERSION and closes instead of hanging', async () => {
    const { responses, closed } = await rawExchange(broker.listeners.plaintext!, [request(57, 0, Buffer.alloc(0))]);
    expect(responses.map((r) => [r.readInt32BE(0), r.readInt16BE(4)])).toEqual([[7, 35]]);
    expect(closed).toBe(true);
  });

  it('refuses a snappy batch with UNSUPPORTED_COMPRESSION_TYPE and a corrupted one with CORRUPT_MESSAGE', async () => {
    const admin = kafka({ brokers: [broker.listeners.plaintext!] }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'raw-produce', numPartitions: 1 }] });
    const ok = recordBatch(0, ONE_RECORD);
    const corrupt = Buffer.from(ok);
    corrupt[corrupt.length - 1] ^= 0xff;
    const { responses } = await rawExchange(broker.listeners.plaintext!, [produceRequest('raw-produce', recordBatch(2, ONE_RECORD)), produceRequest('raw-produce', corrupt), produceRequest('raw-produce', ok)], { expect: 3 });
    expect(responses.map((r) => produceError(r.subarray(4)))).toEqual([76, 2, 0]);
    const [p] = await admin.fetchTopicOffsets('raw-produce');
    await admin.disconnect();
    expect(p.high).toBe('1'); // only the valid batch was appended
  });

  it('refuses a replication factor above the one broker it has', async () => {
    const admin = kafka({ brokers: [broker.listeners.plaintext!] }).admin();
    await admin.connect();
    try {
      const e = await admin.createTopics({ topics: [{ topic: 'rf3', replicationFactor: 3 }] }).catch((err: { errors?: Error[] }) => err);
      expect((e as { errors?: Array<{ type: string }> }).errors?.map((x) => x.type)).toEqual(['INVALID_REPLICATION_FACTOR']);
      expect(await admin.listTopics()).not.toContain('rf3');
    } finally {
      await admin.disconnect();
    }
  });

  it('serves an idempotent kafkajs producer (InitProducerId) and refuses transactions', async () => {
    const k = kafka({ brokers: [broker.listeners.plaintext!] });
    const producer = k.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 2 } });
    await producer.connect();
    try {
      const [res] = await producer.send({ topic: 'idempotent', acks: -1, messages: [{ value: 'once' }] });
      expect(res.errorCode).toBe(0);
    } finally {
      await producer.disconnect();
    }
    const tx = k.producer({ transactionalId: 'tx-1', idempotent: true, maxInFlightRequests: 1, retry: { retries: 1 } });
    await tx.connect();
    try {
      await expect(tx.transaction()).rejects.toThrow();
    } finally {
      await tx.disconnect();
    }
  });

  it('deletes an empty group with committed offsets, and refuses an unknown one', async () => {
    const k = kafka({ brokers: [broker.listeners.plaintext!] });
    const admin = k.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'doomed-topic' }] });
      // a commit outside group management (generation -1, no member), as `kcat`/librdkafka simple consumers do
      const commit = new Writer32().str('doomed').int32(-1).str('').int64(-1n).int32(1).str('doomed-topic').int32(1).int32(0).int64(0n).int16(-1).done();
      const { responses } = await rawExchange(broker.listeners.plaintext!, [request(8, 2, commit)], { expect: 1 });
      expect(responses[0].readInt16BE(4 + 4 + 2 + 'doomed-topic'.length + 4 + 4)).toBe(0);
      expect((await admin.listGroups()).groups.map((g) => g.groupId)).toContain('doomed');
      await admin.deleteGroups(['doomed']);
      expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('doomed');
      const e = await admin.deleteGroups(['never-existed']).catch((err: { groups?: Array<{ error?: { type: string } }> }) => err);
      expect((e as { groups?: Array<{ error?: { type: string } }> }).groups?.[0].error?.type).toBe('GROUP_ID_NOT_FOUND');
    } finally {
      await admin.disconnect();
    }
  });

  it('serves TLS and mTLS with a CA and certificate given as PEM, and refuses an incomplete set', async () => {
    const pki = await generateBrokerPki();
    await expect(startKafkaBroker({ ports: { plaintext: false, saslScram: false, mtls: false, iam: false }, tls: { caPem: pki.caPem } })).rejects.toThrow(
      'tls needs caPem, certPem and keyPem together',
    );
    const own = await startKafkaBroker({ ports: { plaintext: false, saslScram: false, iam: false }, tls: { caPem: pki.caPem, certPem: pki.certPem, keyPem: pki.keyPem, caKeyPem: pki.caKeyPem } });
    try {
      expect(own.caPem).toBe(pki.caPem);
      expect(Object.keys(own.listeners)).toEqual(['tls', 'mtls']);
      expect(await connectError({ brokers: [own.listeners.tls!], ssl: { ca: [pki.caPem] } })).toBeUndefined();
      // client certificates signed by the given CA pass the mTLS listener
      const client = await own.issueClientCertificate('given-ca-client');
      expect(await connectError({ brokers: [own.listeners.mtls!], ssl: { ca: [pki.caPem], cert: client.certificatePem, key: client.privateKeyPem } })).toBeUndefined();
      expect((await connectError({ brokers: [own.listeners.tls!], ssl: { ca: [broker.caPem] } }))?.message).toMatch(/certificate/);
    } finally {
      await own.stop();
    }
  });

  it('survives malformed request bodies for every API it serves, and keeps serving others', async () => {
    const { SUPPORTED } = await import('../../src/sandbox/kafka/handlers.js');
    const garbage = Buffer.from([0x7f, 0xff, 0xff, 0xf0, 0x00, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0xff, 0xff, 0xff, 0xff]);
    const outcomes = await Promise.all(
      Object.entries(SUPPORTED).map(async ([key, [, max]]) => {
        const { closed } = await rawExchange(broker.listeners.plaintext!, [request(Number(key), max, garbage)], { waitMs: 300 });
        return [Number(key), closed] as const;
      }),
    );
    // a request the broker cannot decode ends that connection (ListGroups has no body to decode, so it answers)
    expect(outcomes.filter(([, closed]) => !closed).map(([key]) => key)).toEqual([16]);
    const { responses } = await rawExchange(broker.listeners.plaintext!, [request(18, 0, Buffer.alloc(0))], { expect: 1 });
    expect(responses[0].readInt16BE(4)).toBe(0);
  });
});
