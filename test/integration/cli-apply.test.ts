// The CLI's apply end to end (issue 5 §10): create/update/replace/delete/adopt then no changes, stale saved plans
// refused with no mutating call, throttling and 5xx converging, and SIGKILL mid-apply then re-apply converging.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxSeed } from '../../src/sandbox/seed.js';
import type { Plan } from '../../src/core/types.js';
import {
  ACCOUNT,
  CLUSTER_ARN,
  CLUSTER_NAME,
  CLUSTER_UUID,
  REGION,
  ROOT,
  collect,
  ensureBuilt,
  listAllMappings,
  mutatingCalls,
  runCli,
  startCli,
  tempDir,
  writeSpec,
} from './cli-harness.js';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const SEED: SandboxSeed = {
  region: REGION,
  accountId: ACCOUNT,
  functions: [
    { name: 'orders-ingest', role: 'orders-ingest-role' },
    { name: 'orders-audit', role: 'orders-audit-role' },
    { name: 'inventory-stock', role: 'inventory-role' },
  ],
  clusters: [{ name: CLUSTER_NAME, uuid: CLUSTER_UUID, auth: ['iam'] }],
  mappings: [
    // unowned, matching the spec's `audit` mapping: adopted
    { FunctionName: 'orders-audit', EventSourceArn: CLUSTER_ARN, Topics: ['orders.audit'], StartingPosition: 'LATEST' },
  ],
};

const SERVERS = 'bootstrapServers: [b-1.kafka.internal:9092, b-2.kafka.internal:9092]';

function spec(mappings: string): string {
  return `apiVersion: esmctl/v1\nkind: MappingSet\nmetadata:\n  name: shop\n  region: ${REGION}\ndefaults:\n  startingPosition: LATEST\nmappings:\n${mappings}`;
}

function mapping(name: string, fn: string, source: string, topic: string, extra = ''): string {
  return `  - name: ${name}\n    function: ${fn}\n    source:\n      ${source}\n    topic: ${topic}\n${extra}`;
}

const MSK = `msk: ${CLUSTER_ARN}`;
const V1 = spec(
  mapping('ingest', 'orders-ingest', MSK, 'orders.created', '    consumerGroupId: orders-ingest\n    auth: { type: IAM }\n') +
    mapping('stock', 'inventory-stock', SERVERS, 'inventory.stock', '    permissions: none\n') +
    mapping('audit', 'orders-audit', MSK, 'orders.audit', '    permissions: none\n'),
);
const V2 = spec(
  mapping('ingest', 'orders-ingest', MSK, 'orders.created', '    consumerGroupId: orders-ingest\n    auth: { type: IAM }\n    batchSize: 300\n') +
    mapping('stock', 'inventory-stock', SERVERS, 'inventory.stock.v2', '    permissions: none\n') +
    mapping('extra', 'inventory-stock', SERVERS, 'inventory.extra', '    permissions: none\n'),
);

interface ApplyJson {
  outcome: string;
  changes?: string[];
  report?: { ok: boolean; results: Array<{ address: string; kind: string; status: string; uuid?: string }> };
}

let sandbox: Sandbox;
let env: Record<string, string>;
let dir: string;

async function expectNoChanges(file: string): Promise<void> {
  const r = await runCli(['plan', file, '--detailed-exitcode'], env);
  expect(r.code, r.stdout + r.stderr).toBe(0);
}

/** One live mapping per function + topic: no duplicates. */
async function liveKeys(): Promise<string[]> {
  const all = await listAllMappings(env);
  return all.map((m) => `${String(m.FunctionArn).split(':').pop()} ${String(m.Topics?.[0])}`).sort();
}

