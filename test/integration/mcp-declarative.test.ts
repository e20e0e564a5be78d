// The declarative MCP tools through a real MCP Client against the in-process sandbox: plan → apply → no changes,
// drift labelled, export round trip, stale plan refused, destructive apply refused / confirmed by elicitation.

import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxSeed } from '../../src/sandbox/seed.js';
import { ACCOUNT, CLUSTER_ARN, CLUSTER_NAME, CLUSTER_UUID, REGION, listAllMappings, mutatingCalls, tempDir, writeSpec } from './cli-harness.js';
import { connectMcp, ensureBuilt, mcpEnv, type McpConnection } from './mcp-harness.js';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const SEED: SandboxSeed = {
  region: REGION,
  accountId: ACCOUNT,
  functions: [
    { name: 'orders-ingest', role: 'orders-ingest-role' },
    { name: 'orders-audit', role: 'orders-audit-role' },
  ],
  clusters: [{ name: CLUSTER_NAME, uuid: CLUSTER_UUID, auth: ['iam'] }],
};

function spec(topic = 'orders.created', batchSize = 200): string {
  return `apiVersion: esmctl/v1
kind: MappingSet
metadata: { name: orders, region: ${REGION} }
defaults:
  startingPosition: LATEST
mappings:
  - name: ingest
    function: orders-ingest
    source:
      msk: ${CLUSTER_ARN}
    topic: ${topic}
    batchSize: ${batchSize}
    auth:
      type: IAM
`;
}

let sandbox: Sandbox;
let mcp: McpConnection;
let env: Record<string, string>;

beforeAll(async () => {
  ensureBuilt();
  sandbox = await startSandbox({ port: 0, seed: SEED, stateDelayMs: 20 });
  env = mcpEnv(sandbox.env);
  mcp = await connectMcp({ env, args: ['--allow-write', '--idle-timeout', '0'] });
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  await sandbox?.stop();
});

beforeEach(() => {
  sandbox.control.reset();
  sandbox.control.clearLog();
});

const text = (r: { content?: unknown }) => ((r.content as Array<{ text: string }>) ?? [])[0]?.text ?? '';

async function planAndApply(c: McpConnection, yaml: string): Promise<string> {
  const p = await c.call('plan', { spec_yaml: yaml });
  expect(p.isError, text(p)).toBeFalsy();
  const a = await c.call('apply', { plan_id: p.structuredContent!.plan_id, confirm_destructive: true });
  expect(a.isError, text(a)).toBeFalsy();
  return p.structuredContent!.plan_id;
}

