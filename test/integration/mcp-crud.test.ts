// The earlier server's event source mapping tools through a real MCP Client against the sandbox: create (MSK and
// self-managed, conflict, ambiguous source, Kafka-invalid settings, permissions first), update, delete, list paging.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxSeed } from '../../src/sandbox/seed.js';
import { ACCOUNT, CLUSTER_ARN, CLUSTER_NAME, CLUSTER_UUID, REGION, listAllMappings, mutatingCalls } from './cli-harness.js';
import { connectMcp, ensureBuilt, mcpEnv, type McpConnection } from './mcp-harness.js';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const PAGED = 130;
const SERVERS = 'kafka-1.internal:9092,kafka-2.internal:9092';

const SEED: SandboxSeed = {
  region: REGION,
  accountId: ACCOUNT,
  functions: [
    { name: 'orders-ingest', role: 'orders-ingest-role' },
    { name: 'orders-audit', role: 'orders-audit-role', versions: ['1'], aliases: { live: '1' } },
    { name: 'bulk-fn', role: 'bulk-role' },
  ],
  clusters: [{ name: CLUSTER_NAME, uuid: CLUSTER_UUID, auth: ['iam'] }],
};

const PAGED_MAPPINGS = Array.from({ length: PAGED }, (_, i) => ({
  FunctionName: 'bulk-fn',
  SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['bulk.internal:9092'] } },
  Topics: [`bulk.t${String(i).padStart(3, '0')}`],
  StartingPosition: 'TRIM_HORIZON',
}));

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
  sandbox.control.setFaults({ rateLimits: {} });
  sandbox.control.clearLog();
});

const text = (r: { content?: unknown }) => ((r.content as Array<{ text: string }>) ?? [])[0]?.text ?? '';
const ops = () => sandbox.control.requestLog().map((e) => e.operation);

