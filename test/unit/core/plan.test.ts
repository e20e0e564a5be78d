// buildPlan, case by case (issue 4 §2-5 and §9): no change after defaults, drift vs pending change, replace with
// its consequence, set semantics, adopt, unmanaged, deletes, Deleting as absent, resets, warnings, IAM, dependsOn.

import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/core/plan.js';
import { EsmctlError } from '../../../src/core/errors.js';
import { diffFingerprints, fingerprintObserved } from '../../../src/core/fingerprint.js';
import { TAG_MAPPING, TAG_SET, TAG_SPEC_HASH } from '../../../src/core/tags.js';
import type { Action, Plan } from '../../../src/core/types.js';
import { CLUSTER_ARN, configOf, desired, fn, live, observed, set, SECRET_ARN, withPolicies } from './builders.js';

const only = <K extends Action['kind']>(plan: Plan, kind: K) => plan.actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
const mappingActions = (plan: Plan) => plan.actions.filter((a) => a.kind !== 'put-policy' && a.kind !== 'delete-policy');
const none = (d = desired()) => ({ ...d, permissions: 'none' as const });

describe('buildPlan: mappings', () => {
  it('no change after a fresh apply of defaults (aws: tags ignored, policy in place)', async () => {
    const d = desired();
    const sets = [set([d])];
    const obs = await withPolicies(sets, observed({ mappings: [live({ applied: d })] }));
    const plan = buildPlan(sets, obs);
    expect(plan.actions).toEqual([]);
    expect(plan.summary).toEqual({ create: 0, update: 0, replace: 0, delete: 0, adopt: 0, putPolicy: 0, deletePolicy: 0 });
    expect(plan.warnings).toEqual([]);
  });

  it('creates a missing mapping with ownership and user tags in the create', () => {
    const d = none(desired({ tags: { team: 'pay' } }));
    const plan = buildPlan([set([d])], observed());
    const [c] = only(plan, 'create');
    expect(c).toMatchObject({ id: 'mapping:payments/settle', address: 'payments/settle', dependsOn: [] });
    expect(c.desired).toEqual(configOf(d));
    expect(Object.keys(c.tags)).toEqual([TAG_MAPPING, TAG_SET, TAG_SPEC_HASH, 'team']);
    expect(c.tags[TAG_SET]).toBe('payments');
    expect(c.tags[TAG_MAPPING]).toBe('settle');
    expect(c.tags[TAG_SPEC_HASH]).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.summary.create).toBe(1);
  });

  it('a console edit is drift: named field, old → new, labelled', () => {
    const d = none();
    const plan = buildPlan([set([d])], observed({ mappings: [live({ applied: d, config: { batchSize: 500, enabled: false } })] }));
    const [u] = only(plan, 'update');
    expect(u.drift).toBe(true);
    expect(u.reason).toBe('changed outside esmctl: batchSize, enabled');
    expect(u.changes).toEqual([
      { path: 'batchSize', before: 500, after: 100, impact: 'update' },
      { path: 'enabled', before: false, after: true, impact: 'update' },
    ]);
  });

  it('a spec change is a pending change, not drift', () => {
    const old = none();
    const now = { ...old, batchSize: 250 };
    const plan = buildPlan([set([now])], observed({ mappings: [live({ applied: old })] }));
    const [u] = only(plan, 'update');
    expect(u.drift).toBe(false);
    expect(u.reason).toBe('spec changed: batchSize');
    expect(u.after.batchSize).toBe(250);
    // The update writes the hash of the new desired config, the one a fresh create would carry.
    expect(u.tags[TAG_SPEC_HASH]).toBe(only(buildPlan([set([now])], observed()), 'create')[0].tags[TAG_SPEC_HASH]);
    expect(u.tags[TAG_SPEC_HASH]).not.toBe(only(buildPlan([set([old])], observed()), 'create')[0].tags[TAG_SPEC_HASH]);
  });

  it('a topic change is a replace forced by topic, with the default-group consequence and a warning', () => {
    const old = none();
    const now = { ...old, topic: 'orders-v2' };
    const l = live({ applied: old });
    const plan = buildPlan([set([now])], observed({ mappings: [l] }));
    const [r] = only(plan, 'replace');
    expect(r).toMatchObject({ uuid: l.uuid, forcedBy: ['topic'], order: 'delete-before-create', drift: false });
    expect(r.consequence).toContain('new default consumer group');
    expect(r.consequence).toContain('LATEST');
    expect(r.consequence).toContain('backlog');
    expect(plan.warnings).toEqual([{ code: 'replace-offsets', address: 'payments/settle', message: r.consequence }]);
    expect(plan.summary.replace).toBe(1);
  });

  it('a replace keeping the same custom group on the same topic resumes from committed offsets', () => {
    const old = none(desired({ consumerGroupId: 'settle-g', startingPosition: 'LATEST' }));
    const now = { ...old, startingPosition: 'TRIM_HORIZON' as const };
    const [r] = only(buildPlan([set([now])], observed({ mappings: [live({ applied: old })] })), 'replace');
    expect(r.forcedBy).toEqual(['startingPosition']);
    expect(r.consequence).toContain("keeps consumer group 'settle-g' and resumes from its committed offsets");
  });

  it('reordered bootstrap servers and access configurations are no change', () => {
    const d = none(desired({
      source: { kind: 'self-managed', bootstrapServers: ['b:9096', 'a:9096'] },
      auth: { type: 'SASL_SCRAM_512', secretArn: SECRET_ARN },
      vpc: { subnets: ['subnet-1', 'subnet-2'], securityGroups: ['sg-1'] },
    }));
    const l = live({ applied: d });
    l.config = {
      ...l.config,
      source: { kind: 'self-managed', bootstrapServers: ['a:9096', 'b:9096'] },
      sourceAccessConfigurations: [...l.config.sourceAccessConfigurations].reverse(),
    };
    expect(buildPlan([set([d])], observed({ mappings: [l] })).actions).toEqual([]);
  });

  it('a default consumer group reported as the UUID is no change', () => {
    const d = none();
    const l = live({ applied: d });
    l.config = { ...l.config, consumerGroupId: l.uuid };
    expect(buildPlan([set([d])], observed({ mappings: [l] })).actions).toEqual([]);
  });

  it('adopts an unowned mapping with the same function, source and topic, then updates what differs', () => {
    const d = none(desired({ batchSize: 50 }));
    const l = live({ owned: false, config: { batchSize: 10 } });
    const plan = buildPlan([set([d])], observed({ mappings: [l] }));
    const [a] = only(plan, 'adopt');
    expect(a).toMatchObject({ uuid: l.uuid, address: 'payments/settle' });
    expect(a.reason).toBe(`unowned mapping ${l.uuid} has the same function, source and topic; then updates batchSize`);
    expect(a.changes).toEqual([{ path: 'batchSize', before: 10, after: 50, impact: 'update' }]);
    expect(a.tags[TAG_SET]).toBe('payments');
    expect(plan.unmanaged).toEqual([]);
  });

  it('an unowned match whose consumer group differs cannot be adopted in place: replace, saying so', () => {
    const d = none(desired({ consumerGroupId: 'settle-g' }));
    const l = live({ owned: false });
    const [r] = only(buildPlan([set([d])], observed({ mappings: [l] })), 'replace');
    expect(r.uuid).toBe(l.uuid);
    expect(r.forcedBy).toEqual(['consumerGroupId']);
    expect(r.reason).toBe(`adopts unowned mapping ${l.uuid} (same function, source and topic), but consumerGroupId cannot be changed in place`);
    expect(r.tags[TAG_SET]).toBe('payments');
  });

  it('leaves an unowned mapping of another function untouched and lists it as unmanaged', () => {
    const other = live({ owned: false, config: { functionArn: fn('legacy').functionArn, topic: 'audit' } });
    const otherSet = live({ applied: desired({ set: 'billing', name: 'x', function: 'refund' }) });
    const plan = buildPlan([set([none()])], observed({ mappings: [other, otherSet] }));
    expect(mappingActions(plan).map((a) => a.kind)).toEqual(['create']);
    expect(plan.unmanaged).toEqual([
      { uuid: other.uuid, functionArn: fn('legacy').functionArn, source: { kind: 'msk', arn: CLUSTER_ARN }, topic: 'audit' },
      { uuid: otherSet.uuid, functionArn: fn('refund').functionArn, source: { kind: 'msk', arn: CLUSTER_ARN }, topic: 'orders', ownerSet: 'billing' },
    ]);
  });

  it('does not create over a mapping another set owns with the same natural key (warning instead)', () => {
    const theirs = live({ applied: desired({ set: 'billing', name: 'settle' }) });
    const plan = buildPlan([set([none()])], observed({ mappings: [theirs] }));
    expect(plan.actions).toEqual([]);
    expect(plan.warnings.map((w) => w.code)).toEqual(['owned-by-other-set']);
  });

  it('deletes an owned mapping the spec no longer has, and owned duplicates', () => {
    const kept = none();
    const gone = none(desired({ name: 'refund', function: 'refund' }));
    const keep = live({ applied: kept, uuid: 'aaaaaaaa-0000-4000-8000-000000000001' });
    const dup = live({ applied: kept, uuid: 'aaaaaaaa-0000-4000-8000-000000000002', config: { topic: 'old' } });
    const orphan = live({ applied: gone });
    const plan = buildPlan([set([kept])], observed({ mappings: [keep, dup, orphan] }));
    const dels = only(plan, 'delete');
    expect(dels.map((a) => [a.id, a.uuid, a.reason])).toEqual([
      [`mapping:payments/refund`, orphan.uuid, "no longer in set 'payments'"],
      [`mapping:payments/settle#${dup.uuid}`, dup.uuid, `duplicate of ${keep.uuid}, owned by the same set and name`],
    ]);
    expect(plan.summary.delete).toBe(2);
  });

  it('a mapping in Deleting counts as absent: create (with a wait warning), not unmanaged, not deleted', () => {
    const d = none();
    const dying = live({ applied: d, state: 'Deleting' });
    const plan = buildPlan([set([d])], observed({ mappings: [dying] }));
    expect(plan.actions.map((a) => a.kind)).toEqual(['create']);
    expect(plan.unmanaged).toEqual([]);
    expect(plan.warnings.map((w) => w.code)).toEqual(['waits-for-delete']);
  });

  it('removing all filters is an update to an empty list', () => {
    const withFilters = none(desired({ filters: [{ value: { type: ['refund'] } }] }));
    const plan = buildPlan([set([none()])], observed({ mappings: [live({ applied: withFilters })] }));
    const [u] = only(plan, 'update');
    expect(u.changes).toEqual([{ path: 'filters', before: ['{"value":{"type":["refund"]}}'], after: [], impact: 'update' }]);
    expect(u.after.filters).toEqual([]);
  });

  it('removing error handling resets every value to the AWS default', () => {
    const pp = { provisionedPollers: { minimum: 1, maximum: 10 } };
    const withEh = none(desired({ ...pp, errorHandling: { maximumRetryAttempts: 3, maximumRecordAgeInSeconds: 3600, bisectBatchOnFunctionError: true, reportBatchItemFailures: true } }));
    const plan = buildPlan([set([none(desired(pp))])], observed({ mappings: [live({ applied: withEh })] }));
    const [u] = only(plan, 'update');
    expect(u.changes.map((c) => [c.path, c.after])).toEqual([
      ['maximumRetryAttempts', -1],
      ['maximumRecordAgeInSeconds', -1],
      ['bisectBatchOnFunctionError', false],
      ['reportBatchItemFailures', false],
    ]);
  });

  it('a batching window the spec leaves out is a warning, not an update; the live value is kept', () => {
    const d = none();
    const l = live({ applied: d, config: { maximumBatchingWindowInSeconds: 5 } });
    const plan = buildPlan([set([d])], observed({ mappings: [l] }));
    expect(plan.actions).toEqual([]);
    expect(plan.warnings).toEqual([expect.objectContaining({ code: 'batching-window-reset', address: 'payments/settle' })]);
    expect(plan.warnings[0].message).toContain('500 ms');
  });

  it('with replaceOnBatchingWindowReset the same case is a replace forced by the window', () => {
    const d = none();
    const l = live({ applied: d, config: { maximumBatchingWindowInSeconds: 5 } });
    const plan = buildPlan([set([d])], observed({ mappings: [l] }), { replaceOnBatchingWindowReset: true });
    const [r] = only(plan, 'replace');
    expect(r.forcedBy).toEqual(['maximumBatchingWindowInSeconds']);
    expect(r.after.maximumBatchingWindowInSeconds).toBeNull();
  });

  it('keeps a live batching window inside an update, and a set one is an ordinary update', () => {
    const d = none(desired({ batchSize: 300 }));
    const l = live({ applied: none(), config: { maximumBatchingWindowInSeconds: 5 } });
    const [u] = only(buildPlan([set([d])], observed({ mappings: [l] })), 'update');
    expect(u.after.maximumBatchingWindowInSeconds).toBe(5);
    expect(u.changes.map((c) => c.path)).toEqual(['batchSize']);
    const d2 = none(desired({ maximumBatchingWindowInSeconds: 1 }));
    const [u2] = only(buildPlan([set([d2])], observed({ mappings: [l] })), 'update');
    expect(u2.changes).toEqual([{ path: 'maximumBatchingWindowInSeconds', before: 5, after: 1, impact: 'update' }]);
  });

  it('warns when provisioned-only settings are used without provisioned pollers', () => {
    const d = none(desired({ errorHandling: { maximumRetryAttempts: 2 }, onFailure: 'kafka://dlq' }));
    const plan = buildPlan([set([d])], observed());
    expect(plan.warnings).toEqual([expect.objectContaining({ code: 'needs-provisioned-mode' })]);
    expect(plan.warnings[0].message).toContain('maximumRetryAttempts, onFailure (kafka://)');
  });

  it('refuses a function the reader did not find, naming the spec position', () => {
    const d = desired({ function: 'ghost', location: { file: 'payments.yaml', line: 7, col: 5 } });
    let err: unknown;
    try {
      buildPlan([set([d])], observed());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EsmctlError);
    expect(err).toMatchObject({ code: 'plan.function-not-found', source: 'user' });
    expect((err as Error).message).toBe("payments.yaml:7:5: payments/settle: function 'ghost' was not found in us-east-1");
  });

  it('sorts actions by address and is deterministic', () => {
    const ds = ['zeta', 'alpha', 'mid'].map((n) => none(desired({ name: n, topic: n })));
    const p1 = buildPlan([set(ds)], observed());
    const p2 = buildPlan([set([...ds].reverse())], observed());
    expect(p1.actions.map((a) => a.address)).toEqual(['payments/alpha', 'payments/mid', 'payments/zeta']);
    expect(JSON.stringify(p1)).toBe(JSON.stringify(p2));
  });
});

