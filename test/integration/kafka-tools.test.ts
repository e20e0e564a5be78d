// The Kafka tools end to end: the built CLI (`esmctl kafka …`) as a child process and the MCP server through a
// real MCP Client, against the sandbox (AWS emulation + Kafka broker + emulated poller), with real SDK clients.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, type CallToolResult, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { Kafka, logLevel } from 'kafkajs';
import { startSandbox } from '../../src/sandbox/index.js';
import { startKafkaBroker, type KafkaBroker } from '../../src/sandbox/kafka/index.js';
import type { SandboxSeed } from '../../src/sandbox/seed.js';
import { BIN, ROOT, cliEnv, ensureBuilt, runCli, type CliResult } from './cli-harness.js';

const run = promisify(execFile);

/** The secret value every output and log is grepped for. */
const CANARY = 'canary-pw-7Hq2Zx9Lm4Vt8Rk3';
const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const CLUSTER_ARN = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/demo/de3c0de0-0000-4000-8000-000000000001-1`;
const SCRAM_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:AmazonMSK_demo-scram-DeMo01`;

const SEED: SandboxSeed = {
  region: REGION,
  accountId: ACCOUNT,
  roles: [{ name: 'consumer-role', attachedPolicies: ['arn:aws:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole'] }],
  functions: Array.from({ length: 12 }, (_, i) => ({ name: `consumer-${i}`, role: 'consumer-role' })),
  clusters: [{ name: 'demo', uuid: 'de3c0de0-0000-4000-8000-000000000001-1', broker: 'sandbox', auth: ['unauthenticated', 'mtls', 'scram', 'iam'] }],
  secrets: [{ name: 'AmazonMSK_demo-scram', arn: SCRAM_SECRET, value: { username: 'demo', password: CANARY } }],
};

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;
let listeners: Record<string, string>;
let dir: string;
let caFile: string;
let configSecretArn: string;
let caSecretArn: string;
let mtlsSecretArn: string;
let badMtlsSecretArn: string;
/** Every stdout/stderr/tool result of this file, for the canary check. */
const outputs: string[] = [];

async function sdk() {
  const lambda = await import('@aws-sdk/client-lambda');
  const sm = await import('@aws-sdk/client-secrets-manager');
  const base = { region: REGION, endpoint: sandbox.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  return { lambda, sm, l: new lambda.LambdaClient(base), s: new sm.SecretsManagerClient(base) };
}

async function createSecret(name: string, value: unknown): Promise<string> {
  const { sm, s } = await sdk();
  const out = await s.send(new sm.CreateSecretCommand({ Name: name, SecretString: JSON.stringify(value) }));
  return out.ARN!;
}

let functionCount = 0;
/** A new mapping of a function of its own (AWS refuses two mappings with the same function, source and topic). */
async function createMapping(req: Record<string, unknown>): Promise<string> {
  const { lambda, l } = await sdk();
  const out = await l.send(new lambda.CreateEventSourceMappingCommand({ FunctionName: `consumer-${functionCount++}`, StartingPosition: 'TRIM_HORIZON', BatchSize: 10, ...req } as never));
  return out.UUID!;
}

async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const r = await runCli(['kafka', ...args], sandbox.env, { env, timeoutMs: 90_000 });
  outputs.push(r.stdout, r.stderr);
  return r;
}

function json(r: CliResult): any {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}

