// The CLI's plan, drift and export commands end to end (issue 4 §9): `node bin/esmctl.js` as a child process
// against the in-process sandbox, asserting plan text, JSON, saved plans and exit codes.

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
  ensureBuilt,
  listAllMappings,
  mutatingCalls,
  runCli,
  tempDir,
  writeSpec,
} from './cli-harness.js';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const OTHER_COUNT_BEFORE = 150;
const OTHER_COUNT_AFTER = 99;

function otherMapping(i: number): Record<string, unknown> {
  return {
    FunctionName: 'other-fn',
    SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['kafka-1.other.internal:9092'] } },
    Topics: [`other.t${String(i).padStart(3, '0')}`],
    StartingPosition: 'TRIM_HORIZON',
  };
}

const SEED: SandboxSeed = {
  region: REGION,
  accountId: ACCOUNT,
  functions: [
    { name: 'orders-ingest', role: 'orders-ingest-role' },
    { name: 'orders-audit', role: 'orders-audit-role' },
    { name: 'other-fn', role: 'other-role' },
  ],
  clusters: [{ name: CLUSTER_NAME, uuid: CLUSTER_UUID, auth: ['iam', 'scram'] }],
};

/** A seed with 250 unowned mappings; the one matching the spec sits on page 2 of 3 (100 per page). */
const PAGED_SEED: SandboxSeed = {
  ...SEED,
  mappings: [
    ...Array.from({ length: OTHER_COUNT_BEFORE }, (_, i) => otherMapping(i)),
    { FunctionName: 'orders-ingest', EventSourceArn: CLUSTER_ARN, Topics: ['orders.created'], StartingPosition: 'LATEST' },
    ...Array.from({ length: OTHER_COUNT_AFTER }, (_, i) => otherMapping(OTHER_COUNT_BEFORE + i)),
  ],
};

function specText(set: string, mappings: string): string {
  return `apiVersion: esmctl/v1\nkind: MappingSet\nmetadata:\n  name: ${set}\n  region: ${REGION}\ndefaults:\n  startingPosition: LATEST\nmappings:\n${mappings}`;
}

const DEFAULTS_MAPPING = `  - name: ingest
    function: orders-ingest
    source:
      msk: ${CLUSTER_ARN}
    topic: orders.created
`;

let sandbox: Sandbox;
let env: Record<string, string>;
let dir: string;

