// The emulated Lambda poller, end to end: mappings created with the real AWS SDK against the sandbox,
// records produced and offsets read with kafkajs; exactly-once batches, committed offsets, positions, problems.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import {
  LambdaClient,
  CreateEventSourceMappingCommand,
  UpdateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
} from '@aws-sdk/client-lambda';
import { SecretsManagerClient, CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import type { SandboxSeed } from '../../src/sandbox/seed.js';

const ACCOUNT = '123456789012';
const fn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const CLUSTER_ARN = `arn:aws:kafka:us-east-1:${ACCOUNT}:cluster/poller-test/11111111-2222-3333-4444-555555555555-1`;
const SECRET_OK = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:AmazonMSK_poller-ok-AbCdEf`;
const SECRET_BAD = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:AmazonMSK_poller-bad-GhIjKl`;

const SEED: SandboxSeed = {
  region: 'us-east-1',
  accountId: ACCOUNT,
  roles: [{ name: 'poller-role' }],
  functions: [
    { name: 'consumer', role: 'poller-role' },
    { name: 'consumer-2', role: 'poller-role' },
    { name: 'broken', role: 'poller-role', failing: true },
  ],
  clusters: [{ name: 'poller-test', uuid: '11111111-2222-3333-4444-555555555555-1', auth: ['iam', 'scram'], broker: 'sandbox' }],
  secrets: [
    { name: 'AmazonMSK_poller-ok', arn: SECRET_OK, value: { username: 'lambda-user', password: 'right-password' } },
    { name: 'AmazonMSK_poller-bad', arn: SECRET_BAD, value: { username: 'lambda-user', password: 'wrong-password' } },
  ],
};

let sandbox: RunningSandbox;
let lambda: LambdaClient;
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: SEED, kafka: { partitions: 1 } });
  lambda = new LambdaClient({ endpoint: sandbox.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const k = new Kafka({ brokers: [sandbox.kafka!.listeners.plaintext!], clientId: 'poller-test', logLevel: logLevel.NOTHING });
  admin = k.admin();
  producer = k.producer();
  await Promise.all([admin.connect(), producer.connect()]);
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  lambda?.destroy();
  await sandbox?.stop();
});

async function produce(topic: string, values: string[]): Promise<void> {
  await producer.send({ topic, messages: values.map((value) => ({ value })) });
}

async function createMapping(input: Partial<CreateEventSourceMappingCommandInput> & { Topics: string[] }): Promise<string> {
  const out = await lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: 'consumer',
      SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: [sandbox.kafka!.listeners.plaintext!] } },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      ...input,
    } as CreateEventSourceMappingCommandInput),
  );
  return out.UUID!;
}

async function until<T>(what: string, probe: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  } while (Date.now() < deadline);
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

const invocations = (uuid: string) => sandbox.control.invocations(uuid);
const consumed = (uuid: string) => invocations(uuid).filter((i) => !i.failed).reduce((n, i) => n + i.records, 0);
const ranges = (uuid: string) => invocations(uuid).map((i) => `${i.firstOffset}-${i.lastOffset}`);

async function committed(groupId: string, topic: string): Promise<string> {
  const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return t.partitions[0].offset;
}

async function lastResult(uuid: string): Promise<string | undefined> {
  return (await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).LastProcessingResult;
}