beforeAll(async () => {
  ensureBuilt();
  sandbox = await startSandbox({ port: 0, seed: SEED, kafka: { partitions: 3 } });
  listeners = sandbox.kafka!.listeners as Record<string, string>;
  dir = await mkdtemp(join(tmpdir(), 'esmctl-kafka-tools-'));
  caFile = join(dir, 'ca.pem');
  await writeFile(caFile, sandbox.kafka!.caPem);
  const admin = new Kafka({ brokers: [listeners.plaintext], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: ['orders', 'payments', 'audit', 'idle'].map((topic) => ({ topic, numPartitions: 3 })) });
  await admin.disconnect();
  configSecretArn = await createSecret('kafka-tools-config', {
    iam: { bootstrap_servers: listeners.iam, security_protocol: 'SASL_SSL', sasl_mechanism: 'AWS_MSK_IAM' },
    sasl: { bootstrap_servers: listeners.saslScram, security_protocol: 'SASL_SSL', sasl_mechanism: 'SCRAM-SHA-512', sasl_plain_username: 'demo', sasl_plain_password: CANARY },
    topic: 'orders',
    cluster_arn: CLUSTER_ARN,
  });
  caSecretArn = await createSecret('kafka-tools-root-ca', { certificate: sandbox.kafka!.caPem });
  const issued = await (sandbox.kafka as unknown as { issueClientCertificate(cn: string): Promise<{ certificatePem: string; privateKeyPem: string }> }).issueClientCertificate('esmctl-test');
  mtlsSecretArn = await createSecret('kafka-tools-client-cert', { certificate: issued.certificatePem, privateKey: issued.privateKeyPem });
  // a client certificate signed by a CA the broker does not trust (not self-signed: the sandbox pins those)
  const ossl = (args: string[]) => run('openssl', args, { cwd: dir });
  await ossl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'rca.key', '-out', 'rca.pem', '-days', '1', '-subj', '/CN=rogue CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  await ossl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'rogue.key', '-out', 'rogue.csr', '-subj', '/CN=rogue']);
  await writeFile(join(dir, 'rogue.ext'), 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n');
  await ossl(['x509', '-req', '-in', 'rogue.csr', '-CA', 'rca.pem', '-CAkey', 'rca.key', '-CAcreateserial', '-out', 'rogue.pem', '-days', '1', '-extfile', 'rogue.ext']);
  badMtlsSecretArn = await createSecret('kafka-tools-rogue-cert', { certificate: await readFile(join(dir, 'rogue.pem'), 'utf8'), privateKey: await readFile(join(dir, 'rogue.key'), 'utf8') });
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const conn = (listener: string) => ['--bootstrap-servers', listeners[listener], '--topic', 'orders', '--json'];

describe('esmctl kafka test-connection: every auth mode succeeds with the right settings', () => {
  it.each([
    ['PLAINTEXT', 'plaintext', [], {}],
    ['TLS (private root CA file)', 'tls', ['--auth', 'TLS', '--ca-file', 'CA'], {}],
    ['TLS (SERVER_ROOT_CA_CERTIFICATE secret)', 'tls', ['--auth', 'TLS', '--ca-secret', 'CA_SECRET'], {}],
    ['SASL/PLAIN', 'saslScram', ['--auth', 'SASL_PLAIN', '--username', 'demo', '--ca-file', 'CA'], { ESMCTL_KAFKA_PASSWORD: CANARY }],
    ['SASL/SCRAM-SHA-256', 'saslScram', ['--auth', 'SASL_SCRAM_256', '--username', 'demo', '--ca-file', 'CA'], { ESMCTL_KAFKA_PASSWORD: CANARY }],
    ['SASL/SCRAM-SHA-512 (secret)', 'saslScram', ['--auth', 'SASL_SCRAM_512', '--auth-secret', SCRAM_SECRET, '--ca-file', 'CA'], {}],
    ['mTLS', 'mtls', ['--auth', 'MTLS', '--auth-secret', 'MTLS_SECRET', '--ca-file', 'CA'], {}],
    ['MSK IAM', 'iam', ['--auth', 'IAM', '--ca-file', 'CA', '--region', REGION], {}],
  ] as const)('%s', async (_name, listener, extra, env) => {
    const args = extra.map((a) => (a === 'CA' ? caFile : a === 'CA_SECRET' ? caSecretArn : a === 'MTLS_SECRET' ? mtlsSecretArn : a));
    const r = await cli(['test-connection', ...conn(listener), ...args], env);
    const out = json(r);
    expect(out.report.steps.map((s: any) => `${s.step}:${s.status}`).filter((s: string) => s.endsWith(':fail'))).toEqual([]);
    expect(out.report.ok).toBe(true);
    expect(r.code).toBe(0);
    const meta = out.report.steps.find((s: any) => s.step === 'metadata');
    expect(meta.facts.topic).toMatchObject({ name: 'orders', partitions: 3 });
    if (listener !== 'plaintext') expect(out.report.steps.find((s: any) => s.step === 'tls').facts).toMatchObject({ chainTrusted: true, hostnameMatches: true });
  });
});

describe('esmctl kafka test-connection: each mistake gets its specific diagnosis', () => {
  let rogue: KafkaBroker;
  let rogueCa: string;
  beforeAll(async () => {
    // a broker whose certificate names only kafka.example.test (reached as 127.0.0.1: hostname mismatch)
    const d = dir;
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'hca.key', '-out', 'hca.pem', '-days', '1', '-subj', '/CN=test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'], { cwd: d });
    await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'h.key', '-out', 'h.csr', '-subj', '/CN=kafka.example.test'], { cwd: d });
    await writeFile(join(d, 'h.ext'), 'subjectAltName=DNS:kafka.example.test\nextendedKeyUsage=serverAuth\n');
    await run('openssl', ['x509', '-req', '-in', 'h.csr', '-CA', 'hca.pem', '-CAkey', 'hca.key', '-CAcreateserial', '-out', 'h.pem', '-days', '1', '-extfile', 'h.ext'], { cwd: d });
    const [caPem, certPem, keyPem] = await Promise.all(['hca.pem', 'h.pem', 'h.key'].map((f) => readFile(join(d, f), 'utf8')));
    rogueCa = join(d, 'hca.pem');
    rogue = await startKafkaBroker({ ports: { plaintext: false, saslScram: false, mtls: false, iam: false }, tls: { caPem, certPem, keyPem } });
  });
  afterAll(async () => rogue?.stop());

  const cases: Array<[string, () => string[], Record<string, string>, { step: string; kind: string; lambda: RegExp }]> = [
    ['wrong password', () => [...conn('saslScram'), '--auth', 'SASL_SCRAM_512', '--username', 'demo', '--ca-file', caFile], { ESMCTL_KAFKA_PASSWORD: 'not-the-password' }, { step: 'auth', kind: 'sasl-failed', lambda: /SASL authentication failed/ }],
    ['untrusted CA (no root CA given)', () => [...conn('tls'), '--auth', 'TLS'], {}, { step: 'tls', kind: 'tls-untrusted', lambda: /Lambda failed to authenticate server/ }],
    ['hostname mismatch', () => ['--bootstrap-servers', rogue.listeners.tls!, '--auth', 'TLS', '--ca-file', rogueCa, '--json'], {}, { step: 'tls', kind: 'tls-hostname', lambda: /Lambda failed to authenticate server/ }],
    ['closed port', () => ['--bootstrap-servers', '127.0.0.1:1', '--json'], {}, { step: 'tcp', kind: 'refused', lambda: /Connection error/ }],
    ['missing topic', () => ['--bootstrap-servers', listeners.plaintext, '--topic', 'no-such-topic', '--json'], {}, { step: 'metadata', kind: 'topic-missing', lambda: /Topic not found/ }],
    ['mTLS listener without a client certificate', () => [...conn('mtls'), '--auth', 'TLS', '--ca-file', caFile], {}, { step: 'auth', kind: 'client-cert-rejected', lambda: /Server failed to authenticate Lambda/ }],
    ['mTLS with an untrusted client certificate', () => [...conn('mtls'), '--auth', 'MTLS', '--auth-secret', badMtlsSecretArn, '--ca-file', caFile], {}, { step: 'auth', kind: 'client-cert-rejected', lambda: /Server failed to authenticate Lambda/ }],
  ];
  it.each(cases)('%s', async (_name, args, env, want) => {
    const r = await cli(['test-connection', ...args()], env);
    expect(r.code).toBe(1);
    const out = json(r);
    expect(out.report.ok).toBe(false);
    expect(out.report.problem).toMatchObject({ step: want.step, kind: want.kind });
    expect(out.report.problem.lambdaSays).toMatch(want.lambda);
    expect(out.report.problem.fix.length).toBeGreaterThan(10);
    // steps after the failing one are skipped, not run
    const i = out.report.steps.findIndex((s: any) => s.status === 'fail');
    expect(out.report.steps.slice(i + 1).every((s: any) => s.status === 'skip')).toBe(true);
  });

  it('a broker that advertises an address clients cannot reach (advertised.listeners)', async () => {
    // a proxy in front of the plaintext listener that rewrites the advertised host 127.0.0.1 to 127.0.0.9 (nothing listens there)
    const net = await import('node:net');
    const [host, port] = listeners.plaintext.split(':');
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(port), host);
      client.pipe(upstream);
      upstream.on('data', (d: Buffer) => client.write(Buffer.from(d.toString('latin1').split('127.0.0.1').join('127.0.0.9'), 'latin1')));
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const r = await cli(['test-connection', '--bootstrap-servers', `127.0.0.1:${(proxy.address() as { port: number }).port}`, '--topic', 'orders', '--json']);
      const out = json(r);
      expect(out.report.problem).toMatchObject({ step: 'metadata', kind: 'refused' });
      expect(out.report.problem.cause).toMatch(/advertises broker address 127\.0\.0\.9:\d+/);
      expect(out.report.problem.fix).toMatch(/advertised\.listeners/);
    } finally {
      proxy.close();
    }
  });

  it('text output names the step, Lambda\'s words and the fix', async () => {
    const r = await cli(['test-connection', '--bootstrap-servers', listeners.tls, '--auth', 'TLS', '--topic', 'orders']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}tls/);
    expect(r.stdout).toContain('Lambda would report: PROBLEM: Lambda failed to authenticate server.');
    expect(r.stdout).toMatch(/Fix: .*SERVER_ROOT_CA_CERTIFICATE/);
  });

  it('without a TTY, missing settings are a clear error naming them (no prompt, no stack)', async () => {
    const r = await cli(['test-connection', '--topic', 'orders']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Missing Kafka connection settings: bootstrapServers/);
    expect(r.stderr).toMatch(/--bootstrap-servers/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const p = await cli(['test-connection', ...conn('saslScram'), '--auth', 'SASL_SCRAM_512', '--username', 'demo', '--ca-file', caFile]);
    expect(p.code).toBe(1);
    expect(p.stderr).toMatch(/Missing Kafka connection settings: password/);
    expect(p.stderr).toMatch(/ESMCTL_KAFKA_PASSWORD/);
  });
});

