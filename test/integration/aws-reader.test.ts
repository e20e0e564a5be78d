// The AWS ports and readObserved against the sandbox through real SDK clients: paging, tags, call counts,
// functions/roles/policies/clusters, request encoding round trips with explicit resets, errors and regions.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsPorts, readObserved, resolveRegion, classifyAwsError } from '../../src/aws/index.js';
import { canonicalConfig } from '../../src/core/normalize.js';
import { isEsmctlError } from '../../src/core/errors.js';
import type { MappingConfig } from '../../src/core/types.js';
import { mappingConfig } from '../unit/core/builders.js';
import { ACCOUNT, CLUSTER_ARN, REGION, baseSeed, calls, countBy, loadSets, specText, startTestSandbox, type Sandbox } from './apply-harness.js';
import type { AwsPorts } from '../../src/core/ports.js';

const TOPICS = 250; // 3 pages of 100

function seedMappings() {
  return Array.from({ length: TOPICS }, (_, i) => ({
    FunctionName: `fn-${i % 3}`,
    EventSourceArn: CLUSTER_ARN,
    Topics: [`t-${String(i).padStart(3, '0')}`],
    StartingPosition: 'LATEST',
    Tags: i === 150 ? { 'esmctl:set': 'reader', 'esmctl:mapping': 'on-page-two', team: 'x' } : { team: 'x' },
  }));
}

