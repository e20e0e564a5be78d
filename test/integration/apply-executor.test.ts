// applyPlan and checkPlanFresh against the sandbox through real SDK clients: create/update/replace/delete/adopt
// converge to "no changes", ordering (policy before mapping, delete before create), waits, faults, conflicts, Ctrl-C.

import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan, checkPlanFresh } from '../../src/apply/index.js';
import { classifyAwsError } from '../../src/aws/index.js';
import { canonicalConfig } from '../../src/core/normalize.js';
import type { AwsPorts } from '../../src/core/ports.js';
import type { Plan } from '../../src/core/types.js';
import {
  ACCOUNT,
  CLUSTER_ARN,
  FAST,
  REGION,
  RecordingHost,
  applySpec,
  baseSeed,
  calls,
  loadSets,
  mutatingCalls,
  planFor,
  specText,
  startTestSandbox,
  type Sandbox,
} from './apply-harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.stop();
  sb = undefined;
});

const THREE = specText('orders', [
  { name: 'ingest', function: 'fn-0', topic: 'orders.created' },
  { name: 'audit', function: 'fn-1', topic: 'orders.created', extra: '    batchSize: 50\n' },
  { name: 'refunds', function: 'fn-0', topic: 'orders.refunded' },
]);

async function expectNoChanges(ports: AwsPorts, text: string) {
  const plan = await planFor(ports, loadSets(text));
  expect(plan.actions.map((a) => `${a.kind} ${a.address}`)).toEqual([]);
}

