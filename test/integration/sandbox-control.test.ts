// The sandbox's faults and control surface, through real SDK clients and plain HTTP: throttling and 5xx with the
// SDK's own retries, latency, the request log, out-of-band edits, reset, /_sandbox/ over HTTP, routing and seeds.

import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, GetFunctionCommand, LambdaClient, ListEventSourceMappingsCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeClusterV2Command, KafkaClient } from '@aws-sdk/client-kafka';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SeedError, startSandbox, type RunningSandbox, type SandboxSeed } from '../../src/sandbox/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ROOT = join(import.meta.dirname, '..', '..');
const REGION = 'us-east-1';
const CLUSTER = 'arn:aws:kafka:us-east-1:123456789012:cluster/orders/7a1b2c3d-1111-2222-3333-444455556666-1';
const SEEDED_UUID = '0b5c1e2a-7f3d-4c8e-9a1b-2c3d4e5f6a7b';
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };

const SEED: SandboxSeed = {
  functions: [{ name: 'ingest', role: 'ingest-role' }],
  clusters: [{ name: 'orders', uuid: '7a1b2c3d-1111-2222-3333-444455556666-1', auth: ['iam'] }],
  mappings: [{ UUID: SEEDED_UUID, FunctionName: 'ingest', EventSourceArn: CLUSTER, Topics: ['seeded'], StartingPosition: 'LATEST', Tags: { owner: 'legacy' } }],
};

async function failure(p: Promise<unknown>): Promise<Error & Record<string, unknown> & { $metadata: { httpStatusCode?: number; attempts?: number } }> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown> & { $metadata: { httpStatusCode?: number; attempts?: number } };
  }
  throw new Error('expected the call to fail');
}

