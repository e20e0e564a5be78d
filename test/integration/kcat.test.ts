// Interoperability of the sandbox broker with librdkafka through Debian's `kcat`: metadata (-L), produce (-P)
// and consume (-C) on the plaintext, TLS and SASL/SCRAM listeners, and the failures kcat reports for mistakes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKafkaBroker, type KafkaBroker } from '../../src/sandbox/kafka/index.js';

const HAS_KCAT = spawnSync('kcat', ['-V'], { encoding: 'utf8' }).status === 0;
// under CI a missing kcat is a failure (the first test says so), never a skip
const describeKcat = HAS_KCAT || process.env.CI ? describe : describe.skip;

let broker: KafkaBroker;
let dir: string;
let caFile: string;

/** Runs kcat asynchronously (the broker lives in this process, so a synchronous spawn would deadlock). */
function kcat(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('kcat', args, { encoding: 'utf8', timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as NodeJS.ErrnoException & { code?: number }).code as number | null) ?? 1 : 0, stdout, stderr }),
    );
    child.stdin!.end(input);
  });
}

beforeAll(async () => {
  broker = await startKafkaBroker({ ports: { mtls: false }, users: [{ username: 'kcat-user', password: 'kcat-password' }] });
  dir = await mkdtemp(join(tmpdir(), 'esmctl-kcat-'));
  caFile = join(dir, 'ca.pem');
  await writeFile(caFile, broker.caPem);
});

afterAll(async () => {
  await broker?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const cases: Array<{ name: string; listener: 'plaintext' | 'tls' | 'saslScram'; args: () => string[] }> = [
  { name: 'plaintext', listener: 'plaintext', args: () => [] },
  { name: 'TLS', listener: 'tls', args: () => ['-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${caFile}`] },
  {
    name: 'SASL/SCRAM-SHA-512 over TLS',
    listener: 'saslScram',
    args: () => ['-X', 'security.protocol=sasl_ssl', '-X', `ssl.ca.location=${caFile}`, '-X', 'sasl.mechanisms=SCRAM-SHA-512', '-X', 'sasl.username=kcat-user', '-X', 'sasl.password=kcat-password'],
  },
  {
    name: 'SASL/SCRAM-SHA-256 over TLS',
    listener: 'saslScram',
    args: () => ['-X', 'security.protocol=sasl_ssl', '-X', `ssl.ca.location=${caFile}`, '-X', 'sasl.mechanisms=SCRAM-SHA-256', '-X', 'sasl.username=kcat-user', '-X', 'sasl.password=kcat-password'],
  },
];

// concurrent: each kcat run mostly waits on the network, and the failure cases wait out a 2 s metadata timeout
describeKcat.concurrent('kcat (librdkafka) against the sandbox broker', () => {
  it('kcat is installed (.ci/run installs it from Debian)', () => {
    expect(HAS_KCAT).toBe(true);
  });

  it.each(cases)('-P, -L and -C on $name', async ({ name, listener, args }) => {
    const bootstrap = ['-b', broker.listeners[listener]!, ...args()];
    const topic = `kcat-${name.replace(/[^a-zA-Z0-9]/g, '').toLowerCase()}`;

    const produced = await kcat([...bootstrap, '-P', '-t', topic, '-K', ':', '-z', 'gzip'], 'k1:first\nk2:second\nk3:third\n');
    expect(produced.stderr).toBe('');
    expect(produced.code).toBe(0);

    const meta = await kcat([...bootstrap, '-L', '-t', topic]);
    expect(meta.code).toBe(0);
    expect(meta.stdout).toContain(`broker 1 at ${broker.listeners[listener]}`);
    expect(meta.stdout).toContain(`topic "${topic}" with 1 partitions:`);
    expect(meta.stdout).toContain('partition 0, leader 1, replicas: 1, isrs: 1');

    const consumed = await kcat([...bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-f', '%p %o %k=%s\n']);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout).toBe('0 0 k1=first\n0 1 k2=second\n0 2 k3=third\n');

    const tail = await kcat([...bootstrap, '-C', '-t', topic, '-o', '-1', '-e', '-f', '%o %s\n']);
    expect(tail.stdout).toBe('2 third\n');
  });

  it('-G (a librdkafka consumer group) commits, and a second run resumes after the committed offsets', async () => {
    const bootstrap = ['-b', broker.listeners.plaintext!];
    await kcat([...bootstrap, '-P', '-t', 'kcat-group-topic'], 'a\nb\nc\n');
    const group = [...bootstrap, '-G', 'kcat-group', '-e', '-f', '%o %s\n', '-X', 'auto.offset.reset=earliest', 'kcat-group-topic'];
    const first = await kcat(group);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('0 a\n1 b\n2 c\n');
    expect(broker.groups.groups.get('kcat-group')?.committed('kcat-group-topic', 0)?.offset).toBe(3n);
    await kcat([...bootstrap, '-P', '-t', 'kcat-group-topic'], 'd\n');
    const second = await kcat(group);
    expect(second.stdout).toBe('3 d\n');
  });

  it('a wrong SCRAM password is an authentication failure', async () => {
    const r = await kcat(['-b', broker.listeners.saslScram!, '-X', 'security.protocol=sasl_ssl', '-X', `ssl.ca.location=${caFile}`, '-X', 'sasl.mechanisms=SCRAM-SHA-512', '-X', 'sasl.username=kcat-user', '-X', 'sasl.password=nope', '-L', '-m', '2']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512');
    expect(r.stderr).not.toContain('nope');
  });

  it('a mechanism the listener does not offer is refused at the handshake', async () => {
    const r = await kcat(['-b', broker.listeners.iam!, '-X', 'security.protocol=sasl_ssl', '-X', `ssl.ca.location=${caFile}`, '-X', 'sasl.mechanisms=SCRAM-SHA-512', '-X', 'sasl.username=kcat-user', '-X', 'sasl.password=kcat-password', '-L', '-m', '2']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("SASL SCRAM-SHA-512 mechanism handshake failed: Broker: Unsupported SASL mechanism: broker's supported mechanisms: AWS_MSK_IAM,OAUTHBEARER");
  });

  it('TLS without the sandbox CA fails certificate verification', async () => {
    const r = await kcat(['-b', broker.listeners.tls!, '-X', 'security.protocol=ssl', '-L', '-m', '2']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('SSL handshake failed');
    expect(r.stderr).toContain('certificate verify failed');
  });
});