function config(overrides: Partial<MappingConfig>): MappingConfig {
  return canonicalConfig(
    mappingConfig({
      functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:fn-0`,
      source: { kind: 'msk', arn: CLUSTER_ARN },
      topic: 'round-trip',
      consumerGroupId: 'rt-group',
      startingPosition: 'TRIM_HORIZON',
      ...overrides,
    }),
  );
}

async function settle(ports: AwsPorts, uuid: string) {
  for (let i = 0; i < 100; i++) {
    const m = await ports.mappings.getMapping(uuid);
    if (m && (m.state === 'Enabled' || m.state === 'Disabled')) return m;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`mapping ${uuid} did not settle`);
}

describe('AWS ports and readObserved against the sandbox', () => {
  let sb: Sandbox;
  let ports: AwsPorts;

  beforeAll(async () => {
    ({ sb, ports } = await startTestSandbox(baseSeed(3, { mappings: seedMappings() })));
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('lists every Kafka mapping across pages of 100, with tags, once each', async () => {
    sb.control.clearLog();
    const all = await ports.mappings.listKafkaMappings();
    expect(all).toHaveLength(TOPICS);
    expect(new Set(all.map((m) => m.uuid)).size).toBe(TOPICS);
    const onPageTwo = all.find((m) => m.tags['esmctl:mapping'] === 'on-page-two');
    expect(onPageTwo?.config.topic).toBe('t-150');
    expect(onPageTwo?.config.tags).toEqual({ team: 'x' }); // esmctl:* kept in tags, dropped from config
    const n = countBy(sb);
    expect(n.ListEventSourceMappings).toBe(3);
    expect(n.ListTags).toBe(TOPICS);
  });

  it('reads functions, role policies and clusters once each, bounded by what the spec needs', async () => {
    const sets = loadSets(
      specText('reader', [
        { name: 'a', function: 'fn-0', topic: 'new-a' },
        { name: 'b', function: 'fn-0', topic: 'new-b' },
        { name: 'c', function: 'fn-1', topic: 'new-c' },
        { name: 'ghost', function: 'no-such-fn', topic: 'x' },
      ]),
    );
    sb.control.clearLog();
    const observed = await readObserved(ports, sets, { concurrency: 4 });
    expect(observed.region).toBe(REGION);
    expect(observed.accountId).toBe(ACCOUNT);
    expect(observed.mappings).toHaveLength(TOPICS);
    // the owned mapping t-150 is on fn-0, already resolved from the spec: no second GetFunction
    expect(observed.functions.map((f) => f.ref).sort()).toEqual(['fn-0', 'fn-1']);
    expect(observed.functions.find((f) => f.ref === 'fn-1')?.roleArn).toMatch(/:role\/role-1$/);
    // fn-0 and fn-1 from the spec (ghost is missing); the owned mapping t-150 is on fn-0, already known
    expect(observed.policies.map((p) => `${p.roleName}/${p.policyName}`).sort()).toEqual(['role-0/esmctl-reader', 'role-1/esmctl-reader']);
    expect(observed.policies.every((p) => p.document === null)).toBe(true);
    expect(observed.clusters).toEqual([{ arn: CLUSTER_ARN, name: 'orders', uuid: '7a1b2c3d-1111-2222-3333-444455556666-1', authModes: ['IAM'] }]);
    const n = countBy(sb);
    expect(n.GetFunction).toBe(3); // fn-0, fn-1, no-such-fn
    expect(n.GetRolePolicy).toBe(2);
    expect(n.DescribeClusterV2).toBe(1);
    expect(n.ListEventSourceMappings).toBe(3);
  });

  it('reads the role policy of a function only an owned live mapping still uses (so it can be deleted)', async () => {
    const sets = loadSets(specText('reader', [{ name: 'c', function: 'fn-1', topic: 'new-c' }]));
    const observed = await readObserved(ports, sets);
    // t-150 (owned by set "reader") is on fn-0: its role's esmctl-reader policy is read too
    expect(observed.policies.map((p) => p.roleName).sort()).toEqual(['role-0', 'role-1']);
  });

  it('round-trips a full configuration through Create and Get, with tags in the create call', async () => {
    const desired = config({
      topic: 'rt-full',
      batchSize: 250,
      maximumBatchingWindowInSeconds: 3,
      enabled: false,
      provisionedPollers: { minimum: 2, maximum: 5, group: null },
      maximumRetryAttempts: 3,
      maximumRecordAgeInSeconds: 3600,
      bisectBatchOnFunctionError: true,
      reportBatchItemFailures: true,
      onFailure: 'arn:aws:sqs:us-east-1:123456789012:dlq',
      filters: ['{"value":{"kind":["order"]}}'],
      logLevel: 'INFO',
      metrics: ['EventCount'],
      tags: { team: 'payments' },
    });
    sb.control.clearLog();
    const created = await ports.mappings.createMapping(desired, { 'esmctl:set': 's', 'esmctl:mapping': 'm', team: 'payments' });
    expect(calls(sb, 'TagResource')).toHaveLength(0);
    const live = await settle(ports, created.uuid);
    expect(live.config).toEqual(desired);
    expect(live.tags).toMatchObject({ 'esmctl:set': 's', 'esmctl:mapping': 'm', team: 'payments' });
  });

  it('round-trips a self-managed Kafka mapping (servers as a set, VPC and SASL access configurations, group)', async () => {
    const desired = config({
      source: { kind: 'self-managed', bootstrapServers: ['b-2.example.com:9096', 'b-1.example.com:9096'] },
      topic: 'rt-self-managed',
      consumerGroupId: 'sm-group',
      sourceAccessConfigurations: [
        { type: 'VPC_SUBNET', uri: 'subnet:subnet-0a1b' },
        { type: 'VPC_SECURITY_GROUP', uri: 'security_group:sg-0c2d' },
        { type: 'SASL_SCRAM_512_AUTH', uri: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:kafka-creds-AbCdEf' },
      ],
    });
    const created = await ports.mappings.createMapping(desired, {});
    const live = await settle(ports, created.uuid);
    expect(live.config).toEqual(desired);
    expect(live.config.source).toEqual({ kind: 'self-managed', bootstrapServers: ['b-1.example.com:9096', 'b-2.example.com:9096'] });
    expect((await ports.mappings.listKafkaMappings()).some((m) => m.uuid === created.uuid)).toBe(true);
  });

  it('round-trips schema registry, KMS-encrypted filters and log level through List; resets key, filters and log level', async () => {
    const pollers = { minimum: 1, maximum: 2, group: null };
    const desired = config({
      topic: 'rt-registry',
      consumerGroupId: 'rt-registry-group',
      provisionedPollers: pollers,
      schemaRegistry: {
        uri: 'arn:aws:glue:us-east-1:123456789012:registry/orders',
        eventRecordFormat: 'JSON',
        accessConfigs: [],
        validate: ['KEY', 'VALUE'],
      },
      kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      filters: ['{"value":{"b":[2]}}', '{"value":{"a":[1]}}'],
      logLevel: 'WARN',
    });
    const created = await ports.mappings.createMapping(desired, {});
    await settle(ports, created.uuid);
    const listed = (await ports.mappings.listKafkaMappings()).find((m) => m.uuid === created.uuid);
    expect(listed?.config).toEqual(desired);
    // removing the registry itself (SchemaRegistryConfig {}) is not checked: the sandbox refuses {} as a removal
    const reset = config({ ...desired, kmsKeyArn: null, filters: ['{"value":{"a":[1]}}'], logLevel: null });
    await ports.mappings.updateMapping(created.uuid, reset, ['kmsKeyArn', 'filters', 'logLevel']);
    expect((await settle(ports, created.uuid)).config).toEqual(reset);
  });

  it('sends explicit resets on update: filters, destination, error handling, pollers removed', async () => {
    const desired = config({
      topic: 'rt-reset',
      consumerGroupId: 'rt-reset-group',
      provisionedPollers: { minimum: 1, maximum: 3, group: null },
      maximumRetryAttempts: 2,
      bisectBatchOnFunctionError: true,
      reportBatchItemFailures: true,
      onFailure: 'arn:aws:sqs:us-east-1:123456789012:dlq',
      filters: ['{"value":{"a":[1]}}'],
      metrics: ['ErrorCount'],
    });
    const created = await ports.mappings.createMapping(desired, {});
    await settle(ports, created.uuid);
    const reset = config({ topic: 'rt-reset', consumerGroupId: 'rt-reset-group', provisionedPollers: { minimum: 1, maximum: 3, group: null } });
    await ports.mappings.updateMapping(created.uuid, reset, [
      'maximumRetryAttempts',
      'bisectBatchOnFunctionError',
      'reportBatchItemFailures',
      'onFailure',
      'filters',
      'metrics',
    ]);
    const live = await settle(ports, created.uuid);
    expect(live.config).toEqual(reset);
  });

  it('answers null for missing mappings, functions and policies; deleting twice succeeds', async () => {
    expect(await ports.mappings.getMapping('00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(await ports.functions.getFunction('nope')).toBeNull();
    expect(await ports.iam.getRolePolicy('role-0', 'esmctl-none')).toBeNull();
    await ports.mappings.deleteMapping('00000000-0000-0000-0000-000000000000');
    await ports.iam.deleteRolePolicy('role-0', 'esmctl-none');
  });

  it('resolves function aliases to qualified ARNs', async () => {
    const fn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:fn-2`;
    const role = `arn:aws:iam::${ACCOUNT}:role/role-2`;
    expect(await ports.functions.getFunction('fn-2')).toEqual({ ref: 'fn-2', functionArn: fn, roleArn: role });
    expect(await ports.functions.getFunction('fn-2:live')).toEqual({ ref: 'fn-2:live', functionArn: `${fn}:live`, roleArn: role });
    expect(await ports.functions.getFunction(`${fn}:live`)).toEqual({ ref: `${fn}:live`, functionArn: `${fn}:live`, roleArn: role });
    expect(await ports.functions.getFunction('fn-2:nope')).toBeNull();
  });

  it('classifies AWS errors with their code, status and a hint', async () => {
    const e = await ports.mappings
      .updateMapping('00000000-0000-0000-0000-000000000000', config({}), ['batchSize'])
      .then(() => null, (err: unknown) => err);
    expect(isEsmctlError(e)).toBe(true);
    expect(e).toMatchObject({ source: 'aws', awsCode: 'ResourceNotFoundException', httpStatus: 404, code: 'aws.ResourceNotFoundException' });
    expect(classifyAwsError(e)).toBe(e);
  });
});

describe('region resolution', () => {
  it('prefers the spec region, refuses a conflicting --region, and says how to set one when none is found', async () => {
    const saved = { ...process.env };
    try {
      expect(await resolveRegion({ specRegion: 'eu-west-1' })).toBe('eu-west-1');
      await expect(resolveRegion({ specRegion: 'eu-west-1', region: 'us-east-1' })).rejects.toMatchObject({ code: 'region.conflict', source: 'user' });
      delete process.env.AWS_REGION;
      delete process.env.AWS_DEFAULT_REGION;
      process.env.AWS_CONFIG_FILE = '/nonexistent/config';
      process.env.AWS_PROFILE = 'esmctl-test-none';
      expect(await resolveRegion({ region: 'ap-south-1' })).toBe('ap-south-1');
      await expect(createAwsPorts({})).rejects.toMatchObject({ code: 'region.missing', source: 'user' });
    } finally {
      process.env = saved;
    }
  });
});
