// The issue's end-to-end check with the built CLI as child processes: `esmctl sandbox --seed examples/sandbox.yaml
// --kafka`, `esmctl apply` of a mapping on the demo cluster, `kcat -P` to its topic; Lambda's group offsets advance.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'esmctl.js');
const DEMO_CLUSTER = 'arn:aws:kafka:us-east-1:123456789012:cluster/demo/de3c0de0-0000-4000-8000-000000000001-1';
const HAS_KCAT = spawnSync('kcat', ['-V'], { encoding: 'utf8' }).status === 0;
const describeKcat = HAS_KCAT || process.env.CI ? describe : describe.skip;

const SPEC = `apiVersion: esmctl/v1
kind: MappingSet
metadata:
  name: poller-e2e
  region: us-east-1
mappings:
  - name: consume
    function: demo-consumer
    source:
      msk: ${DEMO_CLUSTER}
    topic: e2e.events
    startingPosition: TRIM_HORIZON
    batchSize: 2
    maximumBatchingWindowInSeconds: 0
    auth:
      type: IAM
`;

let sandbox: ChildProcess;
let env: Record<string, string>;
let plaintext: string;
let dir: string;
let admin: Admin;

function run(cmd: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { cwd: ROOT, env: { ...process.env, ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(input ?? '');
  });
}

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  } while (Date.now() < deadline);
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

describeKcat('esmctl sandbox --kafka + esmctl apply + kcat -P', () => {
  beforeAll(async () => {
    expect(HAS_KCAT, 'kcat is required (.ci/run installs it)').toBe(true);
    expect(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'run `npm run build` first').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'esmctl-poller-e2e-'));
    await writeFile(join(dir, 'demo.yaml'), SPEC);
    sandbox = spawn(process.execPath, [BIN, 'sandbox', '--port', '0', '--seed', 'examples/sandbox.yaml', '--kafka', '--state-delay', '100'], {
      cwd: ROOT,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${err}`)), 20_000);
      sandbox.on('exit', (code) => reject(new Error(`sandbox exited early (${code}): ${err}`)));
      const check = () => {
        const e = Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
        const listener = /plaintext (127\.0\.0\.1:\d+)/.exec(err)?.[1];
        if (e.AWS_REGION && listener) {
          clearTimeout(timer);
          env = e;
          plaintext = listener;
          resolve();
        }
      };
      sandbox.stdout!.on('data', (d) => ((out += d), check()));
      sandbox.stderr!.on('data', (d) => ((err += d), check()));
    });
    admin = new Kafka({ brokers: [plaintext], clientId: 'poller-e2e', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    if (sandbox && sandbox.exitCode === null) {
      sandbox.kill('SIGINT');
      await new Promise((r) => sandbox.once('exit', r));
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the applied mapping consumes what kcat produced, and its group offsets advance', async () => {
    const applied = await run(process.execPath, [BIN, 'apply', '--auto-approve', join(dir, 'demo.yaml')]);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);

    const lambda = new LambdaClient({ endpoint: env.AWS_ENDPOINT_URL, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const { EventSourceMappings } = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'demo-consumer' }));
    lambda.destroy();
    const mapping = EventSourceMappings!.find((m) => m.Topics?.[0] === 'e2e.events')!;
    expect(mapping?.EventSourceArn).toBe(DEMO_CLUSTER);
    const uuid = mapping.UUID!;
    const group = mapping.AmazonManagedKafkaEventSourceConfig?.ConsumerGroupId ?? uuid;

    const produced = await run('kcat', ['-b', plaintext, '-P', '-t', 'e2e.events'], 'one\ntwo\nthree\n');
    expect(produced.code).toBe(0);

    const invocations = async () => ((await (await fetch(`${env.AWS_ENDPOINT_URL}/_sandbox/mappings/${uuid}/invocations`)).json()) as { invocations: Array<{ records: number; firstOffset: string; lastOffset: string }> }).invocations;
    await until('3 records delivered', invocations, (l) => l.reduce((n, i) => n + i.records, 0) >= 3);
    expect((await invocations()).map((i) => `${i.firstOffset}-${i.lastOffset}`)).toEqual(['0-1', '2-2']);
    const offset = async () => (await admin.fetchOffsets({ groupId: group, topics: ['e2e.events'] }))[0].partitions[0].offset;
    expect(await offset()).toBe('3');

    await run('kcat', ['-b', plaintext, '-P', '-t', 'e2e.events'], 'four\n');
    expect(await until('the group offset to advance', offset, (o) => o === '4')).toBe('4');
  });
});
