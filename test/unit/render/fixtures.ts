// Fixed plans and reports for the render tests: one plan with every action kind, warnings and unmanaged mappings,
// built by the real buildPlan from fixed inputs (explicit UUIDs), so goldens only change when behaviour does.

import { buildPlan } from '../../../src/core/plan.js';
import type { ApplyReport, Plan } from '../../../src/core/types.js';
import { desired, fn, live, observed, set, SECRET_ARN, withPolicies } from '../core/builders.js';

const U = (n: number) => `6d1f0c2a-0000-4000-8000-${String(n).padStart(12, '0')}`;

export async function richPlan(): Promise<Plan> {
  const settle = desired({ auth: { type: 'IAM' }, batchSize: 100 });
  const refund = desired({
    name: 'refund', function: 'refund', topic: 'refunds', auth: { type: 'IAM' }, consumerGroupId: 'refund-g',
    startingPosition: 'TRIM_HORIZON', filters: [{ value: { type: ['refund'] } }], tags: { team: 'payments' },
    onFailure: 'arn:aws:sqs:us-east-1:123456789012:refund-dlq',
  });
  const auditOld = desired({ name: 'audit', function: 'audit:live', topic: 'audit', auth: { type: 'SASL_SCRAM_512', secretArn: SECRET_ARN }, permissions: 'none' });
  const auditNew = { ...auditOld, topic: 'audit-v2' };
  const legacy = desired({ name: 'legacy', function: 'legacy', topic: 'ledger', batchSize: 50 });
  const old = desired({ name: 'old', function: 'refund', topic: 'old-topic', permissions: 'none' });
  const window = desired({ name: 'window', function: 'refund', topic: 'windowed', permissions: 'none' });

  const mappings = [
    live({ applied: settle, uuid: U(1), config: { batchSize: 500 } }),
    live({ applied: auditOld, uuid: U(2) }),
    live({ owned: false, uuid: U(3), config: { ...live({ applied: legacy }).config, batchSize: 10 }, tags: {} }),
    live({ applied: old, uuid: U(4) }),
    live({ applied: window, uuid: U(5), config: { maximumBatchingWindowInSeconds: 5 } }),
    live({ owned: false, uuid: U(6), config: { functionArn: fn('reports').functionArn, topic: 'reports' } }),
    live({ applied: desired({ set: 'billing', name: 'invoices', function: 'refund', topic: 'invoices' }), uuid: U(7) }),
  ];
  const before = await withPolicies([set([settle])], observed({ mappings }));
  const stale = { roleName: 'gone-role', policyName: 'esmctl-payments', document: before.policies[0].document };
  return buildPlan([set([settle, refund, auditNew, legacy, window])], { ...before, policies: [...before.policies, stale] });
}

export async function emptyPlan(): Promise<Plan> {
  const d = desired({ permissions: 'none' });
  return buildPlan([set([d])], observed({ mappings: [live({ applied: d, uuid: U(1) })] }));
}

export function applyReport(): ApplyReport {
  return {
    formatVersion: 1,
    startedAt: '2026-11-25T11:10:00.000Z',
    finishedAt: '2026-11-25T11:11:02.500Z',
    ok: false,
    results: [
      { id: 'mapping:payments/refund', address: 'payments/refund', kind: 'create', status: 'skipped', durationMs: 0, skippedBecause: 'policy:settle-role:esmctl-payments', warnings: [] },
      { id: 'policy:settle-role:esmctl-payments', address: 'iam:settle-role/esmctl-payments', kind: 'put-policy', status: 'failed', durationMs: 412,
        error: { code: 'aws.access-denied', source: 'aws', message: 'AccessDenied: not authorized to perform iam:PutRolePolicy on settle-role', hint: 'Grant iam:PutRolePolicy, or set permissions: none and manage the role yourself.' }, warnings: [] },
      { id: 'mapping:payments/audit', address: 'payments/audit', kind: 'replace', status: 'done', uuid: U(9), arn: `arn:aws:lambda:us-east-1:123456789012:event-source-mapping:${U(9)}`, durationMs: 61_200, warnings: ['PROBLEM: Connection error. Please check your event source connection configuration.'] },
      { id: 'mapping:payments/legacy', address: 'payments/legacy', kind: 'adopt', status: 'adopted', uuid: U(3), durationMs: 1_530, warnings: [] },
      { id: 'mapping:payments/settle', address: 'payments/settle', kind: 'update', status: 'done', uuid: U(1), durationMs: 2_250, warnings: [] },
    ],
  };
}
