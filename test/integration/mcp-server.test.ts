// The MCP server through a real MCP Client (and raw JSON-RPC where stdout itself is under test): tool schemas
// and annotations, read-only refusals with zero AWS calls, validate_spec, resources, stdout purity, idle exit.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { INITIALIZE, connectMcp, countingEndpoint, ensureBuilt, mcpEnv, spawnRaw, type McpConnection } from './mcp-harness.js';

const TOOLS = [
  'validate_spec',
  'plan',
  'apply',
  'drift',
  'export_spec',
  'create_event_source_mapping',
  'update_event_source_mapping',
  'delete_event_source_mapping',
  'list_event_source_mappings',
  'add_msk_permissions',
];
const MUTATING = ['apply', 'create_event_source_mapping', 'update_event_source_mapping', 'delete_event_source_mapping', 'add_msk_permissions'];

const VALID_SPEC = `apiVersion: esmctl/v1
kind: MappingSet
metadata: { name: orders, region: us-east-1 }
defaults:
  startingPosition: LATEST
mappings:
  - name: ingest
    function: orders-ingest
    source:
      msk: arn:aws:kafka:us-east-1:123456789012:cluster/orders/7a1b2c3d-1111-2222-3333-444455556666-1
    topic: orders.created
    batchSize: 200
`;

let endpoint: Awaited<ReturnType<typeof countingEndpoint>>;
let mcp: McpConnection;

beforeAll(async () => {
  ensureBuilt();
  endpoint = await countingEndpoint();
  mcp = await connectMcp({ env: mcpEnv({ AWS_ENDPOINT_URL: endpoint.url }), args: ['--idle-timeout', '0'] });
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  await endpoint?.close();
});

describe('tools/list', () => {
  it('lists every tool with a title, description, described input fields, an output schema and all four hints', async () => {
    const { tools } = await mcp.client.listTools();
    const names = tools.map((t) => t.name);
    for (const name of TOOLS) expect(names).toContain(name);
    for (const t of tools.filter((x) => TOOLS.includes(x.name))) {
      expect(t.title, t.name).toBeTruthy();
      expect((t.description ?? '').length, t.name).toBeGreaterThan(40);
      expect(t.outputSchema?.type, t.name).toBe('object');
      const props = (t.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
      expect(Object.keys(props).length, t.name).toBeGreaterThan(0);
      for (const [field, schema] of Object.entries(props)) expect(schema.description, `${t.name}.${field}`).toBeTruthy();
      const a = t.annotations ?? {};
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        expect(typeof a[hint], `${t.name}.${hint}`).toBe('boolean');
      }
      expect(a.readOnlyHint, t.name).toBe(!MUTATING.includes(t.name));
    }
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(byName.apply.annotations?.destructiveHint).toBe(true);
    expect(byName.delete_event_source_mapping.annotations?.destructiveHint).toBe(true);
    expect(byName.create_event_source_mapping.annotations?.destructiveHint).toBe(false);
  });

  it('gives the create tool the earlier parameter names with enums and ranges', async () => {
    const { tools } = await mcp.client.listTools();
    const create = tools.find((t) => t.name === 'create_event_source_mapping')!;
    const props = create.inputSchema.properties as Record<string, any>;
    for (const p of [
      'target', 'kafka_topic', 'event_source_arn', 'kafka_bootstrap_servers', 'source_access_configurations', 'batch_size',
      'starting_position', 'kafka_consumer_group_id', 'max_batching_window', 'enabled', 'min_pollers', 'max_pollers',
      'report_batch_item_failures', 'retry_attempts', 'bisect_batch_on_error', 'max_record_age', 'tumbling_window',
    ]) {
      expect(props[p], p).toBeDefined();
    }
    expect(create.inputSchema.required).toEqual(expect.arrayContaining(['target', 'kafka_topic']));
    expect(props.batch_size).toMatchObject({ minimum: 1, maximum: 10000 });
    expect(props.max_batching_window).toMatchObject({ minimum: 0, maximum: 300 });
    expect(props.starting_position.enum).toEqual(['LATEST', 'TRIM_HORIZON', 'AT_TIMESTAMP']);
  });
});