describe('esmctl apply against the sandbox', { timeout: 150_000 }, () => {
  beforeAll(async () => {
    ensureBuilt();
    sandbox = await startSandbox({ port: 0, seed: SEED, stateDelayMs: 30 });
    env = sandbox.env;
    dir = tempDir();
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  beforeEach(() => {
    sandbox.control.reset();
    sandbox.control.setFaults({ rateLimits: {}, errorRate: 0, latencyMs: 0, stateDelayMs: 30 });
    sandbox.control.clearLog();
  });

  it('creates, adopts, updates, replaces and deletes, then a re-plan shows no changes', async () => {
    const file = writeSpec(dir, 'e2e.yaml', V1);
    const r1 = await runCli(['apply', file, '--auto-approve', '--json'], env);
    expect(r1.code, r1.stderr).toBe(0);
    const j1 = JSON.parse(r1.stdout) as ApplyJson;
    expect(j1.outcome).toBe('applied');
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'apply-report.schema.json'), 'utf8')));
    expect(validate(j1.report), JSON.stringify(validate.errors)).toBe(true);
    const status1 = Object.fromEntries(j1.report!.results.map((r) => [`${r.kind} ${r.address}`, r.status]));
    expect(status1).toMatchObject({ 'create shop/ingest': 'done', 'create shop/stock': 'done' });
    expect(status1['adopt shop/audit']).toMatch(/^(done|adopted)$/);
    expect(Object.keys(status1).some((k) => k.startsWith('put-policy '))).toBe(true);
    expect(await liveKeys()).toEqual(['inventory-stock inventory.stock', 'orders-audit orders.audit', 'orders-ingest orders.created']);
    await expectNoChanges(file);

    writeSpec(dir, 'e2e.yaml', V2);
    const plan = await runCli(['plan', file], env);
    expect(plan.stdout).toMatch(/Plan: 1 to create, 1 to update, 1 to replace, 1 to delete, 0 to adopt\./);
    const r2 = await runCli(['apply', file, '--auto-approve'], env);
    expect(r2.code, r2.stdout + r2.stderr).toBe(0);
    expect(await liveKeys()).toEqual([
      'inventory-stock inventory.extra',
      'inventory-stock inventory.stock.v2',
      'orders-ingest orders.created',
    ].sort());
    const ingest = (await listAllMappings(env)).find((m) => m.Topics?.[0] === 'orders.created');
    expect(ingest?.BatchSize).toBe(300);
    await expectNoChanges(file);
  });

  it('says "No changes" and exits 0 when there is nothing to apply', async () => {
    const file = writeSpec(dir, 'nochange.yaml', V1);
    await runCli(['apply', file, '--auto-approve'], env);
    sandbox.control.clearLog();
    const r = await runCli(['apply', file, '--auto-approve'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No changes/);
    expect(mutatingCalls(sandbox.control.requestLog())).toEqual([]);
  });

  it('applies a fresh saved plan, and refuses a stale one (spec or live object changed) with nothing changed', async () => {
    const file = writeSpec(dir, 'saved.yaml', V1);
    expect((await runCli(['apply', file, '--auto-approve'], env)).code).toBe(0);
    writeSpec(dir, 'saved.yaml', V2);
    const planFile = join(dir, 'saved-plan.json');
    const p = await runCli(['plan', file, '--out', planFile], env);
    expect(p.code, p.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(planFile, 'utf8')) as { plan: Plan };
    expect(saved.plan.actions.length).toBeGreaterThan(0);

    // out-of-band console edit of a mapping the plan read
    const ingest = (await listAllMappings(env)).find((m) => m.Topics?.[0] === 'orders.created')!;
    sandbox.control.editMapping(ingest.UUID as string, { BatchSize: 700 });
    sandbox.control.clearLog();
    const stale = await runCli(['apply', planFile], env);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/stale/);
    expect(stale.stderr).toContain(String(ingest.UUID));
    expect(stale.stderr).toMatch(/esmctl plan --out/);
    expect(mutatingCalls(sandbox.control.requestLog())).toEqual([]);

    // the spec file changed since the plan: refused before any AWS call
    const p2 = await runCli(['plan', file, '--out', planFile], env);
    expect(p2.code).toBe(0);
    writeSpec(dir, 'saved.yaml', V2.replace('batchSize: 300', 'batchSize: 301'));
    sandbox.control.clearLog();
    const staleSpec = await runCli(['apply', planFile, '--json'], env);
    expect(staleSpec.code).toBe(1);
    expect((JSON.parse(staleSpec.stdout) as ApplyJson).outcome).toBe('stale');
    expect(staleSpec.stderr).toContain('saved.yaml changed');
    expect(sandbox.control.requestLog()).toEqual([]);

    // fresh: applies exactly the saved plan, without asking
    writeSpec(dir, 'saved.yaml', V2);
    const p3 = await runCli(['plan', file, '--out', planFile], env);
    expect(p3.code).toBe(0);
    const ok = await runCli(['apply', planFile], env);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    await expectNoChanges(file);
  });

  it('converges when every Lambda operation is throttled to a low rate', async () => {
    const file = writeSpec(dir, 'throttle.yaml', V1);
    const rate = 1;
    sandbox.control.setFaults({
      rateLimits: Object.fromEntries(
        [
          'ListEventSourceMappings',
          'GetEventSourceMapping',
          'CreateEventSourceMapping',
          'UpdateEventSourceMapping',
          'DeleteEventSourceMapping',
          'ListTags',
          'TagResource',
          'UntagResource',
          'GetFunction',
        ].map((op) => [op, rate]),
      ),
    });
    const r = await runCli(['apply', file, '--auto-approve'], env, { timeoutMs: 90_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(sandbox.control.requestLog().some((e) => e.status === 429)).toBe(true);
    await expectNoChanges(file);
  }, 120_000);

  it('when IAM denies the policy write, fails it and only the mappings that need it; independent ones are applied', async () => {
    const file = writeSpec(dir, 'denied.yaml', V1);
    sandbox.control.setFaults({ deny: ['iam:PutRolePolicy'] });
    const r = await runCli(['apply', file, '--auto-approve', '--json'], env);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const j = JSON.parse(r.stdout) as ApplyJson & { report: { results: Array<{ id: string; address: string; kind: string; status: string; skippedBecause?: string; error?: { code: string; message: string; hint?: string } }> } };
    const byKey = Object.fromEntries(j.report.results.map((x) => [`${x.kind} ${x.address}`, x]));
    const put = j.report.results.find((x) => x.kind === 'put-policy')!;
    expect(put.status).toBe('failed');
    expect(`${put.error?.message} ${put.error?.hint ?? ''}`).toMatch(/iam:PutRolePolicy/);
    expect(`${put.error?.message} ${put.error?.hint ?? ''}`).toMatch(/kafka-cluster:Connect/); // the policy esmctl wanted to write
    expect(byKey['create shop/ingest'].status).toBe('skipped');
    expect(byKey['create shop/ingest'].skippedBecause).toBe(put.id);
    expect(byKey['create shop/stock'].status).toBe('done');
    expect(byKey['adopt shop/audit'].status).toMatch(/^(done|adopted)$/);
    expect(await liveKeys()).toEqual(['inventory-stock inventory.stock', 'orders-audit orders.audit']);
    expect(sandbox.control.requestLog().filter((e) => e.operation === 'CreateEventSourceMapping' && e.status < 300)).toHaveLength(1);

    sandbox.control.setFaults({ deny: [] });
    const again = await runCli(['apply', file, '--auto-approve'], env);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await liveKeys()).toEqual(['inventory-stock inventory.stock', 'orders-audit orders.audit', 'orders-ingest orders.created']);
    await expectNoChanges(file);
  });

  it('converges with 10% of AWS requests failing with 5xx', async () => {
    const file = writeSpec(dir, 'errors.yaml', V1);
    sandbox.control.setFaults({ errorRate: 0.1 });
    const r = await runCli(['apply', file, '--auto-approve'], env, { timeoutMs: 90_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(sandbox.control.requestLog().some((e) => e.status >= 500)).toBe(true);
    sandbox.control.setFaults({ errorRate: 0 });
    expect(await liveKeys()).toEqual(['inventory-stock inventory.stock', 'orders-audit orders.audit', 'orders-ingest orders.created']);
    await expectNoChanges(file);
  }, 120_000);

  it('on Ctrl-C starts no new actions, finishes the one in flight, reports the rest cancelled; re-apply converges', async () => {
    const four = spec(
      Array.from({ length: 4 }, (_, i) => mapping(`c${i}`, 'inventory-stock', SERVERS, `cancel.t${i}`, '    permissions: none\n')).join(''),
    );
    const file = writeSpec(dir, 'cancel.yaml', four);
    sandbox.control.setFaults({ stateDelayMs: 1500 });
    const child = startCli(['apply', file, '--auto-approve', '--parallelism', '1'], env);
    let interrupted = false;
    child.stderr!.on('data', (d: Buffer) => {
      if (!interrupted && /^create shop\/c\d/m.test(d.toString())) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const r = await collect(child, { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('Interrupt received: no new actions will start');
    expect(r.stdout.match(/^\s+done\s+\+\s+create\s+shop\/c\d/gm)).toHaveLength(1);
    expect(r.stdout.match(/^\s+cancelled\s+\+\s+create\s+shop\/c\d/gm)).toHaveLength(3);
    expect((await liveKeys()).filter((k) => k.includes('cancel.'))).toHaveLength(1);

    sandbox.control.setFaults({ stateDelayMs: 30 });
    const again = await runCli(['apply', file, '--auto-approve'], env);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect((await liveKeys()).filter((k) => k.includes('cancel.'))).toHaveLength(4);
    await expectNoChanges(file);
  });

  it('re-applies to convergence with no duplicates after the CLI is SIGKILLed at several points', async () => {
    const many = spec(
      Array.from({ length: 6 }, (_, i) =>
        mapping(`m${i}`, i % 2 ? 'orders-audit' : 'inventory-stock', SERVERS, `crash.t${i}`, '    permissions: none\n'),
      ).join('') + mapping('ingest', 'orders-ingest', MSK, 'orders.created', '    consumerGroupId: orders-ingest\n    auth: { type: IAM }\n'),
    );
    const file = writeSpec(dir, 'crash.yaml', many);
    // kill after the n-th progress line on stderr: before, between and after the first mutations
    for (const killAfterLines of [1, 3, 6]) {
      sandbox.control.reset();
      sandbox.control.setFaults({ stateDelayMs: 300 });
      const child = startCli(['apply', file, '--auto-approve', '--parallelism', '2'], env);
      let lines = 0;
      let killed = false;
      child.stderr!.on('data', (d: Buffer) => {
        lines += d.toString().split('\n').filter((l) => /^(create|put-policy|adopt|update|replace|delete) |: (done|adopted)/.test(l)).length;
        if (!killed && lines >= killAfterLines) {
          killed = true;
          child.kill('SIGKILL');
        }
      });
      const first = await collect(child, { timeoutMs: 60_000 });
      expect(first.signal === 'SIGKILL' || first.code === 0, first.stderr).toBe(true);
      sandbox.control.setFaults({ stateDelayMs: 30 });
      const again = await runCli(['apply', file, '--auto-approve'], env, { timeoutMs: 60_000 });
      expect(again.code, `kill after ${killAfterLines}: ${again.stdout}\n${again.stderr}`).toBe(0);
      const keys = await liveKeys();
      expect(keys).toHaveLength(8); // 7 in the spec + the seed's unowned audit mapping
      expect(new Set(keys).size).toBe(keys.length);
      await expectNoChanges(file);
    }
  }, 180_000);
});