describe('esmctl kafka test-connection on a terminal', () => {
  it('asks what is missing, with the password hidden (util-linux `script` gives the CLI a TTY)', async () => {
    const cmd = `${process.execPath} ${BIN} kafka test-connection --bootstrap-servers ${listeners.saslScram} --ca-file ${caFile} --topic orders`;
    const child = (await import('node:child_process')).spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: ROOT, env: cliEnv(sandbox.env) });
    let out = '';
    const answered = new Set<string>();
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const answer = (key: string, text: string) => {
        if (out.includes(key) && !answered.has(key)) {
          answered.add(key);
          child.stdin.write(`${text}\r`);
        }
      };
      answer('Authentication [', 'SASL_SCRAM_512');
      answer('SASL username', 'demo');
      answer('(hidden)', CANARY);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    outputs.push(out);
    expect([...answered]).toEqual(['Authentication [', 'SASL username', '(hidden)']);
    expect(out).toContain('Connection OK');
    expect(out).not.toContain(CANARY); // not echoed, not printed
    expect(code).toBe(0);
  });
});

describe('discovery', () => {
  it('from a config secret ARN (the whole config in one secret; sasl block)', async () => {
    const r = await cli(['test-connection', '--config-secret', configSecretArn, '--config-block', 'sasl', '--ca-file', caFile, '--json']);
    const out = json(r);
    expect(out.report.ok).toBe(true);
    expect(out.settings).toMatchObject({ auth: 'SASL_SCRAM_512', username: 'demo', passwordSet: true, topic: 'orders', bootstrapServers: [listeners.saslScram] });
    expect(out.settings.origins.password).toBe(`secret:${configSecretArn}#sasl`);
    expect(JSON.stringify(out)).not.toContain(CANARY);
  });

  it('from a config secret ARN (iam block by default)', async () => {
    const out = json(await cli(['test-connection', '--config-secret', configSecretArn, '--ca-file', caFile, '--json']));
    expect(out.settings).toMatchObject({ auth: 'IAM', bootstrapServers: [listeners.iam], clusterArn: CLUSTER_ARN, region: REGION });
    expect(out.report.ok).toBe(true);
  });

  it('from a mapping UUID: GetEventSourceMapping, GetBootstrapBrokers, its SCRAM secret and its group', async () => {
    const uuid = await createMapping({ EventSourceArn: CLUSTER_ARN, Topics: ['audit'], SourceAccessConfigurations: [{ Type: 'SASL_SCRAM_512_AUTH', URI: SCRAM_SECRET }] });
    sandbox.control.clearLog();
    const out = json(await cli(['test-connection', '--mapping', uuid, '--ca-file', caFile, '--json']));
    expect(out.settings).toMatchObject({ auth: 'SASL_SCRAM_512', username: 'demo', passwordSet: true, topic: 'audit', consumerGroupId: uuid, mappingUuid: uuid, bootstrapServers: [listeners.saslScram] });
    expect(out.settings.origins).toMatchObject({ topic: `mapping:${uuid}`, password: `secret:${SCRAM_SECRET}`, bootstrapServers: `msk:${CLUSTER_ARN}` });
    expect(out.report.ok).toBe(true);
    expect(out.report.steps.find((s: any) => s.step === 'group')).toMatchObject({ status: 'pass', facts: { groupId: uuid } });
    const ops = sandbox.control.requestLog().map((e) => e.operation);
    expect(ops).toEqual(expect.arrayContaining(['GetEventSourceMapping', 'GetBootstrapBrokers', 'GetSecretValue']));
    expect(ops.filter((o) => /^(Create|Update|Delete|Put|Tag|Untag)/.test(o))).toEqual([]);
  });

  it('explicit parameters win over the mapping', async () => {
    const uuid = await createMapping({ EventSourceArn: CLUSTER_ARN, Topics: ['payments'] });
    const out = json(await cli(['test-connection', '--mapping', uuid, '--bootstrap-servers', listeners.plaintext, '--auth', 'PLAINTEXT', '--json']));
    expect(out.settings).toMatchObject({ auth: 'PLAINTEXT', bootstrapServers: [listeners.plaintext], topic: 'payments' });
    expect(out.settings.origins).toMatchObject({ bootstrapServers: 'parameter', auth: 'parameter', topic: `mapping:${uuid}` });
  });

  it('an unknown mapping UUID is a located user error', async () => {
    const r = await cli(['test-connection', '--mapping', '00000000-0000-0000-0000-000000000000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Event source mapping 00000000-0000-0000-0000-000000000000 was not found/);
  });
});

describe('esmctl kafka produce', () => {
  it('produces X messages of Y bytes, spread over partitions, with per-partition offsets', async () => {
    const r = await cli(['produce', ...conn('plaintext'), '-n', '300', '--size', '200']);
    expect(r.code).toBe(0);
    const { report } = json(r);
    expect(report).toMatchObject({ requested: 300, produced: 300, failed: 0, sizeBytes: 200, keyMode: 'spread' });
    expect(report.partitions).toHaveLength(3);
    expect(report.partitions.reduce((n: number, p: any) => n + p.count, 0)).toBe(300);
    for (const p of report.partitions) expect(BigInt(p.lastOffset) - BigInt(p.firstOffset) + 1n).toBe(BigInt(p.count));
    // the messages on the wire: unique id, run id, sequence, timestamp, exactly Y bytes
    const consumer = new Kafka({ brokers: [listeners.plaintext], logLevel: logLevel.NOTHING }).consumer({ groupId: `check-${report.runId}` });
    await consumer.connect();
    await consumer.subscribe({ topic: 'orders', fromBeginning: true });
    const seen: any[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          const v = JSON.parse(message.value!.toString());
          if (v.runId === report.runId) {
            expect(message.value!.length).toBe(200);
            seen.push(v);
          }
          if (seen.length === 300) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(new Set(seen.map((v) => v.id)).size).toBe(300);
    expect(seen.map((v) => v.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(Number.isNaN(Date.parse(seen[0].ts))).toBe(false);
  });

  it('verifies TLS on the produce path too: an untrusted broker certificate stops it, nothing is sent', async () => {
    const r = await cli(['produce', '--bootstrap-servers', listeners.tls, '--auth', 'TLS', '--topic', 'orders', '-n', '5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Lambda failed to authenticate server/);
    expect(r.stderr).toMatch(/SERVER_ROOT_CA_CERTIFICATE/);
    expect(r.stdout).toBe('');
  });

  it('a fixed key sends everything to one partition', async () => {
    const { report } = json(await cli(['produce', ...conn('plaintext'), '-n', '50', '--size', '100', '--key', 'same']));
    expect(report.keyMode).toBe('fixed');
    expect(report.partitions).toHaveLength(1);
    expect(report.partitions[0].count).toBe(50);
  });

  it('bad counts and sizes are refused before connecting', async () => {
    const r = await cli(['produce', '--bootstrap-servers', '127.0.0.1:1', '--topic', 'x', '-n', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--count: '0' is not a whole number/);
  });
});

describe('esmctl kafka validate', () => {
  it('reports N consumed for a mapping with the default group (its UUID)', async () => {
    const uuid = await createMapping({ EventSourceArn: CLUSTER_ARN, Topics: ['orders'] });
    const r = await cli(['validate', '--mapping', uuid, '--ca-file', caFile, '-n', '12', '--timeout', '30s', '--json']);
    const { report } = json(r);
    expect(report).toMatchObject({ groupId: uuid, groupSource: 'uuid', produced: 12, processed: 12, covered: true, verdict: 'consumed' });
    expect(report.mapping.state).toBe('Enabled');
    expect(report.timeToConsumeMs).toBeLessThan(30_000);
    expect(r.code).toBe(0);
  });

  it('uses the custom ConsumerGroupId, never the UUID', async () => {
    const uuid = await createMapping({ EventSourceArn: CLUSTER_ARN, Topics: ['payments'], AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'payments-custom-group' } });
    const r = await cli(['validate', '--mapping', uuid, '--ca-file', caFile, '-n', '9', '--timeout', '30s', '--json']);
    const { report } = json(r);
    expect(report).toMatchObject({ groupId: 'payments-custom-group', groupSource: 'custom', produced: 9, processed: 9, verdict: 'consumed' });
    // the UUID group holds nothing: validating it would have been wrong
    const byUuid = json(await cli(['offsets', '--mapping', uuid, '--group', uuid, '--ca-file', caFile, '--json']));
    expect(byUuid.snapshot.partitions.every((p: any) => p.committed === null)).toBe(true);
  });

  it('finds the mapping from function + topic + cluster', async () => {
    await createMapping({ EventSourceArn: CLUSTER_ARN, Topics: ['orders'] });
    const fn = `consumer-${functionCount - 1}`;
    const r = await cli(['validate', '--function', fn, '--topic', 'orders', '--cluster-arn', CLUSTER_ARN, '--ca-file', caFile, '-n', '5', '--timeout', '30s', '--json']);
    expect(json(r).report).toMatchObject({ topic: 'orders', processed: 5, verdict: 'consumed' });
  });

  it('reports lag and a verdict with the cause for a disabled mapping', async () => {
    const uuid = await createMapping({ EventSourceArn: CLUSTER_ARN, Topics: ['idle'], Enabled: false });
    const r = await cli(['validate', '--mapping', uuid, '--ca-file', caFile, '-n', '6', '--timeout', '2s', '--json']);
    expect(r.code).toBe(1);
    const { report } = json(r);
    expect(report).toMatchObject({ produced: 6, processed: 0, covered: false, verdict: 'not-consumed' });
    expect(report.mapping.state).toBe('Disabled');
    expect(Number(report.totalLag)).toBeGreaterThanOrEqual(6);
    expect(report.likelyCause).toMatch(/mapping is Disabled/);
    expect(report.fix).toMatch(/Enable the mapping/);
  });

  it('--observe produces nothing and watches the group catch up', async () => {
    const uuid = await createMapping({ EventSourceArn: CLUSTER_ARN, Topics: ['audit'], AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'audit-observer' } });
    await cli(['produce', '--bootstrap-servers', listeners.plaintext, '--topic', 'audit', '-n', '20', '--size', '64']);
    const r = await cli(['validate', '--mapping', uuid, '--observe', '--ca-file', caFile, '--timeout', '30s', '--json']);
    const { report } = json(r);
    expect(report.mode).toBe('observe');
    expect(report.covered).toBe(true);
    expect(report.runId).toBeUndefined();
    expect(report.groupId).toBe('audit-observer');
  });

  it('the two-step offsets check: save a snapshot, produce, compare', async () => {
    const uuid = await createMapping({ EventSourceArn: CLUSTER_ARN, Topics: ['orders'], AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'two-step' } });
    const snap = join(dir, 'snap.json');
    expect((await cli(['offsets', '--mapping', uuid, '--ca-file', caFile, '--save', snap])).code).toBe(0);
    await cli(['produce', '--bootstrap-servers', listeners.plaintext, '--topic', 'orders', '-n', '30', '--size', '64']);
    let cmp: any;
    for (let i = 0; i < 40; i++) {
      cmp = json(await cli(['offsets', '--mapping', uuid, '--ca-file', caFile, '--compare', snap, '--json'])).comparison;
      if (cmp.coveredProduced) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(cmp).toMatchObject({ groupId: 'two-step', produced: '30', coveredProduced: true });
    expect(Number(cmp.consumed)).toBeGreaterThanOrEqual(30);
  });
});

// ───────────────────────────── MCP ─────────────────────────────

interface Mcp {
  client: Client;
  stderr: () => string;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult & { structuredContent?: Record<string, any> }>;
  close(): Promise<void>;
}

async function mcp(capabilities: Record<string, unknown>, onElicit?: (params: any) => Promise<ElicitResult>): Promise<Mcp> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', '--allow-write'],
    env: cliEnv(sandbox.env) as Record<string, string>,
    cwd: ROOT,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const client = new Client({ name: 'kafka-tools-test', version: '0.0.0' }, { capabilities });
  if (onElicit) client.setRequestHandler(ElicitRequestSchema, async (req) => onElicit(req.params));
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    async call(name, args) {
      const r = (await client.callTool({ name, arguments: args }, undefined, { timeout: 90_000 })) as CallToolResult & { structuredContent?: Record<string, any> };
      outputs.push(JSON.stringify(r));
      return r;
    },
    async close() {
      await client.close();
      outputs.push(stderr);
    },
  };
}

describe('MCP tools', () => {
  it('lists the six Kafka tools with read-only annotations where they only read', async () => {
    const m = await mcp({});
    try {
      const { tools } = await m.client.listTools();
      const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
      for (const t of ['test_kafka_connection', 'check_esm_traffic', 'get_initial_offsets', 'check_offsets_after_production']) expect(byName[t]?.annotations?.readOnlyHint).toBe(true);
      for (const t of ['produce_test_messages', 'validate_esm_processing']) expect(byName[t]?.annotations?.readOnlyHint).toBe(false);
      for (const t of Object.values(byName).filter((x) => /kafka|esm_|offsets|produce/.test(x.name))) {
        expect(Object.keys((t.inputSchema as any).properties ?? {})).not.toContain('password');
      }
    } finally {
      await m.close();
    }
  });

  it('asks missing bootstrap servers and auth through form elicitation (never a secret in the form)', async () => {
    const asked: any[] = [];
    const m = await mcp({ elicitation: { form: {} } }, async (params) => {
      asked.push(params);
      return { action: 'accept', content: { bootstrapServers: listeners.plaintext, auth: 'PLAINTEXT' } };
    });
    try {
      const r = await m.call('test_kafka_connection', { topic: 'orders' });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent!.ok).toBe(true);
      expect(asked).toHaveLength(1);
      expect(asked[0].mode ?? 'form').toBe('form');
      expect(Object.keys(asked[0].requestedSchema.properties).sort()).toEqual(['auth', 'bootstrapServers']);
      expect(r.structuredContent!.settings.origins).toMatchObject({ bootstrapServers: 'prompt', auth: 'prompt' });
    } finally {
      await m.close();
    }
  });

  it('produce_test_messages asks the missing topic through the form and uses the answer', async () => {
    const asked: any[] = [];
    const m = await mcp({ elicitation: { form: {} } }, async (params) => {
      asked.push(params);
      return { action: 'accept', content: { topic: 'orders' } };
    });
    try {
      const r = await m.call('produce_test_messages', { bootstrap_servers: listeners.plaintext, auth: 'PLAINTEXT', count: 5, message_size_bytes: 64 });
      expect(r.isError).toBeFalsy();
      expect(asked.map((a) => Object.keys(a.requestedSchema.properties))).toEqual([['topic']]);
      expect(r.structuredContent!.report).toMatchObject({ topic: 'orders', produced: 5 });
      expect(r.structuredContent!.settings.origins.topic).toBe('prompt');
    } finally {
      await m.close();
    }
  });

  it('asks a missing password through the URL-mode page, which the client fills over HTTP', async () => {
    const asked: any[] = [];
    let pageHtml = '';
    const m = await mcp({ elicitation: { form: {}, url: {} } }, async (params) => {
      asked.push(params);
      expect(params.mode).toBe('url');
      const url = new URL(params.url);
      expect(url.hostname).toBe('127.0.0.1');
      pageHtml = await (await fetch(url)).text();
      const post = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ value: CANARY }) });
      expect(post.status).toBe(200);
      // one-time: the page is gone after use
      expect((await fetch(url, { method: 'POST', body: new URLSearchParams({ value: 'again' }) }).catch(() => ({ status: 0 }))).status).not.toBe(200);
      return { action: 'accept' };
    });
    try {
      const r = await m.call('test_kafka_connection', { bootstrap_servers: listeners.saslScram, auth: 'SASL_SCRAM_512', username: 'demo', ca_secret_arn: caSecretArn, topic: 'orders' });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent!.ok).toBe(true);
      expect(r.structuredContent!.settings).toMatchObject({ passwordSet: true });
      expect(r.structuredContent!.settings.origins.password).toBe('prompt');
      expect(asked).toHaveLength(1);
      expect(pageHtml).toContain('type="password"');
    } finally {
      await m.close();
    }
  });

  it('a client without URL mode gets a clear error asking for a Secrets Manager ARN', async () => {
    const m = await mcp({ elicitation: { form: {} } }, async () => ({ action: 'decline' }));
    try {
      const r = await m.call('test_kafka_connection', { bootstrap_servers: listeners.saslScram, auth: 'SASL_SCRAM_512', username: 'demo', ca_secret_arn: caSecretArn, topic: 'orders' });
      expect(r.isError).toBe(true);
      expect(r.structuredContent!.error.code).toBe('kafka.secret-needs-arn');
      expect(r.structuredContent!.error.hint).toMatch(/Secrets Manager.*auth_secret_arn/);
    } finally {
      await m.close();
    }
  });

  it('validate_esm_processing and the two-step tools work for a custom-group mapping', async () => {
    const uuid = await createMapping({ EventSourceArn: CLUSTER_ARN, Topics: ['payments'], AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'mcp-group' } });
    const m = await mcp({});
    try {
      const v = await m.call('validate_esm_processing', { mapping_uuid: uuid, auth: 'SASL_SCRAM_512', auth_secret_arn: SCRAM_SECRET, ca_secret_arn: caSecretArn, count: 7, timeout_seconds: 30 });
      expect(v.isError).toBeFalsy();
      expect(v.structuredContent!.report).toMatchObject({ groupId: 'mcp-group', groupSource: 'custom', processed: 7, verdict: 'consumed' });
      const init = await m.call('get_initial_offsets', { mapping_uuid: uuid, ca_secret_arn: caSecretArn });
      expect(init.isError).toBeFalsy();
      await m.call('produce_test_messages', { bootstrap_servers: listeners.plaintext, auth: 'PLAINTEXT', topic: 'payments', count: 4, message_size_bytes: 64 });
      let cmp: any;
      for (let i = 0; i < 40; i++) {
        cmp = (await m.call('check_offsets_after_production', { mapping_uuid: uuid, ca_secret_arn: caSecretArn, initial: init.structuredContent!.snapshot })).structuredContent!.comparison;
        if (cmp.coveredProduced) break;
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(cmp).toMatchObject({ groupId: 'mcp-group', produced: '4', coveredProduced: true });
    } finally {
      await m.close();
    }
  });
});