describe('plan → apply → no changes', () => {
  it('plans without mutating, applies exactly that plan, and re-plans to no changes', async () => {
    const p = await mcp.call('plan', { spec_yaml: spec() });
    expect(p.isError, text(p)).toBeFalsy();
    const s = p.structuredContent!;
    expect(s.plan_id).toMatch(/^plan-[0-9a-f]{12}$/);
    expect(s.has_changes).toBe(true);
    expect(s.summary.create).toBe(1);
    expect(s.plan.formatVersion).toBe(1);
    expect(s.plan.actions.map((a: { kind: string; address: string }) => `${a.kind} ${a.address}`)).toContain('create orders/ingest');
    expect(s.rendered).toMatch(/orders\/ingest/);
    expect(text(p)).toContain(s.plan_id);
    expect(mutatingCalls(sandbox.control.requestLog())).toEqual([]);

    const a = await mcp.call('apply', { plan_id: s.plan_id });
    expect(a.isError, text(a)).toBeFalsy();
    expect(a.structuredContent!.ok).toBe(true);
    const results = a.structuredContent!.report.results as Array<{ address: string; status: string; uuid?: string }>;
    expect(results.find((r) => r.address === 'orders/ingest')).toMatchObject({ status: 'done' });
    const live = (await listAllMappings(sandbox.env)).filter((m) => m.FunctionArn.endsWith(':function:orders-ingest'));
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ BatchSize: 200, Topics: ['orders.created'], EventSourceArn: CLUSTER_ARN });

    const again = await mcp.call('apply', { plan_id: s.plan_id });
    expect(again.isError).toBe(true);
    expect(again.structuredContent!.error.code).toBe('apply.already_applied');

    const p2 = await mcp.call('plan', { spec_yaml: spec() });
    expect(p2.structuredContent!.has_changes, text(p2)).toBe(false);
  });

  it('reports apply progress per finished action when the client asks for it', async () => {
    const p = await mcp.call('plan', { spec_yaml: spec() });
    const total = p.structuredContent!.plan.actions.length;
    expect(total).toBeGreaterThanOrEqual(2); // the policy and the create
    const progress: Array<{ progress: number; total?: number; message?: string }> = [];
    const a = await mcp.client.callTool({ name: 'apply', arguments: { plan_id: p.structuredContent!.plan_id } }, undefined, {
      onprogress: (n) => void progress.push(n),
      timeout: 120_000,
    });
    expect(a.isError, text(a)).toBeFalsy();
    // One notification per finished action, in order. The SDK client handles notifications a microtask after
    // responses, so a notification that arrives in the same read as the result (the last one, on a busy machine)
    // can be dropped by the client: the sequence is 1..k with k ≥ total - 1.
    const seen = progress.map((n) => n.progress);
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));
    expect(seen.length).toBeGreaterThanOrEqual(total - 1);
    expect(progress.every((n) => n.total === total)).toBe(true);
    expect(progress[0].message).toMatch(/iam:orders-ingest-role\/esmctl-orders/);
  });

  it('stops starting actions when the client cancels the apply', async () => {
    const c = await connectMcp({ env, args: ['--allow-write', '--idle-timeout', '0'] });
    try {
      const p = await c.call('plan', { spec_yaml: spec() });
      expect(p.structuredContent!.summary).toMatchObject({ create: 1, putPolicy: 1 });
      const abort = new AbortController();
      c.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
        if ((n.params.data as { code?: string }).code === 'apply.start') abort.abort('the person changed their mind');
      });
      await c.client.setLoggingLevel('info');
      sandbox.control.setFaults({ latencyMs: 2000 });
      sandbox.control.clearLog();
      const call = c.client.callTool({ name: 'apply', arguments: { plan_id: p.structuredContent!.plan_id } }, undefined, { signal: abort.signal, timeout: 120_000 });
      await expect(call).rejects.toThrow();
      // The policy put in flight finishes; the create that depends on it never starts.
      await new Promise((r) => setTimeout(r, 5000));
      sandbox.control.setFaults({ latencyMs: 0 });
      const ops = sandbox.control.requestLog().map((e) => e.operation);
      expect(ops).toContain('PutRolePolicy');
      expect(ops).not.toContain('CreateEventSourceMapping');
      const alive = await c.call('validate_spec', { spec_yaml: spec() });
      expect(alive.structuredContent!.valid).toBe(true);
    } finally {
      sandbox.control.setFaults({ latencyMs: 0 });
      await c.close();
    }
  }, 90_000);

  it('sends engine events to the client as MCP log notifications, small and without the plan', async () => {
    const logs: Array<{ level: string; logger?: string; data: Record<string, unknown> }> = [];
    mcp.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params as (typeof logs)[number]));
    await mcp.client.setLoggingLevel('debug');
    await mcp.call('plan', { spec_yaml: spec() });
    await new Promise((r) => setTimeout(r, 100));
    const codes = logs.map((l) => l.data.code);
    expect(codes).toEqual(expect.arrayContaining(['read.start', 'read.done', 'plan.built']));
    expect(logs.every((l) => l.logger === 'esmctl')).toBe(true);
    const built = logs.find((l) => l.data.code === 'plan.built')!;
    expect(built.data.message).toMatch(/Plan: 1 to create/);
    expect(built.data.plan).toBeUndefined();
  });

  it('answers spec problems as a located error, with no AWS call', async () => {
    const r = await mcp.call('plan', { spec_yaml: spec().replace('batchSize: 200', 'batchSize: 0') });
    expect(r.isError).toBe(true);
    expect(r.structuredContent!.error.code).toBe('spec.invalid');
    expect(r.structuredContent!.problems[0]).toMatchObject({ file: 'spec.yaml', line: 12 });
    expect(sandbox.control.requestLog()).toEqual([]);
  });

  it('refuses an unknown plan_id with what to do', async () => {
    const r = await mcp.call('apply', { plan_id: 'plan-0123456789ab' });
    expect(r.isError).toBe(true);
    expect(r.structuredContent!.error).toMatchObject({ code: 'apply.unknown_plan' });
    expect(r.structuredContent!.error.hint).toMatch(/plan/);
  });
});

describe('drift and export', () => {
  it('labels a console edit as drift with the field, live vs spec', async () => {
    await planAndApply(mcp, spec());
    const uuid = (await listAllMappings(sandbox.env))[0].UUID as string;
    sandbox.control.editMapping(uuid, { BatchSize: 50 });
    sandbox.control.clearLog();
    const d = await mcp.call('drift', { spec_yaml: spec() });
    expect(d.isError, text(d)).toBeFalsy();
    expect(d.structuredContent!.has_differences).toBe(true);
    expect(d.structuredContent!.pending).toEqual([]);
    expect(d.structuredContent!.drift).toEqual([
      expect.objectContaining({ address: 'orders/ingest', kind: 'update', label: 'drift', fields: [{ path: 'batchSize', live: 50, spec: 200 }] }),
    ]);
    expect(mutatingCalls(sandbox.control.requestLog())).toEqual([]);
  });

  it('exports live mappings as a spec that validates and plans to adoption without changes', async () => {
    await planAndApply(mcp, spec());
    const e = await mcp.call('export_spec', { function: 'orders-ingest' });
    expect(e.isError, text(e)).toBeFalsy();
    expect(e.structuredContent!.set).toBe('orders');
    expect(e.structuredContent!.yaml).toContain('orders.created');
    const v = await mcp.call('validate_spec', { spec_yaml: e.structuredContent!.yaml });
    expect(v.structuredContent!.valid, text(v)).toBe(true);
    const p = await mcp.call('plan', { spec_yaml: e.structuredContent!.yaml });
    const kinds = (p.structuredContent!.plan.actions as Array<{ kind: string }>).map((a) => a.kind);
    expect(kinds.filter((k) => k !== 'put-policy' && k !== 'delete-policy')).toEqual([]);
  });
});