describe('sandbox faults and control', () => {
  let sb: RunningSandbox;
  const lambda = (maxAttempts = 1) => new LambdaClient({ endpoint: sb.url, region: REGION, credentials: creds, maxAttempts });
  beforeAll(async () => {
    sb = await startSandbox({ seed: SEED });
  });
  beforeEach(() => sb.control.reset());
  afterAll(async () => sb.stop());

  it('seeds pre-existing mappings settled, with their UUID and tags', async () => {
    const m = await lambda().send(new GetEventSourceMappingCommand({ UUID: SEEDED_UUID }));
    expect(m).toMatchObject({ State: 'Enabled', Topics: ['seeded'], FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:ingest' });
    expect((await lambda().send(new ListTagsCommand({ Resource: m.EventSourceMappingArn }))).Tags).toEqual({ owner: 'legacy' });
  });

  it('throttles an operation past its rate with TooManyRequestsException (429, Retry-After, Reason)', async () => {
    sb.control.setFaults({ rateLimits: { ListEventSourceMappings: 1 } });
    // sent together, so they land in the same second however busy the machine is
    const settled = await Promise.allSettled([1, 2, 3].map(() => lambda().send(new ListEventSourceMappingsCommand({}))));
    expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const e = (settled.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as Error & Record<string, unknown> & { $metadata: { httpStatusCode?: number } };
    expect(e.name).toBe('TooManyRequestsException');
    expect(e.$metadata.httpStatusCode).toBe(429);
    expect(e.Reason).toBe('CallerRateLimitExceeded');
    expect(e.retryAfterSeconds).toBe('1');
    // other operations are not limited
    await lambda().send(new GetEventSourceMappingCommand({ UUID: SEEDED_UUID }));
  });

  it("lets the SDK's standard retry ride out throttling", async () => {
    sb.control.setFaults({ rateLimits: { ListEventSourceMappings: 2 } });
    const client = lambda(8);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await client.send(new ListEventSourceMappingsCommand({})));
    expect(results.every((r) => r.EventSourceMappings?.length === 1)).toBe(true);
    expect(results.some((r) => (r.$metadata.attempts ?? 1) > 1)).toBe(true);
    const log = sb.control.requestLog();
    expect(log.filter((e) => e.status === 429).length).toBeGreaterThan(0);
    expect(log.filter((e) => e.status === 200)).toHaveLength(5);
  });

  it('throttles IAM with the Query error code Throttling, which the SDK retries', async () => {
    sb.control.setFaults({ rateLimits: { 'iam:GetRole': 1 } });
    const once = new IAMClient({ endpoint: sb.url, region: REGION, credentials: creds, maxAttempts: 1 });
    const settled = await Promise.allSettled([1, 2].map(() => once.send(new GetRoleCommand({ RoleName: 'ingest-role' }))));
    const e = (settled.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as Error & { $metadata: { httpStatusCode?: number } };
    expect(e.name).toBe('Throttling');
    expect(e.$metadata.httpStatusCode).toBe(400);
    const retrying = new IAMClient({ endpoint: sb.url, region: REGION, credentials: creds, maxAttempts: 8 });
    expect((await retrying.send(new GetRoleCommand({ RoleName: 'ingest-role' }))).Role?.RoleName).toBe('ingest-role');
  });

  it('answers a set rate of 5xx (deterministically) that the SDK retries, and gives up after maxAttempts', async () => {
    sb.control.setFaults({ errorRate: 0.5 });
    const ok = await lambda(3).send(new GetFunctionCommand({ FunctionName: 'ingest' }));
    expect(ok.$metadata.attempts).toBe(2);
    sb.control.setFaults({ errorRate: 1 });
    sb.control.clearLog();
    const e = await failure(lambda(3).send(new GetFunctionCommand({ FunctionName: 'ingest' })));
    expect(e.name).toBe('ServiceException');
    expect(e.$metadata.httpStatusCode).toBe(500);
    expect(sb.control.requestLog().map((r) => r.status)).toEqual([500, 500, 500]);
    const k = await failure(new KafkaClient({ endpoint: sb.url, region: REGION, credentials: creds, maxAttempts: 1 }).send(new DescribeClusterV2Command({ ClusterArn: CLUSTER })));
    expect(k.name).toBe('InternalServerErrorException');
  });

  it('adds latency to every AWS request and records it in the log', async () => {
    sb.control.setFaults({ latencyMs: 120 });
    const t = Date.now();
    await lambda().send(new GetFunctionCommand({ FunctionName: 'ingest' }));
    expect(Date.now() - t).toBeGreaterThanOrEqual(115);
    expect(sb.control.requestLog().at(-1)!.ms).toBeGreaterThanOrEqual(115);
  });

  it('logs every AWS request with service, operation, status and time, for counting calls', async () => {
    await lambda().send(new ListEventSourceMappingsCommand({}));
    await failure(lambda().send(new GetEventSourceMappingCommand({ UUID: '11111111-2222-3333-4444-555555555555' })));
    await new SecretsManagerClient({ endpoint: sb.url, region: REGION, credentials: creds, maxAttempts: 1 }).send(new DescribeSecretCommand({ SecretId: 'x' })).catch(() => undefined);
    const log = sb.control.requestLog();
    expect(log.map(({ service, operation, status }) => ({ service, operation, status }))).toEqual([
      { service: 'lambda', operation: 'ListEventSourceMappings', status: 200 },
      { service: 'lambda', operation: 'GetEventSourceMapping', status: 404 },
      { service: 'secretsmanager', operation: 'DescribeSecret', status: 400 },
    ]);
    expect(Date.parse(log[0].at)).toBeGreaterThan(Date.now() - 60_000);
    sb.control.clearLog();
    expect(sb.control.requestLog()).toEqual([]);
  });

  it('edits a mapping out of band (as in the console) and resets back to the seed', async () => {
    const c = await lambda().send(new CreateEventSourceMappingCommand({ FunctionName: 'ingest', EventSourceArn: CLUSTER, Topics: ['new'], StartingPosition: 'LATEST' }));
    sb.control.editMapping(SEEDED_UUID, { BatchSize: 700, Enabled: false, MaximumBatchingWindowInSeconds: 3 });
    const edited = await lambda().send(new GetEventSourceMappingCommand({ UUID: SEEDED_UUID }));
    expect(edited).toMatchObject({ BatchSize: 700, State: 'Disabled', MaximumBatchingWindowInSeconds: 3 });
    expect(() => sb.control.editMapping('11111111-2222-3333-4444-555555555555', { BatchSize: 1 })).toThrow(/no event source mapping/);
    sb.control.setFaults({ latencyMs: 5 });
    sb.control.reset();
    expect(sb.control.faults()).toEqual({ rateLimits: {}, latencyMs: 0, errorRate: 0, stateDelayMs: 0, deny: [] });
    expect(sb.control.requestLog()).toEqual([]);
    expect((await lambda().send(new GetEventSourceMappingCommand({ UUID: SEEDED_UUID }))).BatchSize).toBe(100);
    expect((await failure(lambda().send(new GetEventSourceMappingCommand({ UUID: c.UUID })))).name).toBe('ResourceNotFoundException');
  });

  it('serves the same control surface over HTTP under /_sandbox/, kept out of the request log', async () => {
    const http = (method: string, path: string, body?: unknown) =>
      fetch(`${sb.url}/_sandbox/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(await (await http('GET', 'health')).json()).toMatchObject({ ok: true, url: sb.url, region: REGION, accountId: '123456789012', kafka: null });
    expect(await (await http('POST', 'faults', { latencyMs: 1, rateLimits: { GetFunction: 50 } })).json()).toEqual({ rateLimits: { GetFunction: 50 }, latencyMs: 1, errorRate: 0, stateDelayMs: 0, deny: [] });
    expect(sb.control.faults().latencyMs).toBe(1);
    expect((await http('PATCH', `mappings/${SEEDED_UUID}`, { BatchSize: 42 })).status).toBe(200);
    await lambda().send(new GetEventSourceMappingCommand({ UUID: SEEDED_UUID }));
    const log = (await (await http('GET', 'requests')).json()) as { requests: Array<{ operation: string }> };
    expect(log.requests.map((r) => r.operation)).toEqual(['GetEventSourceMapping']);
    expect((await lambda().send(new GetEventSourceMappingCommand({ UUID: SEEDED_UUID }))).BatchSize).toBe(42);
    expect(await (await http('GET', `mappings/${SEEDED_UUID}/invocations`)).json()).toEqual({ invocations: [] });
    expect((await http('DELETE', 'requests')).status).toBe(200);
    expect(sb.control.requestLog()).toEqual([]);
    expect((await http('POST', 'faults', { errorRate: 2 })).status).toBe(400);
    expect((await http('PATCH', 'mappings/11111111-2222-3333-4444-555555555555', { BatchSize: 1 })).status).toBe(400);
    expect((await http('GET', 'nothing-here')).status).toBe(404);
    expect((await http('POST', 'reset')).status).toBe(200);
    expect((await lambda().send(new GetEventSourceMappingCommand({ UUID: SEEDED_UUID }))).BatchSize).toBe(100);
  });

  it('refuses requests signed for another region, as a regional AWS endpoint does (IAM and STS answer any region)', async () => {
    const west = { endpoint: sb.url, region: 'eu-west-1', credentials: creds, maxAttempts: 1 };
    const e = await failure(new LambdaClient(west).send(new ListEventSourceMappingsCommand({})));
    expect(e.name).toBe('InvalidSignatureException');
    expect(e.$metadata.httpStatusCode).toBe(403);
    expect(e.message).toMatch(/Credential should be scoped to a valid region, not 'eu-west-1'\. This esmctl sandbox emulates us-east-1 only/);
    expect((await failure(new KafkaClient(west).send(new DescribeClusterV2Command({ ClusterArn: CLUSTER })))).name).toBe('InvalidSignatureException');
    expect((await new IAMClient(west).send(new GetRoleCommand({ RoleName: 'ingest-role' }))).Role?.RoleName).toBe('ingest-role');
    expect(sb.control.requestLog().map((r) => `${r.operation}:${r.status}`)).toEqual(['ListEventSourceMappings:403', 'DescribeClusterV2:403', 'GetRole:200']);
  });

  it('routes unsigned requests by X-Amz-Target, path and Version, and refuses services it does not emulate', async () => {
    const sm = await fetch(`${sb.url}/`, { method: 'POST', headers: { 'x-amz-target': 'secretsmanager.DescribeSecret', 'content-type': 'application/x-amz-json-1.1' }, body: '{"SecretId":"nope"}' });
    expect(sm.status).toBe(400);
    expect(await sm.json()).toMatchObject({ __type: 'ResourceNotFoundException' });
    const sts = await fetch(`${sb.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    expect(await sts.text()).toMatch(/<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><GetCallerIdentityResult>.*<Account>123456789012<\/Account>/);
    const iam = await fetch(`${sb.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetRole&Version=2010-05-08&RoleName=ghost' });
    expect(iam.status).toBe(404);
    expect(await iam.text()).toMatch(/<ErrorResponse .*<Code>NoSuchEntity<\/Code><Message>The role with name ghost cannot be found\.<\/Message>/);
    const lambdaUnknown = await fetch(`${sb.url}/2015-03-31/functions/ingest/policy`);
    expect(lambdaUnknown.status).toBe(404);
    expect(lambdaUnknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    const other = await fetch(`${sb.url}/`, { method: 'POST', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x' }, body: '' });
    expect(other.status).toBe(400);
    expect(other.headers.get('x-amzn-errortype')).toBe('UnknownServiceException');
  });
});

describe('sandbox seeds', () => {
  it('reports every seed mistake by path, and invalid seeded mappings with the API error', async () => {
    const bad = startSandbox({ seed: { functions: [{ name: 'f' } as never], clusters: [{ name: 'c', auth: ['kerberos' as never] }], extra: 1 } as never });
    await expect(bad).rejects.toThrow(SeedError);
    await expect(bad).rejects.toThrow(/functions\[0\]\.role: required[\s\S]*clusters\[0\]\.auth\[0\]: 'kerberos' is not one of/);
    const badMapping = startSandbox({ seed: { functions: [{ name: 'f', role: 'r' }], mappings: [{ FunctionName: 'f', SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['a:9092'] } }, Topics: ['t1'] }] } });
    await expect(badMapping).rejects.toThrow(/mappings\[0\]: InvalidParameterValueException: StartingPosition must be specified/);
    await expect(startSandbox({ seed: '/nonexistent/seed.yaml' })).rejects.toThrow(/cannot read the file/);
  });

  it('points at the line and column of each mistake in a seed file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-seed-'));
    const file = join(dir, 'seed.yaml');
    writeFileSync(file, ['functions:', '  - name: f', '    role: r', '  - name: g', 'clusters:', '  - name: c', '    auth: [iam, kerberos]', ''].join('\n'));
    const e = await startSandbox({ seed: file }).catch((x: unknown) => x as SeedError);
    expect(e).toBeInstanceOf(SeedError);
    expect((e as SeedError).problems).toEqual([`${file}:4:5: functions[1].role: required`, `${file}:7:17: clusters[0].auth[1]: 'kerberos' is not one of unauthenticated, tls, mtls, scram, iam`]);
    writeFileSync(file, ['functions:', '  - { name: f, role: r }', 'mappings:', '  - FunctionName: f', '    Topics: [t1]', ''].join('\n'));
    await expect(startSandbox({ seed: file })).rejects.toThrow(`${file}:4:5: mappings[0]: InvalidParameterValueException: Unrecognized event source`);
    writeFileSync(file, 'functions: [\n');
    await expect(startSandbox({ seed: file })).rejects.toThrow(new RegExp(`${file}:2:1: not valid YAML`));
  });

  it('examples/sandbox.yaml seeds every function, cluster and secret that the specs under examples/ reference', async () => {
    const sb = await startSandbox({ seed: join(ROOT, 'examples', 'sandbox.yaml') });
    try {
      const refs = { functions: new Set<string>(), clusters: new Set<string>(), secrets: new Set<string>() };
      const walk = (v: unknown, key?: string): void => {
        if (Array.isArray(v)) return v.forEach((x) => walk(x, key));
        if (v && typeof v === 'object') return Object.entries(v).forEach(([k, x]) => walk(x, k));
        if (typeof v !== 'string') return;
        if (key === 'function') refs.functions.add(v);
        if (key === 'msk') refs.clusters.add(v);
        if (v.startsWith('arn:aws:secretsmanager:')) refs.secrets.add(v);
      };
      // every esmctl spec under examples/ (subfolders too, e.g. examples/demo)
      const files = (readdirSync(join(ROOT, 'examples'), { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f) && f !== 'sandbox.yaml');
      const specs = files.map((f) => parse(readFileSync(join(ROOT, 'examples', f), 'utf8')) as { apiVersion?: string }).filter((d) => d?.apiVersion === 'esmctl/v1');
      expect(specs.length).toBeGreaterThan(5);
      for (const d of specs) walk(d);
      expect(refs.functions.size).toBeGreaterThan(0);
      const cfg = { endpoint: sb.url, region: REGION, credentials: creds, maxAttempts: 1 };
      const lambda = new LambdaClient(cfg);
      for (const fn of refs.functions) await lambda.send(new GetFunctionCommand({ FunctionName: fn }));
      const kafka = new KafkaClient(cfg);
      for (const arn of refs.clusters) await kafka.send(new DescribeClusterV2Command({ ClusterArn: arn }));
      const sm = new SecretsManagerClient(cfg);
      for (const arn of refs.secrets) await sm.send(new DescribeSecretCommand({ SecretId: arn }));
      expect(sb.control.requestLog().every((e) => e.status === 200)).toBe(true);
    } finally {
      await sb.stop();
    }
  });
});
