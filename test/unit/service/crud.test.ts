// The pure parts of the CRUD service (src/service/crud.ts), as tables of named cases: which source the earlier
// tool's parameters name, access configurations → auth/vpc, Kafka-only rules, function matching, flattened views.

import { describe, expect, it } from 'vitest';
import { isEsmctlError } from '../../../src/core/errors.js';
import type { LiveMapping } from '../../../src/core/types.js';
import { mappingConfig } from '../core/builders.js';
import { authAndVpcOf, checkKafkaSettings, crudPolicyName, matchesFunction, sourceOf, viewMapping, type SettingsArgs } from '../../../src/service/crud.js';

const ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/orders/7a1b2c3d-1111-2222-3333-444455556666-1';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_x-AbCdEf';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (!isEsmctlError(e)) throw e;
    expect(e.source).toBe('user');
    expect(e.hint).toBeTruthy();
    return e.code;
  }
}

describe('sourceOf', () => {
  it.each([
    ['MSK ARN', { eventSourceArn: ARN }, { kind: 'msk', arn: ARN }],
    ['MSK VPC connection ARN', { eventSourceArn: 'arn:aws:kafka:us-east-1:123456789012:vpc-connection/999999999999/c/u-1' }, { kind: 'msk' }],
    ['servers, trimmed', { kafkaBootstrapServers: ' b1:9092, b2:9092 ' }, { kind: 'self-managed', bootstrapServers: ['b1:9092', 'b2:9092'] }],
  ])('%s', (_name, args, want) => {
    expect(sourceOf(args)).toMatchObject(want);
  });

  it.each([
    ['both sources', { eventSourceArn: ARN, kafkaBootstrapServers: 'b1:9092' }, 'crud.ambiguous_source'],
    ['neither', {}, 'crud.no_source'],
    ['empty servers', { kafkaBootstrapServers: ' , ' }, 'crud.no_source'],
    ['not an MSK ARN', { eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:q' }, 'crud.source_arn'],
    ['server without port', { kafkaBootstrapServers: 'b1.example.com' }, 'crud.bootstrap_servers'],
  ])('refuses %s', (_name, args, code) => {
    expect(codeOf(() => sourceOf(args))).toBe(code);
  });
});

describe('authAndVpcOf', () => {
  it.each([
    ['nothing', undefined, {}],
    ['SCRAM-512', [{ Type: 'SASL_SCRAM_512_AUTH', URI: SECRET }], { auth: { type: 'SASL_SCRAM_512', secretArn: SECRET } }],
    ['mTLS + root CA', [{ Type: 'CLIENT_CERTIFICATE_TLS_AUTH', URI: SECRET }, { Type: 'SERVER_ROOT_CA_CERTIFICATE', URI: 'arn:ca' }], { auth: { type: 'MTLS', secretArn: SECRET, serverRootCaSecretArn: 'arn:ca' } }],
    ['root CA alone', [{ Type: 'SERVER_ROOT_CA_CERTIFICATE', URI: 'arn:ca' }], { auth: { type: 'NONE', serverRootCaSecretArn: 'arn:ca' } }],
    [
      'VPC',
      [{ Type: 'VPC_SUBNET', URI: 'subnet:subnet-1' }, { Type: 'VPC_SECURITY_GROUP', URI: 'security_group:sg-1' }],
      { vpc: { subnets: ['subnet:subnet-1'], securityGroups: ['security_group:sg-1'] } },
    ],
  ])('%s', (_name, sacs, want) => {
    expect(authAndVpcOf(sacs)).toEqual(want);
  });

  it.each([
    ['two auth entries', [{ Type: 'BASIC_AUTH', URI: SECRET }, { Type: 'SASL_SCRAM_256_AUTH', URI: SECRET }]],
    ['a type Kafka does not take', [{ Type: 'VIRTUAL_HOST', URI: 'x' }]],
  ])('refuses %s', (_name, sacs) => {
    expect(codeOf(() => authAndVpcOf(sacs))).toBe('crud.source_access');
  });
});

describe('checkKafkaSettings', () => {
  it.each<[string, SettingsArgs, boolean, string | undefined]>([
    ['tumbling window, even provisioned', { tumblingWindow: 60 }, true, 'crud.not_for_kafka'],
    ['retries on demand', { retryAttempts: 3 }, false, 'crud.needs_provisioned_mode'],
    ['partial batch response on demand', { reportBatchItemFailures: true }, false, 'crud.needs_provisioned_mode'],
    ['record age on demand', { maxRecordAge: 3600 }, false, 'crud.needs_provisioned_mode'],
    ['AWS defaults on demand are harmless', { retryAttempts: -1, maxRecordAge: -1, bisectBatchOnError: false, reportBatchItemFailures: false }, false, undefined],
    ['retries in provisioned mode', { retryAttempts: 3, bisectBatchOnError: true }, true, undefined],
    ['batching on demand', { batchSize: 500, maxBatchingWindow: 10 }, false, undefined],
  ])('%s', (_name, args, provisioned, code) => {
    expect(codeOf(() => checkKafkaSettings(args, provisioned))).toBe(code);
  });
});

describe('matchesFunction', () => {
  const fn = 'arn:aws:lambda:us-east-1:123456789012:function:orders';
  it.each([
    ['bare name matches the unqualified function', fn, 'orders', true],
    ['bare name matches every qualifier', `${fn}:live`, 'orders', true],
    ['name:qualifier matches only that qualifier', fn, 'orders:live', false],
    ['name:qualifier', `${fn}:live`, 'orders:live', true],
    ['full ARN exactly', fn, fn, true],
    ['another function', fn, 'orders-audit', false],
    ['no filter', fn, undefined, true],
  ])('%s', (_name, arn, ref, want) => {
    expect(matchesFunction(arn, ref)).toBe(want);
  });
});

describe('views', () => {
  it('flattens a live mapping: qualifier kept, default group null, secrets by ARN only', () => {
    const live: LiveMapping = {
      uuid: 'u-1',
      arn: 'arn:aws:lambda:us-east-1:123456789012:event-source-mapping:u-1',
      state: 'Enabled',
      lastModified: '2026-11-25T11:00:00.000Z',
      lastProcessingResult: 'OK',
      tags: { 'esmctl:set': 'orders', team: 'a' },
      config: mappingConfig({
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:live',
        source: { kind: 'self-managed', bootstrapServers: ['b1:9092', 'b2:9092'] },
        topic: 't',
        consumerGroupId: 'u-1',
        sourceAccessConfigurations: [{ type: 'SASL_SCRAM_512_AUTH', uri: SECRET }],
        provisionedPollers: { minimum: 1, maximum: 3, group: null },
        tags: { team: 'a' },
      }),
    };
    expect(viewMapping(live)).toMatchObject({
      function_name: 'orders:live',
      source: 'b1:9092,b2:9092',
      source_kind: 'self-managed',
      kafka_consumer_group_id: null,
      pollers: { min: 1, max: 3 },
      last_processing_result: 'OK',
      owner_set: 'orders',
      source_access_configurations: [{ Type: 'SASL_SCRAM_512_AUTH', URI: SECRET }],
    });
  });

  it('names the CRUD policy per function, within IAM\'s 128 characters', () => {
    expect(crudPolicyName('orders')).toBe('esmctl-fn-orders');
    expect(crudPolicyName('x'.repeat(140)).length).toBe(128);
  });
});