describe('stale plans', () => {
  it('refuses a plan whose live objects changed since, naming what changed, and changes nothing', async () => {
    await planAndApply(mcp, spec());
    const uuid = (await listAllMappings(sandbox.env))[0].UUID as string;
    const p = await mcp.call('plan', { spec_yaml: spec('orders.created', 300) });
    expect(p.structuredContent!.summary.update).toBe(1);
    sandbox.control.editMapping(uuid, { BatchSize: 42 });
    sandbox.control.clearLog();
    const a = await mcp.call('apply', { plan_id: p.structuredContent!.plan_id });
    expect(a.isError).toBe(true);
    expect(a.structuredContent!.error.code).toBe('apply.stale_plan');
    expect(a.structuredContent!.changes.join('\n')).toContain(uuid);
    expect(a.structuredContent!.error.hint).toMatch(/plan again/);
    expect(mutatingCalls(sandbox.control.requestLog())).toEqual([]);
    expect((await listAllMappings(sandbox.env))[0].BatchSize).toBe(42);
  });
});

describe('stale plans from files', () => {
  it('refuses a plan whose spec file changed since, naming the file', async () => {
    const dir = tempDir('esmctl-mcp-');
    const file = writeSpec(dir, 'orders.yaml', spec());
    const p = await mcp.call('plan', { paths: [file] });
    expect(p.isError, text(p)).toBeFalsy();
    writeSpec(dir, 'orders.yaml', spec('orders.created', 999));
    sandbox.control.clearLog();
    const a = await mcp.call('apply', { plan_id: p.structuredContent!.plan_id });
    expect(a.isError).toBe(true);
    expect(a.structuredContent!.error.code).toBe('apply.stale_plan');
    expect(a.structuredContent!.changes.join('\n')).toContain('orders.yaml');
    expect(mutatingCalls(sandbox.control.requestLog())).toEqual([]);
    expect(await listAllMappings(sandbox.env)).toEqual([]);
  });
});

describe('destructive plans', () => {
  it('refuses a replace without confirm_destructive when the client cannot be asked', async () => {
    await planAndApply(mcp, spec());
    const p = await mcp.call('plan', { spec_yaml: spec('orders.renamed') });
    expect(p.structuredContent!.summary.replace).toBe(1);
    sandbox.control.clearLog();
    const a = await mcp.call('apply', { plan_id: p.structuredContent!.plan_id });
    expect(a.isError).toBe(true);
    expect(a.structuredContent!.error.code).toBe('apply.needs_confirmation');
    expect(a.structuredContent!.destructive).toEqual([expect.objectContaining({ kind: 'replace', address: 'orders/ingest' })]);
    expect(a.structuredContent!.error.hint).toMatch(/confirm_destructive: true/);
    expect(sandbox.control.requestLog()).toEqual([]);
  });

  it('asks through elicitation and applies only on an explicit yes', async () => {
    await planAndApply(mcp, spec());
    const asked: string[] = [];
    let answer = false;
    const c = await connectMcp({
      env,
      args: ['--allow-write', '--idle-timeout', '0'],
      onElicit: (message) => {
        asked.push(message);
        return { action: 'accept', content: { confirm: answer } };
      },
    });
    try {
      const p1 = await c.call('plan', { spec_yaml: spec('orders.renamed') });
      sandbox.control.clearLog();
      const no = await c.call('apply', { plan_id: p1.structuredContent!.plan_id });
      expect(no.isError).toBe(true);
      expect(no.structuredContent!.error.code).toBe('apply.not_confirmed');
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatch(/replace orders\/ingest/);
      expect(mutatingCalls(sandbox.control.requestLog())).toEqual([]);

      answer = true;
      const p2 = await c.call('plan', { spec_yaml: spec('orders.renamed') });
      const yes = await c.call('apply', { plan_id: p2.structuredContent!.plan_id });
      expect(yes.isError, text(yes)).toBeFalsy();
      expect(asked).toHaveLength(2);
      const live = await listAllMappings(sandbox.env);
      expect(live.map((m) => m.Topics[0])).toEqual(['orders.renamed']);
    } finally {
      await c.close();
    }
  }, 60_000);
});