const fnArn = (i: number) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:fn-${i}`;

describe('applyPlan against the sandbox', () => {
  it('creates mappings with their policies first and tags in the create call; a re-plan shows no changes', async () => {
    let ports: AwsPorts;
    ({ sb, ports } = await startTestSandbox(baseSeed(2), { stateDelayMs: 400 }));
    const { plan, report, host } = await applySpec(ports, THREE);
    expect(plan.summary).toMatchObject({ create: 3, putPolicy: 2 });
    expect(report.ok).toBe(true);
    expect(report.results.map((r) => r.status)).toEqual(plan.actions.map(() => 'done'));
    const log = sb.control.requestLog().map((r) => r.operation);
    expect(log.lastIndexOf('PutRolePolicy')).toBeLessThan(log.indexOf('CreateEventSourceMapping'));
    expect(calls(sb, 'TagResource')).toHaveLength(0);
    expect(host.codes()).toContain('apply.action.wait'); // 400 ms in Creating, waited for
    for (const r of report.results.filter((x) => x.kind === 'create')) {
      expect(r.uuid).toMatch(/^[0-9a-f-]{36}$/);
      const live = await ports.mappings.getMapping(r.uuid!);
      expect(live?.state).toBe('Enabled');
      expect(live?.tags).toMatchObject({ 'esmctl:set': 'orders', 'esmctl:mapping': r.address.split('/')[1] });
    }
    await expectNoChanges(ports, THREE);
  });

  it('updates in place, replaces delete-before-create without a conflict, deletes, and converges', async () => {
    let ports: AwsPorts;
    ({ sb, ports } = await startTestSandbox(baseSeed(2), { stateDelayMs: 50 }));
    await applySpec(ports, THREE);
    const changed = specText('orders', [
      { name: 'ingest', function: 'fn-0', topic: 'orders.created', extra: '    batchSize: 500\n' },
      { name: 'audit', function: 'fn-1', topic: 'orders.audited', extra: '    batchSize: 50\n' },
    ]);
    sb.control.clearLog();
    const { plan, report } = await applySpec(ports, changed);
    expect(plan.actions.map((a) => `${a.kind} ${a.address}`)).toEqual(
      expect.arrayContaining(['update orders/ingest', 'replace orders/audit', 'delete orders/refunds']),
    );
    expect(report.ok).toBe(true);
    const log = sb.control.requestLog();
    expect(log.filter((r) => r.status === 409)).toEqual([]);
    const ops = log.map((r) => r.operation);
    const firstDelete = ops.indexOf('DeleteEventSourceMapping');
    expect(firstDelete).toBeGreaterThanOrEqual(0);
    expect(ops.indexOf('CreateEventSourceMapping')).toBeGreaterThan(firstDelete);
    const live = await ports.mappings.listKafkaMappings();
    expect(live.map((m) => m.config.topic).sort()).toEqual(['orders.audited', 'orders.created']);
    await expectNoChanges(ports, changed);
  });

  it('adopts an unowned mapping with the same function, source and topic, then owns it', async () => {
    let ports: AwsPorts;
    const seed = baseSeed(2, { mappings: [{ FunctionName: 'fn-0', EventSourceArn: CLUSTER_ARN, Topics: ['orders.created'], StartingPosition: 'TRIM_HORIZON', BatchSize: 10 }] });
    ({ sb, ports } = await startTestSandbox(seed));
    const text = specText('orders', [{ name: 'ingest', function: 'fn-0', topic: 'orders.created' }]);
    const { plan, report } = await applySpec(ports, text);
    expect(plan.actions.find((a) => a.kind === 'adopt')?.address).toBe('orders/ingest');
    expect(report.results.find((r) => r.kind === 'adopt')?.status).toBe('adopted');
    const live = await ports.mappings.listKafkaMappings();
    expect(live).toHaveLength(1);
    expect(live[0].config.batchSize).toBe(100);
    expect(live[0].tags['esmctl:set']).toBe('orders');
    await expectNoChanges(ports, text);
  });

  it('adopts a twin that appeared after the plan (409 naming its UUID) instead of failing or duplicating', async () => {
    let ports: AwsPorts;
    ({ sb, ports } = await startTestSandbox(baseSeed(1)));
    const text = specText('orders', [{ name: 'ingest', function: 'fn-0', topic: 'orders.created', extra: '    batchSize: 25\n' }]);
    const plan = await planFor(ports, loadSets(text));
    expect(plan.summary.create).toBe(1);
    const desired = plan.actions.find((a) => a.kind === 'create');
    if (desired?.kind !== 'create') throw new Error('expected a create');
    // Someone creates the same mapping, untagged and with another batch size, between plan and apply.
    const twin = await ports.mappings.createMapping({ ...desired.desired, batchSize: 7 }, {});
    const host = new RecordingHost();
    const report = await applyPlan(plan, ports, host, FAST);
    const r = report.results.find((x) => x.kind === 'create')!;
    expect(r).toMatchObject({ status: 'adopted', uuid: twin.uuid });
    const live = await ports.mappings.listKafkaMappings();
    expect(live).toHaveLength(1);
    expect(live[0].config.batchSize).toBe(25);
    await expectNoChanges(ports, text);
  });

  it("never adopts a twin that another set owns: the create fails naming that set", async () => {
    let ports: AwsPorts;
    ({ sb, ports } = await startTestSandbox(baseSeed(1)));
    const text = specText('orders', [{ name: 'ingest', function: 'fn-0', topic: 'orders.created', extra: '    permissions: none\n' }]);
    const plan = await planFor(ports, loadSets(text));
    const create = plan.actions.find((a) => a.kind === 'create');
    if (create?.kind !== 'create') throw new Error('expected a create');
    const twin = await ports.mappings.createMapping(create.desired, { 'esmctl:set': 'billing', 'esmctl:mapping': 'ingest' });
    const report = await applyPlan(plan, ports, new RecordingHost(), FAST);
    expect(report.results[0].status).toBe('failed');
    expect(report.results[0].error?.message).toMatch(/belongs to set billing/);
    const live = await ports.mappings.getMapping(twin.uuid);
    expect(live?.tags['esmctl:set']).toBe('billing');
  });

  it("fails clearly when the create collides with another function's consumer group, naming that mapping", async () => {
    let ports: AwsPorts;
    const seed = baseSeed(2, {
      mappings: [{ FunctionName: 'fn-1', EventSourceArn: CLUSTER_ARN, Topics: ['other'], StartingPosition: 'LATEST', AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'shared' } }],
    });
    ({ sb, ports } = await startTestSandbox(seed));
    const [other] = await ports.mappings.listKafkaMappings();
    const text = specText('orders', [{ name: 'ingest', function: 'fn-0', topic: 'orders.created', extra: '    consumerGroupId: shared\n' }]);
    const { report } = await applySpec(ports, text);
    const r = report.results.find((x) => x.kind === 'create')!;
    expect(r.status).toBe('failed');
    expect(r.error?.message).toContain(other.uuid);
    expect(r.error?.message).toContain(fnArn(1));
    expect(report.ok).toBe(false);
    expect(await ports.mappings.listKafkaMappings()).toHaveLength(1);
  });

  it('converges under throttling of every Lambda operation and under 10% 5xx answers', async () => {
    let ports: AwsPorts;
    ({ sb, ports } = await startTestSandbox(baseSeed(2), { stateDelayMs: 20 }));
    const ops = ['CreateEventSourceMapping', 'GetEventSourceMapping', 'ListEventSourceMappings', 'UpdateEventSourceMapping', 'DeleteEventSourceMapping', 'ListTags', 'TagResource', 'UntagResource', 'GetFunction'];
    sb.control.setFaults({ rateLimits: Object.fromEntries(ops.map((o) => [o, 2])) });
    const a = await applySpec(ports, THREE);
    expect(a.report.ok).toBe(true);
    expect(sb.control.requestLog().filter((r) => r.status === 429).length).toBeGreaterThan(0);
    sb.control.setFaults({ rateLimits: {}, errorRate: 0.1 });
    const changed = specText('orders', [
      { name: 'ingest', function: 'fn-0', topic: 'orders.created', extra: '    batchSize: 300\n' },
      { name: 'audit', function: 'fn-1', topic: 'orders.created', extra: '    batchSize: 50\n' },
    ]);
    const b = await applySpec(ports, changed);
    expect(b.report.ok).toBe(true);
    expect(sb.control.requestLog().some((r) => r.status >= 500)).toBe(true);
    sb.control.setFaults({ errorRate: 0 });
    await expectNoChanges(ports, changed);
    expect(await ports.mappings.listKafkaMappings()).toHaveLength(2);
  });

  it('fails only the dependents of a failed policy write; independent actions go on', async () => {
    let ports: AwsPorts;
    // few SDK attempts: the injected throttling never lifts while the policy write is tried
    ({ sb, ports } = await startTestSandbox(baseSeed(2), { maxAttempts: 2 }));
    const text = specText('orders', [
      { name: 'ingest', function: 'fn-0', topic: 'orders.created' },
      { name: 'free', function: 'fn-1', topic: 'orders.created', extra: '    permissions: none\n' },
    ]);
    sb.control.setFaults({ rateLimits: { PutRolePolicy: 0 } });
    const { plan, report } = await applySpec(ports, text, { retryBudgetMs: { throttling: 500 } });
    const put = plan.actions.find((a) => a.kind === 'put-policy')!;
    const byAddr = Object.fromEntries(report.results.map((r) => [`${r.kind} ${r.address}`, r]));
    expect(byAddr[`put-policy ${put.address}`].status).toBe('failed');
    expect(byAddr['create orders/ingest']).toMatchObject({ status: 'skipped', skippedBecause: put.id });
    expect(byAddr['create orders/free'].status).toBe('done');
    expect(report.ok).toBe(false);
    const live = await ports.mappings.listKafkaMappings();
    expect(live.map((m) => m.config.functionArn)).toEqual([fnArn(1)]);
    // running again (the fault gone) converges
    sb.control.setFaults({ rateLimits: {} });
    expect((await applySpec(ports, text)).report.ok).toBe(true);
    await expectNoChanges(ports, text);
  });

  it('names the missing IAM permission and the policy it wanted when a policy write is denied', async () => {
    let ports: AwsPorts;
    ({ sb, ports } = await startTestSandbox(baseSeed(2)));
    // The sandbox has no IAM authorisation: deny PutRolePolicy at the port boundary, as IAM answers it
    const denied = Object.assign(new Error('User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:PutRolePolicy on resource: role role-0'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    const guarded: AwsPorts = { ...ports, iam: { ...ports.iam, putRolePolicy: async () => Promise.reject(classifyAwsError(denied, 'iam:PutRolePolicy')) } };
    const text = specText('orders', [
      { name: 'ingest', function: 'fn-0', topic: 'orders.created' },
      { name: 'free', function: 'fn-1', topic: 'orders.created', extra: '    permissions: none\n' },
    ]);
    const plan = await planFor(ports, loadSets(text));
    const report = await applyPlan(plan, guarded, new RecordingHost(), FAST);
    const put = report.results.find((r) => r.kind === 'put-policy')!;
    expect(put.status).toBe('failed');
    expect(put.error).toMatchObject({ source: 'aws', code: 'aws.AccessDenied' });
    expect(put.error?.hint).toContain('iam:PutRolePolicy on role role-0');
    expect(put.error?.hint).toContain('"kafka-cluster:Connect"');
    expect(report.results.find((r) => r.address === 'orders/ingest')).toMatchObject({ status: 'skipped', skippedBecause: put.id });
    expect(report.results.find((r) => r.address === 'orders/free')?.status).toBe('done');
    expect(calls(sb, 'PutRolePolicy')).toEqual([]);
  });

  it('warns when a mapping settles with a PROBLEM: LastProcessingResult', async () => {
    let ports: AwsPorts;
    ({ sb, ports } = await startTestSandbox(baseSeed(1), { stateDelayMs: 300 }));
    const host = new RecordingHost();
    const sandbox = sb;
    host.emit = (e) => {
      host.events.push(e);
      if (e.code === 'apply.action.wait' && typeof e.data?.uuid === 'string') {
        sandbox.control.editMapping(e.data.uuid, { LastProcessingResult: 'PROBLEM: Connection error. Please check your event source connection configuration.' });
      }
    };
    const text = specText('orders', [{ name: 'ingest', function: 'fn-0', topic: 'orders.created', extra: '    permissions: none\n' }]);
    const { report } = await applySpec(ports, text, {}, host);
    const r = report.results[0];
    expect(r.status).toBe('done');
    expect(r.warnings.join('\n')).toContain('PROBLEM: Connection error');
  });

  it('stops starting new actions on Ctrl-C, finishes those in flight, and reports the rest as cancelled', async () => {
    let ports: AwsPorts;
    ({ sb, ports } = await startTestSandbox(baseSeed(2), { stateDelayMs: 300 }));
    // a and b wait for fn-0's policy; c (no permissions) starts at once and is still settling when the policy is done
    const text = specText('orders', [
      { name: 'a', function: 'fn-0', topic: 't-a' },
      { name: 'b', function: 'fn-0', topic: 't-b' },
      { name: 'c', function: 'fn-1', topic: 't-c', extra: '    permissions: none\n' },
    ]);
    const ctl = new AbortController();
    const host = new RecordingHost();
    host.signal = ctl.signal;
    const emit = host.emit.bind(host);
    host.emit = (e) => {
      emit(e);
      if (e.code === 'apply.action.done' && e.data?.kind === 'put-policy') ctl.abort();
    };
    const { report } = await applySpec(ports, text, { parallelism: 2 }, host);
    const status = Object.fromEntries(report.results.map((r) => [`${r.kind} ${r.address}`, r.status]));
    expect(status).toMatchObject({ 'create orders/a': 'cancelled', 'create orders/b': 'cancelled', 'create orders/c': 'done' });
    expect(report.ok).toBe(false);
    expect(host.codes()).toContain('apply.cancelled');
    const live = await ports.mappings.listKafkaMappings();
    expect(live.map((m) => [m.config.topic, m.state])).toEqual([['t-c', 'Enabled']]);
  });
});

describe('checkPlanFresh', () => {
  it('accepts an untouched plan, and refuses after an out-of-band edit or a spec change, mutating nothing', async () => {
    let ports: AwsPorts;
    ({ sb, ports } = await startTestSandbox(baseSeed(2)));
    await applySpec(ports, THREE);
    const edited = specText('orders', [
      { name: 'ingest', function: 'fn-0', topic: 'orders.created', extra: '    batchSize: 42\n' },
      { name: 'audit', function: 'fn-1', topic: 'orders.created', extra: '    batchSize: 50\n' },
      { name: 'refunds', function: 'fn-0', topic: 'orders.refunded' },
    ]);
    const sets = loadSets(edited);
    const plan: Plan = await planFor(ports, sets);
    expect(plan.summary.update).toBe(1);
    expect(await checkPlanFresh(plan, sets, ports)).toEqual({ fresh: true, changes: [] });

    sb.control.clearLog();
    const target = (await ports.mappings.listKafkaMappings()).find((m) => m.tags['esmctl:mapping'] === 'ingest')!;
    sb.control.editMapping(target.uuid, { BatchSize: 7 });
    const stale = await checkPlanFresh(plan, sets, ports);
    expect(stale.fresh).toBe(false);
    expect(stale.changes.join('\n')).toContain(target.uuid);
    expect(await checkPlanFresh(plan, loadSets(THREE), ports)).toMatchObject({ fresh: false, changes: expect.arrayContaining(['the spec changed since the plan was made']) });
    expect(mutatingCalls(sb)).toEqual([]);
  });

  it('refuses when a mapping appeared where the plan expected to create one', async () => {
    let ports: AwsPorts;
    ({ sb, ports } = await startTestSandbox(baseSeed(1)));
    const text = specText('orders', [{ name: 'ingest', function: 'fn-0', topic: 'orders.created', extra: '    permissions: none\n' }]);
    const sets = loadSets(text);
    const plan = await planFor(ports, sets);
    const create = plan.actions.find((a) => a.kind === 'create');
    if (create?.kind !== 'create') throw new Error('expected a create');
    await ports.mappings.createMapping(canonicalConfig(create.desired), {});
    const r = await checkPlanFresh(plan, sets, ports);
    expect(r.fresh).toBe(false);
    expect(r.changes.join('\n')).toMatch(/orders\.created changed since the plan/);
  });
});
