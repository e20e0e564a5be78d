// Removing settings through the CLI sends explicit resets (never relies on omission): a schema registry, filters,
// error handling and an on-failure destination removed from the spec are cleared live, and a re-plan shows no changes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxSeed } from '../../src/sandbox/seed.js';
import { ACCOUNT, CLUSTER_ARN, CLUSTER_NAME, CLUSTER_UUID, REGION, ensureBuilt, listAllMappings, runCli, tempDir, writeSpec } from './cli-harness.js';

const SEED: SandboxSeed = {
  region: REGION,
  accountId: ACCOUNT,
  functions: [{ name: 'orders-ingest', role: 'orders-ingest-role' }],
  clusters: [{ name: CLUSTER_NAME, uuid: CLUSTER_UUID, auth: ['iam'] }],
};

const HEAD = `apiVersion: esmctl/v1
kind: MappingSet
metadata: { name: shop, region: ${REGION} }
mappings:
  - name: ingest
    function: orders-ingest
    source: { msk: ${CLUSTER_ARN} }
    topic: orders.created
    startingPosition: TRIM_HORIZON
    permissions: none
    provisionedPollers: { minimum: 1, maximum: 4 }
`;
const FULL =
  HEAD +
  `    schemaRegistry:
      uri: arn:aws:glue:${REGION}:${ACCOUNT}:registry/orders
      eventRecordFormat: JSON
      validate: [VALUE]
    filters:
      - value: { type: [order] }
    errorHandling: { maximumRetryAttempts: 3, bisectBatchOnFunctionError: true, reportBatchItemFailures: true }
    onFailure: kafka://orders.created.dlq
`;

describe('esmctl apply: removed settings are reset explicitly', () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  beforeAll(async () => {
    ensureBuilt();
    sandbox = await startSandbox({ port: 0, seed: SEED, stateDelayMs: 30 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('clears schema registry, filters, error handling and the destination, then plans no changes', async () => {
    const env = sandbox.env;
    const file = writeSpec(tempDir(), 'resets.yaml', FULL);
    const first = await runCli(['apply', file, '--auto-approve'], env);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const [created] = await listAllMappings(env);
    expect(created.AmazonManagedKafkaEventSourceConfig?.SchemaRegistryConfig?.SchemaRegistryURI).toBe(`arn:aws:glue:${REGION}:${ACCOUNT}:registry/orders`);
    expect(created.FilterCriteria?.Filters).toHaveLength(1);
    expect(created.MaximumRetryAttempts).toBe(3);

    writeSpec(file.slice(0, file.lastIndexOf('/')), 'resets.yaml', HEAD);
    const plan = await runCli(['plan', file, '--detailed-exitcode'], env);
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout).toMatch(/Plan: 0 to create, 1 to update, 0 to replace, 0 to delete, 0 to adopt\./);
    for (const field of ['schemaRegistry', 'filters', 'maximumRetryAttempts', 'onFailure']) expect(plan.stdout).toContain(field);

    const second = await runCli(['apply', file, '--auto-approve'], env);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const [after] = await listAllMappings(env);
    expect(after.UUID).toBe(created.UUID);
    expect(after.AmazonManagedKafkaEventSourceConfig?.SchemaRegistryConfig).toBeUndefined();
    expect(after.FilterCriteria?.Filters ?? []).toEqual([]);
    expect(after.MaximumRetryAttempts ?? -1).toBe(-1);
    expect(after.BisectBatchOnFunctionError ?? false).toBe(false);
    expect(after.FunctionResponseTypes ?? []).toEqual([]);
    expect(after.DestinationConfig?.OnFailure?.Destination).toBeUndefined();

    const again = await runCli(['plan', file, '--detailed-exitcode'], env);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });
});