describe('buildPlan: IAM and ordering', () => {
  it('puts the set policy on the function role before the create that needs it', () => {
    const plan = buildPlan([set([desired({ auth: { type: 'IAM' } })])], observed());
    const [put] = only(plan, 'put-policy');
    const [create] = only(plan, 'create');
    expect(put).toMatchObject({ id: 'policy:settle-role:esmctl-payments', address: 'iam:settle-role/esmctl-payments', roleName: 'settle-role', policyName: 'esmctl-payments', before: null, dependsOn: [] });
    expect(JSON.stringify(put.after)).toContain('kafka-cluster:ReadData');
    expect(create.dependsOn).toEqual([put.id]);
    expect(plan.summary.putPolicy).toBe(1);
  });

  it('an equal live policy (different order, strings) is no change', async () => {
    const sets = [set([desired()])];
    const obs = await withPolicies(sets, observed());
    const doc = obs.policies[0].document!;
    obs.policies[0].document = { ...doc, Statement: [...doc.Statement].reverse().map((s) => ({ ...s, Action: [...(s.Action as string[])].reverse() })) };
    expect(only(buildPlan(sets, obs), 'put-policy')).toEqual([]);
  });

  it("grants kms:Decrypt on a referenced secret's customer-managed key the reader observed", () => {
    const key = 'arn:aws:kms:us-east-1:123456789012:key/1111';
    const d = desired({ auth: { type: 'SASL_SCRAM_512', secretArn: SECRET_ARN } });
    const plan = buildPlan([set([d])], observed({ secrets: [{ arn: SECRET_ARN, kmsKeyId: key }] }));
    const [put] = only(plan, 'put-policy');
    expect(put.after.Statement).toContainEqual({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [key] });
  });

  it('warns instead of writing a policy when the function reports no execution role', () => {
    const plan = buildPlan([set([desired()])], observed({ functions: [{ ...fn('settle'), roleArn: '' }] }));
    expect(plan.actions.map((a) => a.kind)).toEqual(['create']);
    expect(plan.warnings.map((w) => w.code)).toEqual(['no-execution-role']);
  });

  it('permissions: none adds nothing', () => {
    const plan = buildPlan([set([none()])], observed());
    expect(plan.actions.map((a) => a.kind)).toEqual(['create']);
  });

  it('deletes the policy after the deletes of the mappings that needed it', async () => {
    const gone = desired();
    const obs = await withPolicies([set([gone])], observed({ mappings: [live({ applied: gone })] }));
    const plan = buildPlan([set([])], obs);
    const [del] = only(plan, 'delete');
    const [dp] = only(plan, 'delete-policy');
    expect(dp).toMatchObject({ roleName: 'settle-role', policyName: 'esmctl-payments', dependsOn: [del.id] });
    expect(plan.summary).toMatchObject({ delete: 1, deletePolicy: 1 });
  });

  it('a shrinking policy with no new dependents waits for the deletes', async () => {
    const a = desired();
    const b = desired({ name: 'refund', function: 'refund', topic: 'refunds' });
    const obs = await withPolicies([set([a, b])], observed({ mappings: [live({ applied: a }), live({ applied: b })] }));
    const plan = buildPlan([set([a])], obs);
    const [put] = only(plan, 'put-policy');
    const [del] = only(plan, 'delete');
    expect(put.dependsOn).toEqual([del.id]);
    expect(JSON.stringify(put.after)).not.toContain('/refunds');
  });

  it('an update that needs a new grant depends on the policy put', async () => {
    const a = desired({ auth: { type: 'IAM' } });
    const obs = await withPolicies([set([a])], observed({ mappings: [live({ applied: a })] }));
    const plan = buildPlan([set([{ ...a, onFailure: `arn:aws:sqs:us-east-1:123456789012:dlq` }])], obs);
    const [put] = only(plan, 'put-policy');
    const [u] = only(plan, 'update');
    expect(u.dependsOn).toEqual([put.id]);
    expect(JSON.stringify(put.after)).toContain('sqs:SendMessage');
  });
});

