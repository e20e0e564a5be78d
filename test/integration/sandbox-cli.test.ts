// `esmctl sandbox` as a child process (the built CLI): it prints the environment to export, a Lambda client using
// that environment creates, lists, updates and deletes a Kafka mapping and sees the states change; Ctrl-C stops it.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'esmctl.js');
const CLUSTER = 'arn:aws:kafka:us-east-1:123456789012:cluster/orders/7a1b2c3d-1111-2222-3333-444455556666-1';
const childEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' };

function startCli(args: string[]): Promise<{ child: ChildProcess; env: Record<string, string>; stderr: () => string; stdout: () => string }> {
  const child = spawn(process.execPath, [BIN, 'sandbox', ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${err}`)), 15_000);
    child.on('exit', (code) => reject(new Error(`sandbox exited early (${code}): ${err}`)));
    child.stdout!.on('data', (d) => {
      out += d;
      const env = Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
      if (env.AWS_ENDPOINT_URL && env.AWS_REGION && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
        clearTimeout(timer);
        resolve({ child, env, stderr: () => err, stdout: () => out });
      }
    });
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

describe('esmctl sandbox (CLI)', () => {
  let run: Awaited<ReturnType<typeof startCli>>;
  beforeAll(async () => {
    expect(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'run `npm run build` first').toBe(true);
    run = await startCli(['--port', '0', '--seed', 'examples/sandbox.yaml', '--state-delay', '200']);
  });
  afterAll(() => {
    if (run?.child.exitCode === null) run.child.kill('SIGKILL');
  });

  it('prints exactly the four export lines on stdout and what it seeded on stderr', () => {
    expect(run.stdout().trim().split('\n')).toEqual([
      `export AWS_ENDPOINT_URL=${run.env.AWS_ENDPOINT_URL}`,
      'export AWS_ACCESS_KEY_ID=test',
      'export AWS_SECRET_ACCESS_KEY=test',
      'export AWS_REGION=us-east-1',
    ]);
    expect(run.env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(run.stderr()).toMatch(/seeded 13 functions, .* 4 clusters, 7 secrets, 1 mapping from examples\/sandbox\.yaml/);
  });

  it('lets a Lambda client with that environment create, list, update and delete a mapping and watch its states', async () => {
    const lambda = new LambdaClient({
      endpoint: run.env.AWS_ENDPOINT_URL,
      region: run.env.AWS_REGION,
      credentials: { accessKeyId: run.env.AWS_ACCESS_KEY_ID, secretAccessKey: run.env.AWS_SECRET_ACCESS_KEY },
    });
    const wait = async (uuid: string, want: string) => {
      for (let i = 0; i < 50; i++) {
        const s = (await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State;
        if (s === want) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`${uuid} never reached ${want}`);
    };
    const c = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'orders-ingest', EventSourceArn: CLUSTER, Topics: ['orders.created'], StartingPosition: 'LATEST' }));
    expect(c.State).toBe('Creating');
    await wait(c.UUID!, 'Enabled');
    const listed = await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: CLUSTER }));
    expect(listed.EventSourceMappings?.map((m) => m.Topics![0]).sort()).toEqual(['orders.created', 'orders.legacy']);
    const u = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: c.UUID, BatchSize: 250, Enabled: false }));
    expect(u.State).toBe('Disabling');
    await wait(c.UUID!, 'Disabled');
    const d = await lambda.send(new DeleteEventSourceMappingCommand({ UUID: c.UUID }));
    expect(d.State).toBe('Deleting');
    await expect(async () => {
      for (let i = 0; i < 50; i++) {
        await lambda.send(new GetEventSourceMappingCommand({ UUID: c.UUID }));
        await new Promise((r) => setTimeout(r, 50));
      }
    }).rejects.toThrow(/does not exist/);
  });

  it('stops on Ctrl-C (SIGINT) with exit code 0', async () => {
    run.child.kill('SIGINT');
    expect(await exited(run.child)).toBe(0);
    expect(run.stderr()).toMatch(/esmctl sandbox stopped\./);
  });

  it('takes faults at start (--latency, --error-rate, --rate-limit) and serves them under /_sandbox/faults; SIGTERM stops it', async () => {
    const f = await startCli(['--port', '0', '--latency', '15', '--error-rate', '0.25', '--rate-limit', 'ListEventSourceMappings=5', '--rate-limit', 'iam:GetRole=1', '--deny', 'iam:PutRolePolicy', '--state-delay', '0']);
    try {
      expect(await (await fetch(`${f.env.AWS_ENDPOINT_URL}/_sandbox/faults`)).json()).toEqual({
        rateLimits: { ListEventSourceMappings: 5, 'iam:GetRole': 1 },
        latencyMs: 15,
        errorRate: 0.25,
        stateDelayMs: 0,
        deny: ['iam:PutRolePolicy'],
      });
      expect(f.stderr()).toMatch(/no --seed: empty account/);
    } finally {
      f.child.kill('SIGTERM');
    }
    expect(await exited(f.child)).toBe(0);
  });

  it('with --kafka writes the broker CA to --ca-out, and a TLS client that trusts only that file connects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esmctl-ca-'));
    const caFile = join(dir, 'ca.pem');
    const k = await startCli(['--port', '0', '--kafka', '--ca-out', caFile, '--state-delay', '0']);
    try {
      expect(k.stderr()).toContain(`Kafka broker CA (generated at start): ${caFile}`);
      const tlsAddr = /\btls (127\.0\.0\.1):(\d+)/.exec(k.stderr());
      expect(tlsAddr, k.stderr()).not.toBeNull();
      const ca = readFileSync(caFile, 'utf8');
      expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const socket = tlsConnect({ host: tlsAddr![1], port: Number(tlsAddr![2]), ca, servername: 'localhost' }, () => {
          resolve(socket.authorized);
          socket.end();
        });
        socket.on('error', reject);
      });
      expect(authorized).toBe(true);
    } finally {
      k.child.kill('SIGTERM');
    }
    expect(await exited(k.child)).toBe(0);
  });

  it('reports a bad seed or flag in one line with a hint, no stack trace, exit 1', () => {
    const rate = spawnSync(process.execPath, [BIN, 'sandbox', '--rate-limit', 'ListEventSourceMappings'], { cwd: ROOT, env: childEnv, encoding: 'utf8' });
    expect(rate.status).toBe(1);
    expect(rate.stderr).toMatch(/--rate-limit: 'ListEventSourceMappings' is not Operation=requestsPerSecond/);
    const errorRate = spawnSync(process.execPath, [BIN, 'sandbox', '--error-rate', '2'], { cwd: ROOT, env: childEnv, encoding: 'utf8' });
    expect(errorRate.stderr).toMatch(/--error-rate: '2' is not a fraction from 0 to 1/);
    const bad = spawnSync(process.execPath, [BIN, 'sandbox', '--seed', 'examples/nope.yaml'], { cwd: ROOT, env: childEnv, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/examples\/nope\.yaml: invalid sandbox seed/);
    expect(bad.stderr).toMatch(/Hint:/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(bad.stdout).toBe('');
    const port = spawnSync(process.execPath, [BIN, 'sandbox', '--port', '70000'], { cwd: ROOT, env: childEnv, encoding: 'utf8' });
    expect(port.status).toBe(1);
    expect(port.stderr).toMatch(/--port: '70000' is not a whole number from 0 to 65535/);
  });
});