async function planModel(specFile: string, extra: string[] = []): Promise<{ plan: Plan; code: number | null; stdout: string }> {
  const out = join(dir, `plan-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const r = await runCli(['plan', specFile, '--out', out, ...extra], env);
  expect(r.code, r.stderr).not.toBe(1);
  return { plan: (JSON.parse(readFileSync(out, 'utf8')) as { plan: Plan }).plan, code: r.code, stdout: r.stdout };
}

async function applyOk(specFile: string): Promise<void> {
  const r = await runCli(['apply', specFile, '--auto-approve'], env);
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
}

describe('esmctl plan / drift / export against the sandbox', { timeout: 150_000 }, () => {
  beforeAll(async () => {
    ensureBuilt();
    sandbox = await startSandbox({ port: 0, seed: SEED, stateDelayMs: 20 });
    env = sandbox.env;
    dir = tempDir();
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  beforeEach(() => {
    sandbox.control.reset();
    sandbox.control.clearLog();
  });

  it('plans a create for a new mapping, exits 2 with --detailed-exitcode, and shows no changes after applying defaults', async () => {
    const file = writeSpec(dir, 'defaults.yaml', specText('shop', DEFAULTS_MAPPING));
    const first = await runCli(['plan', file, '--detailed-exitcode'], env);
    expect(first.code, first.stderr).toBe(2);
    expect(first.stdout).toContain('shop/ingest');
    expect(first.stdout).toMatch(/Plan: 1 to create, 0 to update, 0 to replace, 0 to delete, 0 to adopt\./);
    expect(mutatingCalls(sandbox.control.requestLog())).toEqual([]);

    await applyOk(file);
    const again = await runCli(['plan', file, '--detailed-exitcode'], env);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/No changes/);
    const json = await runCli(['plan', file, '--json'], env);
    expect(json.code).toBe(0);
    const model = JSON.parse(json.stdout) as { formatVersion: number; actions: unknown[] };
    expect(model.formatVersion).toBe(1);
    expect(model.actions).toEqual([]);
  });

  it('detects a console edit as drift naming the field (exit 2), and apply reverts it', async () => {
    const file = writeSpec(dir, 'drift.yaml', specText('shop', DEFAULTS_MAPPING));
    await applyOk(file);
    const [live] = (await listAllMappings(env)).filter((m) => m.Topics?.[0] === 'orders.created');
    sandbox.control.editMapping(live.UUID as string, { BatchSize: 500 });

    const text = await runCli(['drift', file], env);
    expect(text.code, text.stderr).toBe(2);
    expect(text.stdout).toContain('shop/ingest');
    expect(text.stdout).toContain('batchSize');
    expect(text.stdout).toMatch(/500\s*(→|->)\s*100/);

    const json = await runCli(['drift', file, '--json'], env);
    expect(json.code).toBe(2);
    const model = JSON.parse(json.stdout) as { differs: boolean; drifted: string[]; pending: string[] };
    expect(model).toMatchObject({ differs: true, drifted: ['shop/ingest'], pending: [] });

    const md = await runCli(['drift', file, '--markdown'], env);
    expect(md.code).toBe(2);
    expect(md.stdout).toContain('batchSize');

    await applyOk(file);
    const after = (await listAllMappings(env)).find((m) => m.UUID === live.UUID);
    expect(after?.BatchSize).toBe(100);
    const clean = await runCli(['drift', file], env);
    expect(clean.code, clean.stdout).toBe(0);
  });

  it('plans a topic change as a replace with the consumer-group warning, then applies it without a collision', async () => {
    const file = writeSpec(dir, 'replace.yaml', specText('shop', DEFAULTS_MAPPING));
    await applyOk(file);
    const before = (await listAllMappings(env)).filter((m) => String(m.FunctionArn).endsWith(':orders-ingest'));
    expect(before).toHaveLength(1);

    writeSpec(dir, 'replace.yaml', specText('shop', DEFAULTS_MAPPING.replace('orders.created', 'orders.v2')));
    const { plan, code, stdout } = await planModel(file, ['--detailed-exitcode']);
    expect(code).toBe(2);
    const replace = plan.actions.find((a) => a.kind === 'replace');
    expect(replace).toBeDefined();
    if (replace?.kind !== 'replace') throw new Error('no replace');
    expect(replace.forcedBy).toContain('topic');
    expect(replace.consequence).toMatch(/consumer group/i);
    expect(replace.consequence).toMatch(/LATEST/);
    expect(stdout).toMatch(/replace/i);
    expect(stdout).toContain(replace.consequence);
    // --json: the documented format (schemas/plan.schema.json), the same actions the saved plan holds
    const json = await runCli(['plan', file, '--json', '--detailed-exitcode'], env);
    expect(json.code).toBe(2);
    const model = JSON.parse(json.stdout) as Plan;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'plan.schema.json'), 'utf8')));
    expect(validate(model), JSON.stringify(validate.errors)).toBe(true);
    expect(model.actions.map((a) => [a.kind, a.address])).toEqual(plan.actions.map((a) => [a.kind, a.address]));
    expect(model.warnings.map((w) => w.code)).toContain('replace-offsets');

    await applyOk(file);
    const after = (await listAllMappings(env)).filter((m) => String(m.FunctionArn).endsWith(':orders-ingest'));
    expect(after).toHaveLength(1);
    expect(after[0].Topics).toEqual(['orders.v2']);
    expect(after[0].UUID).not.toBe(before[0].UUID);
    const clean = await runCli(['plan', file, '--detailed-exitcode'], env);
    expect(clean.code, clean.stdout).toBe(0);
  });

  it('treats reordered bootstrap servers as no change', async () => {
    const servers = ['b-1.kafka.internal:9092', 'b-2.kafka.internal:9092', 'b-3.kafka.internal:9092'];
    const mapping = (list: string[]) => `  - name: stock
    function: orders-audit
    source:
      bootstrapServers: [${list.join(', ')}]
    topic: inventory.stock
    permissions: none
`;
    const file = writeSpec(dir, 'servers.yaml', specText('inventory', mapping(servers)));
    await applyOk(file);
    writeSpec(dir, 'servers.yaml', specText('inventory', mapping([servers[2], servers[0], servers[1]])));
    const r = await runCli(['plan', file, '--detailed-exitcode'], env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/No changes/);
  });

  it('adopts the unowned matching mapping on page 2 of 3 exactly once and leaves the 249 others untouched', async () => {
    await sandbox.stop();
    sandbox = await startSandbox({ port: 0, seed: PAGED_SEED, stateDelayMs: 20 });
    env = sandbox.env;
    try {
      const all = await listAllMappings(env);
      expect(all).toHaveLength(OTHER_COUNT_BEFORE + 1 + OTHER_COUNT_AFTER);
      const target = all.find((m) => String(m.FunctionArn).endsWith(':orders-ingest'))!;
      const file = writeSpec(dir, 'adopt.yaml', specText('shop', `${DEFAULTS_MAPPING}    permissions: none\n`));
      sandbox.control.clearLog();

      const { plan } = await planModel(file);
      expect(plan.actions.map((a) => [a.kind, a.address])).toEqual([['adopt', 'shop/ingest']]);
      const adopt = plan.actions[0];
      if (adopt.kind !== 'adopt') throw new Error('expected adopt');
      expect(adopt.uuid).toBe(target.UUID);
      expect(adopt.changes).toEqual([]);
      expect(plan.unmanaged).toHaveLength(OTHER_COUNT_BEFORE + OTHER_COUNT_AFTER);
      const lists = sandbox.control.requestLog().filter((e) => e.operation === 'ListEventSourceMappings');
      expect(lists).toHaveLength(3);

      const text = await runCli(['plan', file], env);
      expect(text.stdout).toMatch(/Plan: 0 to create, 0 to update, 0 to replace, 0 to delete, 1 to adopt\./);

      sandbox.control.clearLog();
      await applyOk(file);
      expect(mutatingCalls(sandbox.control.requestLog())).toEqual(['TagResource']);
      const after = await listAllMappings(env);
      expect(after).toHaveLength(all.length);
      const clean = await runCli(['plan', file, '--detailed-exitcode'], env);
      expect(clean.code, clean.stdout).toBe(0);
    } finally {
      await sandbox.stop();
      sandbox = await startSandbox({ port: 0, seed: SEED, stateDelayMs: 20 });
      env = sandbox.env;
    }
  });

  it('plans the exact least-privilege IAM statements and ARNs for an IAM-auth MSK mapping', async () => {
    const file = writeSpec(
      dir,
      'iam.yaml',
      specText(
        'shop',
        `  - name: ingest
    function: orders-ingest
    source:
      msk: ${CLUSTER_ARN}
    topic: orders.created
    consumerGroupId: orders-ingest
    auth:
      type: IAM
`,
      ),
    );
    const { plan } = await planModel(file);
    const put = plan.actions.find((a) => a.kind === 'put-policy');
    if (put?.kind !== 'put-policy') throw new Error('expected a put-policy action');
    expect(put.roleName).toBe('orders-ingest-role');
    expect(put.policyName).toBe('esmctl-shop');
    const create = plan.actions.find((a) => a.kind === 'create')!;
    expect(create.dependsOn).toContain(put.id);

    const pairs = new Set<string>();
    for (const s of put.after.Statement) {
      const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
      const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
      expect(s.Effect).toBe('Allow');
      for (const a of actions) for (const r of resources) pairs.add(`${a} ${r}`);
    }
    const base = `arn:aws:kafka:${REGION}:${ACCOUNT}`;
    const topicArn = `${base}:topic/${CLUSTER_NAME}/${CLUSTER_UUID}/orders.created`;
    const groupArn = `${base}:group/${CLUSTER_NAME}/${CLUSTER_UUID}/orders-ingest`;
    for (const expected of [
      `kafka:DescribeClusterV2 ${CLUSTER_ARN}`,
      `kafka:GetBootstrapBrokers ${CLUSTER_ARN}`,
      `kafka-cluster:Connect ${CLUSTER_ARN}`,
      `kafka-cluster:DescribeClusterDynamicConfiguration ${CLUSTER_ARN}`,
      `kafka-cluster:DescribeTopic ${topicArn}`,
      `kafka-cluster:ReadData ${topicArn}`,
      `kafka-cluster:DescribeGroup ${groupArn}`,
      `kafka-cluster:AlterGroup ${groupArn}`,
    ]) {
      expect(pairs, expected).toContain(expected);
    }
    expect([...pairs].filter((p) => p.startsWith('kafka-cluster:') && p.endsWith(' *'))).toEqual([]);

    await applyOk(file);
    const { IAMClient, GetRolePolicyCommand } = await import('@aws-sdk/client-iam');
    const iam = new IAMClient({ region: REGION, endpoint: env.AWS_ENDPOINT_URL, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'orders-ingest-role', PolicyName: 'esmctl-shop' }));
    iam.destroy();
    const doc = JSON.parse(decodeURIComponent(got.PolicyDocument!)) as { Statement: unknown[] };
    expect(doc.Statement.length).toBeGreaterThan(0);
    const clean = await runCli(['plan', file, '--detailed-exitcode'], env);
    expect(clean.code, clean.stdout).toBe(0);
  });

  it('exports mappings as a spec that, once applied (adopting), plans to no changes; list shows the new owner', async () => {
    const file = writeSpec(
      dir,
      'export-src.yaml',
      specText(
        'shop',
        `  - name: ingest
    function: orders-ingest
    source:
      msk: ${CLUSTER_ARN}
    topic: orders.created
    batchSize: 250
    maximumBatchingWindowInSeconds: 5
    enabled: false
    filters:
      - value: { type: [order] }
    permissions: none
`,
      ),
    );
    await applyOk(file);
    // strip ownership so the exported spec adopts an unowned mapping
    const [live] = await listAllMappings(env);
    sandbox.control.editMapping(live.UUID as string, { Tags: {} });

    const out = join(dir, 'exported.yaml');
    const exp = await runCli(['export', '--function', 'orders-ingest', '--set', 'legacy', '--out', out], env);
    expect(exp.code, exp.stderr).toBe(0);
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).toContain('name: legacy');
    expect(yaml).toContain('batchSize: 250');

    const { plan } = await planModel(out);
    expect(plan.actions.map((a) => a.kind)).toEqual(['adopt']);
    await applyOk(out);
    const clean = await runCli(['plan', out, '--detailed-exitcode'], env);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect((await listAllMappings(env)).length).toBe(1);
    const listed = await runCli(['list', '--set', 'legacy', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    const { mappings } = JSON.parse(listed.stdout) as { mappings: Array<{ topic: string; batchSize: number; owner?: { set: string } }> };
    expect(mappings).toHaveLength(1);
    expect(mappings[0]).toMatchObject({ topic: 'orders.created', batchSize: 250, owner: { set: 'legacy' } });
    const table = await runCli(['list', '--function', 'orders-ingest'], env);
    expect(table.stdout).toMatch(/^UUID\s+STATE\s+FUNCTION\s+SOURCE\s+TOPIC\s+OWNER$/m);
    expect(table.stdout).toMatch(/orders-ingest\s+msk:orders\/\S+\s+orders\.created\s+legacy\//);
  });

  it('prints spec problems located as file:line:col and exits 1 without calling AWS', async () => {
    const file = writeSpec(dir, 'bad.yaml', specText('shop', DEFAULTS_MAPPING.replace('orders-ingest', 'orders-ingest\n    batchSize: 0')));
    const r = await runCli(['plan', file], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`bad\\.yaml:\\d+:\\d+`));
    expect(r.stderr).not.toMatch(/\n\s+at .+\(.*\.js:\d+:\d+\)/);
    expect(sandbox.control.requestLog()).toEqual([]);
  });
});