describe('fingerprints', () => {
  it('records what the plan read and detects changes and newly occupied keys', async () => {
    const a = desired();
    const b = none(desired({ name: 'new', topic: 'new' }));
    const l = live({ applied: a });
    const sets = [set([a, b])];
    const obs = await withPolicies([set([a])], observed({ mappings: [l] }));
    const plan = buildPlan(sets, obs);
    const keys = plan.fingerprints.map((f) => f.key);
    expect(keys).toContain(`mapping:${l.uuid}`);
    expect(keys).toContain('policy:settle-role:esmctl-payments');
    expect(keys).toContain('function:settle');
    expect(keys.filter((k) => k.startsWith('absent:'))).toEqual([`absent:${configOf(b).functionArn}|${CLUSTER_ARN}|new`]);

    expect(diffFingerprints(plan.fingerprints, fingerprintObserved(obs))).toEqual([]);
    const edited = { ...obs, mappings: [{ ...l, lastModified: '2026-11-25T11:05:00.000Z' }] };
    expect(diffFingerprints(plan.fingerprints, fingerprintObserved(edited))).toEqual([`mapping ${l.uuid} changed`]);
    const raced = { ...obs, mappings: [l, live({ owned: false, config: configOf(b) })] };
    expect(diffFingerprints(plan.fingerprints, fingerprintObserved(raced))).toEqual([
      `the mappings holding function ${configOf(b).functionArn}, source ${CLUSTER_ARN}, topic new changed since the plan (a mapping was created or deleted there)`,
    ]);
    const gone = { ...obs, mappings: [], policies: [] };
    expect(diffFingerprints(plan.fingerprints, fingerprintObserved(gone))).toEqual([
      `mapping ${l.uuid} is gone`,
      'IAM policy settle-role/esmctl-payments is gone',
    ]);
    const deletedPolicy = { ...obs, policies: [{ ...obs.policies[0], document: null }] };
    expect(diffFingerprints(plan.fingerprints, fingerprintObserved(deletedPolicy))).toEqual(['IAM policy settle-role/esmctl-payments changed']);
  });

  it('the spec hash ignores file positions but not content', async () => {
    const { specHash } = await import('../../../src/core/fingerprint.js');
    const a = desired({ location: { file: 'a.yaml', line: 1, col: 1 } });
    const b = desired({ location: { file: 'a.yaml', line: 9, col: 3 } });
    expect(specHash([set([a])])).toBe(specHash([set([b])]));
    expect(specHash([set([a])])).not.toBe(specHash([set([{ ...a, batchSize: 5 }])]));
  });
});

describe('buildPlan: conflicts inside the spec', () => {
  it('refuses two desired mappings with the same function, source and topic', () => {
    let err: unknown;
    try {
      buildPlan([set([none(), none(desired({ name: 'twin' }))])], observed());
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'plan.duplicate-mapping', source: 'user' });
    expect((err as Error).message).toContain('payments/settle and payments/twin have the same function, source and topic');
  });

  it('a renamed mapping is created only after the old name is deleted (same natural key)', () => {
    const old = none();
    const renamed = none(desired({ name: 'settle-v2' }));
    const plan = buildPlan([set([renamed])], observed({ mappings: [live({ applied: old })] }));
    const [del] = only(plan, 'delete');
    const [create] = only(plan, 'create');
    expect(del.address).toBe('payments/settle');
    expect(create.dependsOn).toEqual([del.id]);
    // The key is held by the mapping the plan deletes first: still fresh on an unchanged re-read.
    const obs = observed({ mappings: [live({ applied: old })] });
    expect(diffFingerprints(buildPlan([set([renamed])], obs).fingerprints, fingerprintObserved(obs))).toEqual([]);
  });
});