describe('create_event_source_mapping', () => {
  it('puts the permissions first, then creates an unowned MSK mapping and waits for it', async () => {
    const r = await mcp.call('create_event_source_mapping', {
      target: 'orders-ingest',
      kafka_topic: 'orders.created',
      event_source_arn: CLUSTER_ARN,
      batch_size: 250,
      kafka_consumer_group_id: 'orders-ingest',
    });
    expect(r.isError, text(r)).toBeFalsy();
    const s = r.structuredContent!;
    expect(s.status).toBe('created');
    expect(s.mapping).toMatchObject({ function_name: 'orders-ingest', source: CLUSTER_ARN, topic: 'orders.created', batch_size: 250, state: 'Enabled', kafka_consumer_group_id: 'orders-ingest', pollers: null });
    expect(s.permissions).toMatchObject({ roleName: 'orders-ingest-role', policyName: 'esmctl-fn-orders-ingest', status: 'put' });
    const calls = ops();
    expect(calls.indexOf('PutRolePolicy')).toBeGreaterThanOrEqual(0);
    expect(calls.indexOf('PutRolePolicy')).toBeLessThan(calls.indexOf('CreateEventSourceMapping'));
    const live = await listAllMappings(sandbox.env);
    expect(live).toHaveLength(1);
    expect(live[0].UUID).toBe(s.uuid);
    // Unowned: a spec can adopt it later by function, source and topic.
    const tagged = sandbox.control.requestLog().filter((e) => e.operation === 'TagResource');
    expect(tagged).toEqual([]);
  });

  it('returns the existing mapping and changes nothing when it already exists', async () => {
    const first = await mcp.call('create_event_source_mapping', { target: 'orders-ingest', kafka_topic: 'orders.created', event_source_arn: CLUSTER_ARN });
    sandbox.control.clearLog();
    const again = await mcp.call('create_event_source_mapping', { target: 'orders-ingest', kafka_topic: 'orders.created', event_source_arn: CLUSTER_ARN, batch_size: 10 });
    expect(again.isError, text(again)).toBeFalsy();
    expect(again.structuredContent).toMatchObject({ status: 'exists', uuid: first.structuredContent!.uuid });
    expect(again.structuredContent!.mapping.batch_size).toBe(100);
    expect(mutatingCalls(sandbox.control.requestLog())).toEqual([]);
  });

  it('returns a spec-owned mapping with the same function, source and topic instead of creating a twin', async () => {
    const owned = await startSandbox({
      port: 0,
      seed: {
        ...SEED,
        mappings: [
          {
            FunctionName: 'orders-ingest', EventSourceArn: CLUSTER_ARN, Topics: ['orders.created'], StartingPosition: 'LATEST', BatchSize: 300,
            Tags: { 'esmctl:set': 'orders', 'esmctl:mapping': 'ingest' },
          },
        ],
      },
    });
    const c = await connectMcp({ env: mcpEnv(owned.env), args: ['--allow-write', '--idle-timeout', '0'] });
    try {
      const r = await c.call('create_event_source_mapping', { target: 'orders-ingest', kafka_topic: 'orders.created', event_source_arn: CLUSTER_ARN });
      expect(r.isError, text(r)).toBeFalsy();
      expect(r.structuredContent).toMatchObject({ status: 'exists' });
      expect(r.structuredContent!.mapping).toMatchObject({ batch_size: 300, owner_set: 'orders' });
      expect(mutatingCalls(owned.control.requestLog())).toEqual([]);
    } finally {
      await c.close();
      await owned.stop();
    }
  }, 30_000);

  it('creates a self-managed mapping with a qualified function and keeps the qualifier', async () => {
    const r = await mcp.call('create_event_source_mapping', { target: 'orders-audit:live', kafka_topic: 'audit', kafka_bootstrap_servers: SERVERS, starting_position: 'TRIM_HORIZON' });
    expect(r.isError, text(r)).toBeFalsy();
    expect(r.structuredContent!.mapping).toMatchObject({ function_name: 'orders-audit:live', source_kind: 'self-managed', source: SERVERS, starting_position: 'TRIM_HORIZON' });
  });

  it('asks which source is meant when given both, and refuses without elicitation', async () => {
    const r = await mcp.call('create_event_source_mapping', { target: 'orders-ingest', kafka_topic: 'xx', event_source_arn: CLUSTER_ARN, kafka_bootstrap_servers: SERVERS });
    expect(r.isError).toBe(true);
    expect(r.structuredContent!.error.code).toBe('crud.ambiguous_source');
    expect(r.structuredContent!.candidates).toEqual([CLUSTER_ARN, SERVERS]);
    expect(sandbox.control.requestLog()).toEqual([]);
  });

  it('creates from the source the person picks through elicitation', async () => {
    const asked: unknown[] = [];
    const c = await connectMcp({
      env,
      args: ['--allow-write', '--idle-timeout', '0'],
      onElicit: (_message, schema) => {
        asked.push(schema);
        return { action: 'accept', content: { source: 'self-managed' } };
      },
    });
    try {
      const r = await c.call('create_event_source_mapping', { target: 'orders-ingest', kafka_topic: 'picked', event_source_arn: CLUSTER_ARN, kafka_bootstrap_servers: SERVERS });
      expect(r.isError, text(r)).toBeFalsy();
      expect(asked).toHaveLength(1);
      expect(r.structuredContent!.mapping).toMatchObject({ source_kind: 'self-managed', source: SERVERS, topic: 'picked' });
    } finally {
      await c.close();
    }
  }, 30_000);

  it('explains settings AWS refuses for Kafka instead of calling the API', async () => {
    const tw = await mcp.call('create_event_source_mapping', { target: 'orders-ingest', kafka_topic: 'tt', event_source_arn: CLUSTER_ARN, tumbling_window: 60 });
    expect(tw.isError).toBe(true);
    expect(tw.structuredContent!.error.code).toBe('crud.not_for_kafka');
    const retry = await mcp.call('create_event_source_mapping', { target: 'orders-ingest', kafka_topic: 'tt', event_source_arn: CLUSTER_ARN, retry_attempts: 3, bisect_batch_on_error: true });
    expect(retry.isError).toBe(true);
    expect(retry.structuredContent!.error.code).toBe('crud.needs_provisioned_mode');
    expect(retry.structuredContent!.error.message).toMatch(/retry_attempts, bisect_batch_on_error/);
    expect(retry.structuredContent!.error.hint).toMatch(/min_pollers/);
    expect(mutatingCalls(sandbox.control.requestLog())).toEqual([]);
  });

  it('accepts provisioned-only settings in provisioned mode, setting pollers only when given', async () => {
    const r = await mcp.call('create_event_source_mapping', {
      target: 'orders-ingest', kafka_topic: 'prov', event_source_arn: CLUSTER_ARN, min_pollers: 1, max_pollers: 3, retry_attempts: 3, report_batch_item_failures: true,
    });
    expect(r.isError, text(r)).toBeFalsy();
    expect(r.structuredContent!.mapping).toMatchObject({ pollers: { min: 1, max: 3 }, retry_attempts: 3, report_batch_item_failures: true });
    const live = (await listAllMappings(sandbox.env))[0];
    expect(live.ProvisionedPollerConfig).toMatchObject({ MinimumPollers: 1, MaximumPollers: 3 });
  });

  it('goes on with the create when the permissions cannot be written, with a warning', async () => {
    sandbox.control.setFaults({ rateLimits: { PutRolePolicy: 0 } });
    const r = await mcp.call('create_event_source_mapping', { target: 'orders-ingest', kafka_topic: 'noperm', event_source_arn: CLUSTER_ARN });
    expect(r.isError, text(r)).toBeFalsy();
    expect(r.structuredContent!.status).toBe('created');
    expect(r.structuredContent!.warnings.join('\n')).toMatch(/could not put the permissions/);
    expect(ops()).toContain('CreateEventSourceMapping');
  }, 60_000);

  it('returns AWS errors as results with AWS\'s code, message and status', async () => {
    sandbox.control.setFaults({ errorRate: 1 });
    const r = await mcp.call('list_event_source_mappings', {});
    sandbox.control.setFaults({ errorRate: 0 });
    expect(r.isError).toBe(true);
    expect(r.structuredContent!.error).toMatchObject({ source: 'aws', awsCode: 'ServiceException', httpStatus: 500 });
    expect(r.structuredContent!.error.message).toMatch(/ListEventSourceMappings/);
    expect(text(r)).toMatch(/AWS ServiceException 500/);
    expect(JSON.stringify(r)).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('reports a missing function clearly', async () => {
    const r = await mcp.call('create_event_source_mapping', { target: 'no-such-fn', kafka_topic: 'tt', kafka_bootstrap_servers: SERVERS });
    expect(r.isError).toBe(true);
    expect(r.structuredContent!.error).toMatchObject({ code: 'crud.function_not_found', source: 'user' });
    expect(mutatingCalls(sandbox.control.requestLog())).toEqual([]);
  });
});

describe('update_event_source_mapping', () => {
  it('updates by uuid or by function + source + topic, waits, and returns the mapping', async () => {
    const c = await mcp.call('create_event_source_mapping', { target: 'orders-ingest', kafka_topic: 'orders.created', event_source_arn: CLUSTER_ARN });
    const uuid = c.structuredContent!.uuid;
    const byUuid = await mcp.call('update_event_source_mapping', { uuid, batch_size: 500, max_batching_window: 5 });
    expect(byUuid.isError, text(byUuid)).toBeFalsy();
    expect(byUuid.structuredContent!.changed.sort()).toEqual(['batchSize', 'maximumBatchingWindowInSeconds']);
    expect(byUuid.structuredContent!.mapping).toMatchObject({ uuid, batch_size: 500, max_batching_window: 5, state: 'Enabled' });
    const bySource = await mcp.call('update_event_source_mapping', { function_name: 'orders-ingest', event_source_arn: CLUSTER_ARN, kafka_topic: 'orders.created', enabled: false });
    expect(bySource.isError, text(bySource)).toBeFalsy();
    expect(bySource.structuredContent!.mapping).toMatchObject({ uuid, enabled: false, state: 'Disabled' });
    const live = (await listAllMappings(sandbox.env))[0];
    expect(live).toMatchObject({ BatchSize: 500, MaximumBatchingWindowInSeconds: 5, State: 'Disabled' });
  });

  it('refuses provisioned-only settings on an on-demand mapping', async () => {
    const c = await mcp.call('create_event_source_mapping', { target: 'orders-ingest', kafka_topic: 'od', event_source_arn: CLUSTER_ARN });
    sandbox.control.clearLog();
    const r = await mcp.call('update_event_source_mapping', { uuid: c.structuredContent!.uuid, max_record_age: 3600 });
    expect(r.isError).toBe(true);
    expect(r.structuredContent!.error.code).toBe('crud.needs_provisioned_mode');
    expect(mutatingCalls(sandbox.control.requestLog())).toEqual([]);
  });
});

describe('delete_event_source_mapping', () => {
  it('refuses a filter that matches several mappings, naming them, then deletes the one named by topic', async () => {
    const a = await mcp.call('create_event_source_mapping', { target: 'orders-ingest', kafka_topic: 'first', kafka_bootstrap_servers: SERVERS });
    const b = await mcp.call('create_event_source_mapping', { target: 'orders-ingest', kafka_topic: 'second', kafka_bootstrap_servers: SERVERS });
    sandbox.control.clearLog();
    const many = await mcp.call('delete_event_source_mapping', { function_name: 'orders-ingest', kafka_bootstrap_servers: SERVERS });
    expect(many.isError).toBe(true);
    expect(many.structuredContent!.error.code).toBe('crud.ambiguous');
    expect(many.structuredContent!.error.message).toContain(a.structuredContent!.uuid);
    expect(many.structuredContent!.error.message).toContain(b.structuredContent!.uuid);
    expect(mutatingCalls(sandbox.control.requestLog())).toEqual([]);

    const one = await mcp.call('delete_event_source_mapping', { function_name: 'orders-ingest', kafka_bootstrap_servers: SERVERS.split(',').reverse().join(','), kafka_topic: 'first' });
    expect(one.isError, text(one)).toBeFalsy();
    expect(one.structuredContent!.deleted).toMatchObject({ uuid: a.structuredContent!.uuid, topic: 'first' });
    const left = await listAllMappings(sandbox.env);
    expect(left.map((m) => m.UUID)).toEqual([b.structuredContent!.uuid]);
  });

  it('deletes by uuid', async () => {
    const a = await mcp.call('create_event_source_mapping', { target: 'orders-ingest', kafka_topic: 'gone', kafka_bootstrap_servers: SERVERS });
    const r = await mcp.call('delete_event_source_mapping', { uuid: a.structuredContent!.uuid });
    expect(r.isError, text(r)).toBeFalsy();
    expect(await listAllMappings(sandbox.env)).toEqual([]);
    const again = await mcp.call('delete_event_source_mapping', { uuid: a.structuredContent!.uuid });
    expect(again.structuredContent!.error.code).toBe('crud.not_found');
  });
});

describe('list_event_source_mappings and add_msk_permissions', () => {
  it('lists every page past 100, by function, and by cluster', async () => {
    const big = await startSandbox({ port: 0, seed: { ...SEED, mappings: PAGED_MAPPINGS }, stateDelayMs: 0 });
    const c = await connectMcp({ env: mcpEnv(big.env), args: ['--idle-timeout', '0'] });
    try {
      await c.call('list_event_source_mappings', {}); // read-only: works without --allow-write
      const all = await c.call('list_event_source_mappings', {});
      expect(all.isError, text(all)).toBeFalsy();
      expect(all.structuredContent!.count).toBe(PAGED);
      expect(new Set(all.structuredContent!.mappings.map((m: { uuid: string }) => m.uuid)).size).toBe(PAGED);
      const pages = big.control.requestLog().filter((e) => e.operation === 'ListEventSourceMappings').length;
      // Credentials are checked once per process, at the first tool that needs AWS.
      expect(big.control.requestLog().filter((e) => e.operation === 'GetCallerIdentity')).toHaveLength(1);
      expect(pages).toBeGreaterThanOrEqual(4); // two calls × two pages each
      const m0 = all.structuredContent!.mappings[0];
      expect(m0).toMatchObject({ function_name: 'bulk-fn', source: 'bulk.internal:9092', topic: 'bulk.t000', batch_size: 100, state: 'Enabled' });
      expect(Number.isNaN(Date.parse(m0.last_modified))).toBe(false);
      const byFn = await c.call('list_event_source_mappings', { function_name: 'orders-ingest' });
      expect(byFn.structuredContent!.count).toBe(0);
      const byCluster = await c.call('list_event_source_mappings', { event_source_arn: CLUSTER_ARN });
      expect(byCluster.structuredContent!.count).toBe(0);
    } finally {
      await c.close();
      await big.stop();
    }
  }, 60_000);

  it('puts the least-privilege policy for a function\'s mappings, then reports it unchanged', async () => {
    const seeded = await startSandbox({
      port: 0,
      seed: {
        ...SEED,
        mappings: [
          {
            FunctionName: 'orders-ingest',
            EventSourceArn: CLUSTER_ARN,
            Topics: ['orders.created'],
            StartingPosition: 'LATEST',
            AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'g1' },
          },
        ],
      },
    });
    const c = await connectMcp({ env: mcpEnv(seeded.env), args: ['--allow-write', '--idle-timeout', '0'] });
    try {
      const r = await c.call('add_msk_permissions', { function_name: 'orders-ingest' });
      expect(r.isError, text(r)).toBeFalsy();
      expect(r.structuredContent).toMatchObject({ role_name: 'orders-ingest-role', policy_name: 'esmctl-fn-orders-ingest', status: 'put' });
      const doc = JSON.stringify(r.structuredContent!.policy);
      expect(doc).toContain('kafka-cluster:Connect');
      expect(doc).toContain(`topic/${CLUSTER_NAME}/${CLUSTER_UUID}/orders.created`);
      expect(doc).toContain(`group/${CLUSTER_NAME}/${CLUSTER_UUID}/g1`);
      for (const st of r.structuredContent!.policy.Statement as Array<{ Action: string[]; Resource: string[] }>) {
        if (st.Action.some((a) => a.startsWith('kafka-cluster:'))) expect(st.Resource).not.toContain('*');
      }
      expect(seeded.control.requestLog().filter((e) => e.operation === 'PutRolePolicy')).toHaveLength(1);
      const again = await c.call('add_msk_permissions', { function_name: 'orders-ingest' });
      expect(again.structuredContent!.status).toBe('unchanged');
      expect(seeded.control.requestLog().filter((e) => e.operation === 'PutRolePolicy')).toHaveLength(1);
    } finally {
      await c.close();
      await seeded.stop();
    }
  }, 60_000);
});