describe('emulated Lambda poller', () => {
  it('TRIM_HORIZON with the default group: batches of at most BatchSize, each record once, offsets committed under the UUID', async () => {
    await produce('p-trim', ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    const uuid = await createMapping({ Topics: ['p-trim'], BatchSize: 3 });
    await until('7 records', () => consumed(uuid), (n) => n >= 7);
    expect(ranges(uuid)).toEqual(['0-2', '3-5', '6-6']);
    expect(await committed(uuid, 'p-trim')).toBe('7');
    await produce('p-trim', ['h', 'i']);
    await until('9 records', () => consumed(uuid), (n) => n >= 9);
    expect(ranges(uuid)).toEqual(['0-2', '3-5', '6-6', '7-8']);
    expect(await committed(uuid, 'p-trim')).toBe('9');
    expect(await lastResult(uuid)).toBe('OK');
  });

  it('a custom group resumes from its committed offsets, not from the starting position (a replace keeps offsets)', async () => {
    await produce('p-custom', ['0', '1', '2']);
    const first = await createMapping({ Topics: ['p-custom'], SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'orders-lambda' } });
    await until('3 records', () => consumed(first), (n) => n >= 3);
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: first }));
    await until('the first mapping to be gone', async () => (await lambda.send(new GetEventSourceMappingCommand({ UUID: first })).catch(() => undefined))?.State, (s) => s === undefined);
    await produce('p-custom', ['3', '4']);
    const second = await createMapping({ Topics: ['p-custom'], StartingPosition: 'TRIM_HORIZON', SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'orders-lambda' } });
    await until('2 records', () => consumed(second), (n) => n >= 2);
    expect(ranges(second)).toEqual(['3-4']);
    expect(await committed('orders-lambda', 'p-custom')).toBe('5');
    expect(await committed(second, 'p-custom')).toBe('-1'); // nothing under the UUID when a custom id is set
  });

  it('LATEST does not see records older than the mapping; TRIM_HORIZON does', async () => {
    await produce('p-latest', ['old-1', 'old-2', 'old-3']);
    await new Promise((r) => setTimeout(r, 20));
    const latest = await createMapping({ Topics: ['p-latest'], StartingPosition: 'LATEST' });
    const trim = await createMapping({ Topics: ['p-latest'], FunctionName: 'consumer-2', StartingPosition: 'TRIM_HORIZON' });
    await new Promise((r) => setTimeout(r, 300));
    await produce('p-latest', ['new-1', 'new-2']);
    await until('2 new records', () => consumed(latest), (n) => n >= 2);
    expect(ranges(latest)).toEqual(['3-4']);
    await until('5 records on the TRIM_HORIZON mapping', () => consumed(trim), (n) => n >= 5);
    expect(invocations(trim)[0].firstOffset).toBe('0');
  });

  it('AT_TIMESTAMP starts at the first record at or after the timestamp', async () => {
    await produce('p-at', ['before-1', 'before-2']);
    const boundary = Math.ceil(Date.now() / 1000) * 1000; // the next whole second
    await new Promise((r) => setTimeout(r, boundary - Date.now() + 20));
    await produce('p-at', ['after-1', 'after-2', 'after-3']);
    const uuid = await createMapping({ Topics: ['p-at'], StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: new Date(boundary) });
    await until('3 records', () => consumed(uuid), (n) => n >= 3);
    expect(ranges(uuid)).toEqual(['2-4']);
  });

  it('a Disabled mapping stops; enabling it again resumes from the committed offset; a deleted one stops', async () => {
    await produce('p-toggle', ['1', '2']);
    const uuid = await createMapping({ Topics: ['p-toggle'] });
    await until('2 records', () => consumed(uuid), (n) => n >= 2);
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
    await until('Disabled', async () => (await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State, (s) => s === 'Disabled');
    await produce('p-toggle', ['3', '4']);
    await new Promise((r) => setTimeout(r, 400));
    expect(consumed(uuid)).toBe(2);
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
    await until('4 records', () => consumed(uuid), (n) => n >= 4);
    expect(ranges(uuid)).toEqual(['0-1', '2-3']);
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
    await produce('p-toggle', ['5']);
    await new Promise((r) => setTimeout(r, 400));
    expect(consumed(uuid)).toBe(4);
    expect(await committed(uuid, 'p-toggle')).toBe('4');
  });

  it('waits for the batching window when the batch is not full', async () => {
    await produce('p-window', ['x', 'y']);
    const uuid = await createMapping({ Topics: ['p-window'], BatchSize: 10, MaximumBatchingWindowInSeconds: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect(invocations(uuid)).toEqual([]);
    await until('one batch of 2', () => invocations(uuid), (l) => l.length === 1, 3000);
    expect(invocations(uuid)[0]).toMatchObject({ records: 2, firstOffset: '0', lastOffset: '1', failed: false });
  });

  it('a failing function records failed invocations, retries the same batch and commits nothing', async () => {
    await produce('p-fail', ['1', '2', '3']);
    const uuid = await createMapping({ Topics: ['p-fail'], FunctionName: 'broken' });
    await until('two attempts', () => invocations(uuid), (l) => l.length >= 2);
    expect(invocations(uuid).every((i) => i.failed && i.firstOffset === '0' && i.lastOffset === '2')).toBe(true);
    expect(await committed(uuid, 'p-fail')).toBe('-1');
    expect(await lastResult(uuid)).toBe('PROBLEM: Function call failed.');
  });

  it('MSK source: IAM consumes; SCRAM with the right secret consumes; a wrong password is a SASL problem', async () => {
    await produce('p-msk', ['m1', 'm2']);
    const iam = await createMapping({ Topics: ['p-msk'], SelfManagedEventSource: undefined, EventSourceArn: CLUSTER_ARN });
    await until('IAM mapping consumed 2', () => consumed(iam), (n) => n >= 2);
    const scram = await createMapping({
      Topics: ['p-msk'],
      FunctionName: 'broken',
      SelfManagedEventSource: undefined,
      EventSourceArn: CLUSTER_ARN,
      SourceAccessConfigurations: [{ Type: 'SASL_SCRAM_512_AUTH', URI: SECRET_BAD }],
    });
    await until('SASL problem', () => lastResult(scram), (r) => r === 'PROBLEM: SASL authentication failed.');
    expect(invocations(scram)).toEqual([]);
    // the broker's users come from the sandbox secrets: fix the mapping's secret and it connects
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: scram, SourceAccessConfigurations: [{ Type: 'SASL_SCRAM_512_AUTH', URI: SECRET_OK }] }));
    await until('the SCRAM mapping to invoke', () => invocations(scram), (l) => l.length > 0);
  });

  it('an address that is not the sandbox broker is a connection problem', async () => {
    const uuid = await createMapping({ Topics: ['p-nowhere'], SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['127.0.0.1:1'] } } });
    await until('connection problem', () => lastResult(uuid), (r) => r === 'PROBLEM: Connection error. Please check your event source connection configuration.');
  });

  describe('self-managed sources: LastProcessingResult per listener and secret', () => {
    let secrets: SecretsManagerClient;
    const secretArn = async (name: string, value: Record<string, string>) =>
      (await secrets.send(new CreateSecretCommand({ Name: name, SecretString: JSON.stringify(value) }))).ARN!;

    beforeAll(() => {
      secrets = new SecretsManagerClient({ endpoint: sandbox.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    });
    afterAll(() => secrets?.destroy());

    it.each([
      {
        name: 'BASIC_AUTH (SASL/PLAIN) on the SASL listener with a user from a secret',
        listener: 'saslScram' as const,
        access: async () => [{ Type: 'BASIC_AUTH', URI: await secretArn('sm-plain-ok', { username: 'sm-user', password: 'sm-pass' }) }],
        result: 'OK',
      },
      {
        name: 'SASL_SCRAM_256_AUTH with a wrong password',
        listener: 'saslScram' as const,
        access: async () => [{ Type: 'SASL_SCRAM_256_AUTH', URI: await secretArn('sm-scram-bad', { username: 'sm-user', password: 'not-it' }) }],
        result: 'PROBLEM: SASL authentication failed.',
      },
      {
        name: 'no credentials on the SASL listener',
        listener: 'saslScram' as const,
        access: async () => [],
        result: 'PROBLEM: Connection error. Please check your event source connection configuration.',
      },
      {
        name: 'a client certificate signed by the sandbox CA on the mTLS listener',
        listener: 'mtls' as const,
        access: async () => {
          const c = await sandbox.kafka!.issueClientCertificate!('lambda');
          return [{ Type: 'CLIENT_CERTIFICATE_TLS_AUTH', URI: await secretArn('sm-mtls-ok', { certificate: c.certificatePem, privateKey: c.privateKeyPem }) }];
        },
        result: 'OK',
      },
      {
        name: 'a certificate whose private key does not match',
        listener: 'mtls' as const,
        access: async () => {
          const [c1, c2] = await Promise.all([sandbox.kafka!.issueClientCertificate!('one'), sandbox.kafka!.issueClientCertificate!('two')]);
          return [{ Type: 'CLIENT_CERTIFICATE_TLS_AUTH', URI: await secretArn('sm-mtls-mismatch', { certificate: c1.certificatePem, privateKey: c2.privateKeyPem }) }];
        },
        result: 'PROBLEM: Provided certificate or private key is invalid.',
      },
      {
        name: 'no client certificate on the mTLS listener',
        listener: 'mtls' as const,
        access: async () => [],
        result: 'PROBLEM: Server failed to authenticate Lambda.',
      },
      {
        name: 'a SERVER_ROOT_CA_CERTIFICATE that is not the sandbox CA',
        listener: 'tls' as const,
        access: async () => {
          const c = await sandbox.kafka!.issueClientCertificate!('not-a-ca');
          return [{ Type: 'SERVER_ROOT_CA_CERTIFICATE', URI: await secretArn('sm-wrong-ca', { certificate: c.certificatePem }) }];
        },
        result: 'PROBLEM: Lambda failed to authenticate server.',
      },
      {
        name: 'the sandbox CA as SERVER_ROOT_CA_CERTIFICATE on the TLS listener',
        listener: 'tls' as const,
        access: async () => [{ Type: 'SERVER_ROOT_CA_CERTIFICATE', URI: await secretArn('sm-right-ca', { certificate: sandbox.kafka!.caPem }) }],
        result: 'OK',
      },
    ])('$name → $result', async ({ name, listener, access, result }) => {
      const topic = `sm-${name.replace(/[^a-zA-Z0-9]/g, '').slice(0, 40)}`;
      await produce(topic, ['r1']);
      const uuid = await createMapping({
        Topics: [topic],
        SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: [sandbox.kafka!.listeners[listener]!] } },
        SourceAccessConfigurations: (await access()) as CreateEventSourceMappingCommandInput['SourceAccessConfigurations'],
      });
      await until(`LastProcessingResult ${result}`, () => lastResult(uuid), (r) => r === result);
      expect(consumed(uuid)).toBe(result === 'OK' ? 1 : 0);
    });
  });
});

describe('kafka sandbox reset', () => {
  it('empties topics, groups and recorded invocations', async () => {
    await produce('p-reset', ['1']);
    const uuid = await createMapping({ Topics: ['p-reset'] });
    await until('1 record', () => consumed(uuid), (n) => n >= 1);
    sandbox.kafka!.reset!();
    expect(invocations(uuid)).toEqual([]);
    // a fresh client: the shared one tracks topics that no longer exist (as after deleting topics on a real cluster)
    const fresh = new Kafka({ brokers: [sandbox.kafka!.listeners.plaintext!], clientId: 'poller-reset', logLevel: logLevel.NOTHING }).admin();
    await fresh.connect();
    try {
      expect(await fresh.listTopics()).toEqual([]);
      expect((await fresh.listGroups()).groups).toEqual([]);
    } finally {
      await fresh.disconnect();
    }
  });
});