describe('read-only by default', () => {
  it.each([
    ['apply', { plan_id: 'plan-000000000000' }],
    ['create_event_source_mapping', { target: 'orders-ingest', kafka_topic: 'orders', kafka_bootstrap_servers: 'b1:9092' }],
    ['update_event_source_mapping', { uuid: '11111111-2222-3333-4444-555555555555', batch_size: 10 }],
    ['delete_event_source_mapping', { uuid: '11111111-2222-3333-4444-555555555555' }],
    ['add_msk_permissions', { function_name: 'orders-ingest' }],
  ])('%s refuses, says how to enable writes, and calls no AWS API', async (name, args) => {
    const before = endpoint.count();
    const r = await mcp.call(name, args);
    expect(r.isError).toBe(true);
    expect(r.structuredContent?.error).toMatchObject({ code: 'mcp.read_only', source: 'user' });
    expect(r.structuredContent?.error.hint).toMatch(/--allow-write/);
    expect(r.structuredContent?.error.hint).toMatch(/ESMCTL_ALLOW_WRITE=true/);
    expect(endpoint.count()).toBe(before);
  });
});

describe('enabling writes', () => {
  it.each([
    ['--allow-write', ['--allow-write'], {}],
    ['ESMCTL_ALLOW_WRITE=true', [], { ESMCTL_ALLOW_WRITE: 'true' }],
  ])('%s lets apply past the gate', async (_name, args, extra) => {
    const c = await connectMcp({ env: mcpEnv({ AWS_ENDPOINT_URL: endpoint.url }, extra), args: [...args, '--idle-timeout', '0'] });
    try {
      const r = await c.call('apply', { plan_id: 'plan-000000000000' });
      expect(r.structuredContent?.error.code).toBe('apply.unknown_plan');
      expect(c.stderr()).toMatch(/read-write/);
    } finally {
      await c.close();
    }
  }, 30_000);
});

