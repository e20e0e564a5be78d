// Normalisation of desired mappings and live configs into MappingConfig: defaults, ARNs, access configurations,
// sets sorted, canonical filters, reserved tags dropped.

import { describe, expect, it } from 'vitest';
import { canonicalConfig, normalizeDesired, resolveFunctionArn } from '../../../src/core/normalize.js';
import { FIELD_RULES } from '../../../src/core/fields.js';
import { ACCOUNT, CLUSTER_ARN, desired, fn, REGION, SECRET_ARN } from './builders.js';

const ctx = { region: REGION, accountId: ACCOUNT, functions: [fn('settle'), fn('audit:live')] };

describe('normalizeDesired', () => {
  it('fills every left-out field with the AWS default of FIELD_RULES', () => {
    const c = normalizeDesired(desired(), ctx);
    expect(c).toEqual({
      functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:settle`,
      source: { kind: 'msk', arn: CLUSTER_ARN },
      topic: 'orders',
      consumerGroupId: null,
      startingPosition: 'LATEST',
      startingPositionTimestamp: null,
      batchSize: 100,
      maximumBatchingWindowInSeconds: null,
      enabled: true,
      sourceAccessConfigurations: [],
      provisionedPollers: null,
      maximumRetryAttempts: -1,
      maximumRecordAgeInSeconds: -1,
      bisectBatchOnFunctionError: false,
      reportBatchItemFailures: false,
      onFailure: null,
      filters: [],
      kmsKeyArn: null,
      schemaRegistry: null,
      logLevel: null,
      metrics: [],
      tags: {},
    });
    for (const [field, rule] of Object.entries(FIELD_RULES)) {
      if (typeof rule.omit === 'object') expect(c[field as keyof typeof c], field).toEqual(rule.omit.default);
    }
  });

  it.each([
    ['a name resolved by the reader', 'settle', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:settle`],
    ['an alias keeps its qualifier', 'audit:live', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:audit:live`],
    ['an unresolved name is built from region and account', 'other', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:other`],
    ['a partial ARN gets region and partition', `${ACCOUNT}:function:other:2`, `arn:aws:lambda:${REGION}:${ACCOUNT}:function:other:2`],
    ['a full ARN stays', `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:x`, `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:x`],
  ])('function: %s', (_name, ref, arn) => {
    expect(resolveFunctionArn(ref, ctx)).toBe(arn);
  });

  it('builds sorted source access configurations from auth and vpc', () => {
    const c = normalizeDesired(
      desired({
        source: { kind: 'self-managed', bootstrapServers: ['b:9096', 'a:9096', 'b:9096'] },
        auth: { type: 'SASL_SCRAM_512', secretArn: SECRET_ARN, serverRootCaSecretArn: `${SECRET_ARN}-ca` },
        vpc: { subnets: ['subnet-2', 'subnet-1'], securityGroups: ['sg-1'] },
      }),
      ctx,
    );
    expect(c.source).toEqual({ kind: 'self-managed', bootstrapServers: ['a:9096', 'b:9096'] });
    expect(c.sourceAccessConfigurations).toEqual([
      { type: 'SASL_SCRAM_512_AUTH', uri: SECRET_ARN },
      { type: 'SERVER_ROOT_CA_CERTIFICATE', uri: `${SECRET_ARN}-ca` },
      { type: 'VPC_SECURITY_GROUP', uri: 'security_group:sg-1' },
      { type: 'VPC_SUBNET', uri: 'subnet:subnet-1' },
      { type: 'VPC_SUBNET', uri: 'subnet:subnet-2' },
    ]);
  });

  it.each([
    ['MTLS', 'CLIENT_CERTIFICATE_TLS_AUTH'],
    ['BASIC_AUTH', 'BASIC_AUTH'],
    ['SASL_SCRAM_256', 'SASL_SCRAM_256_AUTH'],
  ] as const)('auth %s becomes %s', (type, apiType) => {
    const c = normalizeDesired(desired({ auth: { type, secretArn: SECRET_ARN } }), ctx);
    expect(c.sourceAccessConfigurations).toEqual([{ type: apiType, uri: SECRET_ARN }]);
  });

  it('IAM auth needs no access configuration', () => {
    expect(normalizeDesired(desired({ auth: { type: 'IAM' } }), ctx).sourceAccessConfigurations).toEqual([]);
  });

  it('serialises filters as canonical JSON, sorted, and drops reserved tags', () => {
    const c = normalizeDesired(
      desired({
        filters: [{ value: { type: ['refund'], amount: [{ numeric: ['>', 0] }] } }, { key: ['a'], value: { a: [1] } }],
        tags: { team: 'pay', 'aws:x': 'y', 'esmctl:set': 'z' },
        metrics: ['ErrorCount', 'EventCount', 'ErrorCount'],
        provisionedPollers: { maximum: 5 },
      }),
      ctx,
    );
    expect(c.filters).toEqual(['{"key":["a"],"value":{"a":[1]}}', '{"value":{"amount":[{"numeric":[">",0]}],"type":["refund"]}}']);
    expect(c.tags).toEqual({ team: 'pay' });
    expect(c.metrics).toEqual(['ErrorCount', 'EventCount']);
    expect(c.provisionedPollers).toEqual({ minimum: 1, maximum: 5, group: null });
  });

  it('canonicalConfig is idempotent and canonicalises live filter text and timestamps', () => {
    const c = normalizeDesired(desired({ startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: '2026-01-01T00:00:00Z' }), ctx);
    const liveShape = { ...c, filters: ['{ "value": {"b": [2], "a": [1]} }'] };
    const once = canonicalConfig(liveShape);
    expect(once.filters).toEqual(['{"value":{"a":[1],"b":[2]}}']);
    expect(once.startingPositionTimestamp).toBe('2026-01-01T00:00:00.000Z');
    expect(canonicalConfig(once)).toEqual(once);
  });
});
