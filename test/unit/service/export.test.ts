// Export round trip, pure: a live MappingConfig → desiredFromConfig → exportSpecYaml → loadSpecText →
// normalizeDesired gives the same MappingConfig back (so `export` then `apply` plans to no changes).

import { describe, expect, it } from 'vitest';
import { normalizeDesired } from '../../../src/core/normalize.js';
import type { DesiredMapping, MappingConfig } from '../../../src/core/types.js';
import { desiredFromConfig, functionRef } from '../../../src/service/export.js';
import { exportSpecYaml, loadSpecText } from '../../../src/spec/index.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const CTX = { region: REGION, accountId: ACCOUNT, functions: [] };
const MSK = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/orders/7a1b2c3d-1111-2222-3333-444455556666-1`;
const SECRET = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;

/** A live config as normalisation makes it, from a compact desired mapping. */
function live(d: Partial<DesiredMapping>): MappingConfig {
  return normalizeDesired(
    { set: 's', name: 'm', address: 's/m', function: 'orders-ingest', source: { kind: 'msk', arn: MSK }, topic: 'orders', permissions: 'auto', ...d },
    CTX,
  );
}

const CASES: Array<[string, MappingConfig]> = [
  ['MSK with every default', live({})],
  ['qualified function, custom group, AT_TIMESTAMP, disabled', live({ function: 'orders-audit:live', consumerGroupId: 'audit', startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: '2026-01-02T03:04:05.000Z', enabled: false })],
  ['MSK SCRAM with batching', live({ auth: { type: 'SASL_SCRAM_512', secretArn: SECRET('AmazonMSK_orders') }, batchSize: 500, maximumBatchingWindowInSeconds: 0 })],
  [
    'self-managed SCRAM-256 with root CA and VPC',
    live({
      source: { kind: 'self-managed', bootstrapServers: ['b-2.example.com:9096', 'b-1.example.com:9096'] },
      auth: { type: 'SASL_SCRAM_256', secretArn: SECRET('scram'), serverRootCaSecretArn: SECRET('root-ca') },
      vpc: { subnets: ['subnet-0a1b2c3d4e5f60718'], securityGroups: ['sg-0123456789abcdef0'] },
    }),
  ],
  ['MSK mTLS', live({ auth: { type: 'MTLS', secretArn: SECRET('client-cert') } })],
  [
    'provisioned with error handling, DLQ, logs and metrics',
    live({
      provisionedPollers: { minimum: 2, maximum: 20, group: 'ledger' },
      errorHandling: { maximumRetryAttempts: 3, maximumRecordAgeInSeconds: 3600, bisectBatchOnFunctionError: true, reportBatchItemFailures: true },
      onFailure: `arn:aws:sqs:${REGION}:${ACCOUNT}:ledger-dlq`,
      logLevel: 'WARN',
      metrics: ['EventCount', 'ErrorCount'],
    }),
  ],
  [
    'filters, KMS key, schema registry and tags',
    live({
      filters: [{ value: { type: ['order'] } }, { value: { amount: [{ numeric: ['>', 100] }] } }],
      provisionedPollers: { minimum: 1, maximum: 4 },
      kmsKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      schemaRegistry: {
        uri: `arn:aws:glue:${REGION}:${ACCOUNT}:registry/orders`,
        eventRecordFormat: 'JSON',
        validate: ['VALUE'],
      },
      tags: { team: 'orders', 'cost-center': '42' },
    }),
  ],
];

describe('export round trip', () => {
  it.each(CASES)('%s', (_name, config) => {
    const desired = desiredFromConfig(config, 'legacy', 'm1');
    const yaml = exportSpecYaml({ name: 'legacy', region: REGION }, [desired]);
    const loaded = loadSpecText(yaml, 'exported.yaml');
    expect(loaded.problems).toEqual([]);
    expect(loaded.sets).toHaveLength(1);
    const [m] = loaded.sets[0].mappings;
    expect(m.permissions).toBe('none');
    expect(normalizeDesired(m, CTX)).toEqual(config);
  });

  it('leaves AWS defaults out of the exported YAML', () => {
    const yaml = exportSpecYaml({ name: 'legacy', region: REGION }, [desiredFromConfig(live({}), 'legacy', 'm1')]);
    for (const key of ['batchSize', 'enabled', 'errorHandling', 'filters', 'consumerGroupId', 'maximumBatchingWindowInSeconds']) {
      expect(yaml).not.toContain(`${key}:`);
    }
    expect(yaml).toContain('startingPosition: LATEST');
  });

  it.each([
    ['arn:aws:lambda:us-east-1:123456789012:function:orders-ingest', 'orders-ingest'],
    ['arn:aws:lambda:us-east-1:123456789012:function:orders-audit:live', 'orders-audit:live'],
    ['orders-ingest', 'orders-ingest'],
  ])('functionRef(%s) = %s', (arn, ref) => {
    expect(functionRef(arn)).toBe(ref);
  });
});