describe('validate_spec', () => {
  it('answers a valid spec with its sets and addresses, without AWS', async () => {
    const before = endpoint.count();
    const r = await mcp.call('validate_spec', { spec_yaml: VALID_SPEC });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ valid: true, problems: [], sets: [{ name: 'orders', region: 'us-east-1', mappings: ['orders/ingest'] }] });
    expect(endpoint.count()).toBe(before);
  });

  it('returns located problems as data', async () => {
    const r = await mcp.call('validate_spec', { spec_yaml: VALID_SPEC.replace('batchSize: 200', 'batchSize: 20000') });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent?.valid).toBe(false);
    const problems = r.structuredContent?.problems as Array<Record<string, any>>;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ line: 12 });
    expect(problems[0].path).toMatch(/batchSize/);
    expect((r.content as Array<{ text: string }>)[0].text).toMatch(/:12:\d+:/);
  });

  it('asks for exactly one of spec_yaml and paths', async () => {
    const r = await mcp.call('validate_spec', {});
    expect(r.isError).toBe(true);
    expect(r.structuredContent?.error).toMatchObject({ code: 'mcp.spec_input', source: 'user' });
    expect(JSON.stringify(r)).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('resources', () => {
  it('serves the JSON Schema and the spec reference', async () => {
    const { resources } = await mcp.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toEqual(expect.arrayContaining(['esmctl://schema/esmctl.schema.json', 'esmctl://docs/spec-reference']));
    const schema = await mcp.client.readResource({ uri: 'esmctl://schema/esmctl.schema.json' });
    const parsed = JSON.parse((schema.contents[0] as { text: string }).text);
    expect(parsed.properties ?? parsed.$defs ?? parsed.definitions).toBeDefined();
    const ref = await mcp.client.readResource({ uri: 'esmctl://docs/spec-reference' });
    const text = (ref.contents[0] as { text: string }).text;
    expect(text).toMatch(/# esmctl spec language reference/);
    expect(text).toMatch(/batchSize/);
  });
});

describe('the process', () => {
  it('writes nothing but JSON-RPC frames to stdout, logs to stderr', async () => {
    const raw = spawnRaw(['--idle-timeout', '0'], mcpEnv({ AWS_ENDPOINT_URL: endpoint.url }));
    raw.send({ id: 1, ...INITIALIZE });
    await raw.response(1);
    raw.send({ method: 'notifications/initialized' });
    raw.send({ id: 2, method: 'tools/list' });
    await raw.response(2);
    raw.send({ id: 3, method: 'tools/call', params: { name: 'validate_spec', arguments: { spec_yaml: VALID_SPEC } } });
    await raw.response(3);
    raw.send({ id: 4, method: 'tools/call', params: { name: 'plan', arguments: { spec_yaml: 'not: [valid' } } });
    await raw.response(4);
    raw.send({ id: 5, method: 'tools/call', params: { name: 'apply', arguments: { plan_id: 'plan-000000000000' } } });
    await raw.response(5);
    raw.send({ id: 6, method: 'no/such/method' });
    await raw.response(6);
    raw.child.stdin!.end();
    const exit = await raw.exited;
    expect(exit.code).toBe(0);
    const lines = raw.stdout().split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) {
      const msg = JSON.parse(line);
      expect(msg.jsonrpc).toBe('2.0');
    }
    expect(raw.stderr()).toMatch(/esmctl mcp: ready on stdio \(read-only/);
  }, 60_000);

  it('exits cleanly after the idle timeout with one stderr line, and every request resets the clock', async () => {
    const raw = spawnRaw(['--idle-timeout', '2'], mcpEnv({ AWS_ENDPOINT_URL: endpoint.url }));
    raw.send({ id: 1, ...INITIALIZE });
    await raw.response(1);
    let exitedEarly = false;
    void raw.exited.then(() => (exitedEarly = true));
    // Requests every 500 ms for 4 s keep it alive well past the 2 s timeout.
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 500));
      raw.send({ id: 10 + i, method: 'ping' });
      await raw.response(10 + i);
    }
    expect(exitedEarly).toBe(false);
    const quietSince = Date.now();
    const exit = await raw.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - quietSince).toBeGreaterThanOrEqual(1500);
    expect(exit.at - quietSince).toBeLessThan(10_000);
    const idleLines = raw.stderr().split('\n').filter((l) => /no request for 2 s; shutting down/.test(l));
    expect(idleLines).toHaveLength(1);
    expect(raw.stdout().split('\n').filter(Boolean).every((l) => JSON.parse(l).jsonrpc === '2.0')).toBe(true);
  }, 30_000);

  it('also serves Streamable HTTP on 127.0.0.1 with --http', async () => {
    const raw = spawnRaw(['--http', '0', '--idle-timeout', '0'], mcpEnv({ AWS_ENDPOINT_URL: endpoint.url }));
    try {
      const deadline = Date.now() + 20_000;
      let m: RegExpExecArray | null = null;
      while (!(m = /Streamable HTTP on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(raw.stderr())) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(m, raw.stderr()).not.toBeNull();
      const client = new Client({ name: 'http-test', version: '0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(m![1])));
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('plan');
      const r = await client.callTool({ name: 'apply', arguments: { plan_id: 'plan-000000000000' } });
      expect((r.structuredContent as { error: { code: string } }).error.code).toBe('mcp.read_only');
      await client.close();
      expect(raw.stdout()).toBe(''); // the HTTP session never writes to stdout
      // DNS rebinding / cross-site requests are refused.
      const port = new URL(m![1]).port;
      const status = (headers: Record<string, string>) =>
        new Promise<number>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, ...INITIALIZE }));
        });
      expect(await status({ host: 'evil.example' })).toBe(403);
      expect(await status({ origin: 'http://evil.example' })).toBe(403);
      expect(await status({})).toBe(200);
    } finally {
      raw.child.kill('SIGTERM');
      await raw.exited;
    }
  }, 30_000);
});

describe('credentials and region', () => {
  const bare = (extra: Record<string, string>) => {
    const env = mcpEnv({ AWS_ENDPOINT_URL: endpoint.url, AWS_EC2_METADATA_DISABLED: 'true', HOME: '/nonexistent' }, extra);
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    return env;
  };

  it('reports a missing region as a user error with what to do', async () => {
    const env = bare({});
    delete env.AWS_REGION;
    const c = await connectMcp({ env, args: ['--idle-timeout', '0'] });
    try {
      const r = await c.call('list_event_source_mappings', {});
      expect(r.isError).toBe(true);
      expect(r.structuredContent!.error).toMatchObject({ code: 'region.missing', source: 'user' });
      expect(r.structuredContent!.error.hint).toMatch(/AWS_REGION/);
    } finally {
      await c.close();
    }
  }, 30_000);

  it('reports missing credentials at the first AWS-using tool, without a stack trace', async () => {
    const c = await connectMcp({ env: bare({}), args: ['--idle-timeout', '0'] });
    try {
      const r = await c.call('list_event_source_mappings', {});
      expect(r.isError).toBe(true);
      expect(r.structuredContent!.error.code).toBe('aws.credentials');
      expect(r.structuredContent!.error.hint).toMatch(/credentials/i);
      expect(JSON.stringify(r)).not.toMatch(/\n\s+at /);
    } finally {
      await c.close();
    }
  }, 30_000);
});