describe('MCP: waiting tools report progress', () => {
  it('check_esm_traffic sends progress notifications while it waits, then the disabled mapping\'s verdict', async () => {
    const uuid = await createMapping({ EventSourceArn: CLUSTER_ARN, Topics: ['idle'], Enabled: false, AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'idle-watch' } });
    await cli(['produce', '--bootstrap-servers', listeners.plaintext, '--topic', 'idle', '-n', '5', '--size', '64']);
    const m = await mcp({});
    try {
      const progress: Array<{ progress: number; total?: number; message?: string }> = [];
      const r = (await m.client.callTool(
        { name: 'check_esm_traffic', arguments: { mapping_uuid: uuid, ca_secret_arn: caSecretArn, timeout_seconds: 3 } },
        undefined,
        { timeout: 60_000, onprogress: (p) => void progress.push(p) },
      )) as CallToolResult & { structuredContent?: Record<string, any> };
      outputs.push(JSON.stringify(r));
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent!.report).toMatchObject({ mode: 'observe', groupId: 'idle-watch', covered: false, verdict: 'not-consumed' });
      expect(r.structuredContent!.report.likelyCause).toMatch(/Disabled/);
      expect(progress.length).toBeGreaterThanOrEqual(2);
      expect(progress.at(-1)!.total).toBe(3000);
      expect(progress.at(-1)!.message).toMatch(/waiting for the consumer group: lag \d+/);
    } finally {
      await m.close();
    }
  });
});

describe('secrets never leak', () => {
  it('a debug run logs kafkajs and AWS detail without the password', async () => {
    const r = await runCli(['--debug', 'kafka', 'test-connection', '--config-secret', configSecretArn, '--config-block', 'sasl', '--ca-file', caFile], sandbox.env, { env: { ESMCTL_KAFKA_PASSWORD: CANARY } });
    outputs.push(r.stdout, r.stderr);
    expect(r.code).toBe(0);
    const w = await runCli(['--debug', 'kafka', 'test-connection', ...conn('saslScram'), '--auth', 'SASL_SCRAM_512', '--username', 'demo', '--ca-file', caFile], sandbox.env, {
      env: { ESMCTL_KAFKA_PASSWORD: `${CANARY}-wrong` },
    });
    outputs.push(w.stdout, w.stderr);
    expect(w.code).toBe(1);
  });

  it('no output, log or tool result of this file contains the canary secret value', () => {
    expect(outputs.length).toBeGreaterThan(40);
    const leaks = outputs.filter((o) => o.includes(CANARY));
    expect(leaks.map((l) => l.slice(Math.max(0, l.indexOf(CANARY) - 200), l.indexOf(CANARY) + 50))).toEqual([]);
  });
});
