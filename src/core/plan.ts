// buildPlan: desired sets + what was observed → the Plan (a closed union of actions with reasons, dependsOn,
// replace consequences, drift labels, warnings, unmanaged mappings, fingerprints, summary), sorted by address.

import { cmp } from './canonical-json.js';
import { diffConfigs, worstImpact } from './diff.js';
import { userError } from './errors.js';
import { FIELD_NAMES, FIELD_RULES, type OmitRule } from './fields.js';
import { absentFingerprint, configHash, fingerprintObserved, specHash } from './fingerprint.js';
import { desiredPolicyDocument, policiesEqual, policyName, roleNameOf, type PolicyInput } from './iam.js';
import { matchMappings, naturalKey, type DesiredEntry } from './match.js';
import { canonicalConfig, normalizeDesired, type NormalizeContext } from './normalize.js';
import { managedTags, TAG_SET, TAG_SPEC_HASH } from './tags.js';
import type {
  Action,
  ActionKind,
  DeleteAction,
  FieldChange,
  LiveMapping,
  MappingConfig,
  MappingSet,
  Observed,
  Plan,
  PlanWarning,
} from './types.js';

export interface PlanOptions {
  /** A spec without maximumBatchingWindowInSeconds against a live value: replace (true) instead of a warning. */
  replaceOnBatchingWindowReset?: boolean;
}

/** Warning codes the plan can carry. */
export const WARNING_CODES = {
  batchingWindowReset: 'batching-window-reset',
  replaceOffsets: 'replace-offsets',
  ownedByOtherSet: 'owned-by-other-set',
  waitsForDelete: 'waits-for-delete',
  needsProvisionedMode: 'needs-provisioned-mode',
  noExecutionRole: 'no-execution-role',
} as const;

const KIND_ORDER: Record<ActionKind, number> = {
  'put-policy': 0,
  delete: 1,
  replace: 2,
  update: 3,
  adopt: 4,
  create: 5,
  'delete-policy': 6,
};

export function mappingActionId(address: string): string {
  return `mapping:${address}`;
}

export function policyActionId(roleName: string, policy: string): string {
  return `policy:${roleName}:${policy}`;
}

export function policyAddress(roleName: string, policy: string): string {
  return `iam:${roleName}/${policy}`;
}

/** A live config in canonical form; a consumer group equal to the UUID is the default group (null). */
export function canonicalLive(m: LiveMapping): LiveMapping {
  const config = canonicalConfig(m.config);
  if (config.consumerGroupId === m.uuid) config.consumerGroupId = null;
  return { ...m, config };
}

/**
 * The plan that makes AWS match `sets`. Pure: everything it knows about AWS is in `observed`.
 * Throws a user EsmctlError when a mapping names a function the reader did not find.
 */
export function buildPlan(sets: MappingSet[], observed: Observed, options: PlanOptions = {}): Plan {
  const ctx: NormalizeContext = { region: observed.region, accountId: observed.accountId, functions: observed.functions };
  const allDesired = sets.flatMap((s) => s.mappings);
  const functionByRef = new Map(observed.functions.map((f) => [f.ref, f]));
  const missing = allDesired.filter((d) => !functionByRef.has(d.function));
  if (missing.length > 0) {
    const lines = missing.map((d) => {
      const at = d.location ? `${d.location.file}:${d.location.line}:${d.location.col}: ` : '';
      return `${at}${d.address}: function '${d.function}' was not found in ${observed.region}`;
    });
    throw userError('plan.function-not-found', lines.join('\n'), 'Deploy the function first, or fix its name, alias or region.');
  }

  const entries: DesiredEntry[] = allDesired.map((d) => ({ mapping: d, config: normalizeDesired(d, ctx) }));
  const byKey = new Map<string, string[]>();
  for (const e of entries) byKey.set(naturalKey(e.config), [...(byKey.get(naturalKey(e.config)) ?? []), e.mapping.address]);
  const clashes = [...byKey.values()].filter((list) => list.length > 1);
  if (clashes.length > 0) {
    throw userError(
      'plan.duplicate-mapping',
      clashes.map((list) => `${list.join(' and ')} have the same function, source and topic; AWS allows only one such mapping`).join('\n'),
      'Keep one of them, or give them different topics or functions.',
    );
  }
  const live = observed.mappings.map(canonicalLive);
  const setNames = sets.map((s) => s.name).sort(cmp);
  const match = matchMappings(setNames, entries, live);

  const actions: Action[] = [];
  const warnings: PlanWarning[] = [];
  const absentKeys: string[] = [];
  const relatedUuids = new Set<string>();

  for (const p of match.pairings) {
    const d = p.desired.mapping;
    const desired = p.desired.config;
    const id = mappingActionId(d.address);
    const hash = configHash(desired);
    const tags = managedTags(d.set, d.name, hash, desired.tags);
    warnings.push(...provisionedWarnings(d.address, desired));

    if (p.how === 'absent') {
      if (p.blockedBy) {
        warnings.push({
          code: WARNING_CODES.ownedByOtherSet,
          address: d.address,
          message: `not created: live mapping ${p.blockedBy.uuid} with the same function, source and topic belongs to set '${p.blockedBy.tags[TAG_SET]}'; keep it in one set only`,
        });
        continue;
      }
      const key = naturalKey(desired);
      const dying = match.deleting.find((m) => naturalKey(canonicalLive(m).config) === key);
      if (dying) {
        warnings.push({
          code: WARNING_CODES.waitsForDelete,
          address: d.address,
          message: `mapping ${dying.uuid} with the same function, source and topic is still being deleted; the create waits until it is gone`,
        });
      }
      absentKeys.push(key);
      actions.push({ kind: 'create', id, address: d.address, reason: 'no live mapping for this function, source and topic', dependsOn: [], desired, tags });
      continue;
    }

    relatedUuids.add(p.live.uuid);
    const before = p.live.config;
    const { after, changes, resetWarning } = planChanges(before, desired, options);
    const impact = worstImpact(changes);
    const drift = p.how === 'owned' && p.live.tags[TAG_SPEC_HASH] === hash;

    if (impact === 'replace') {
      const forcedBy = changes.filter((c) => c.impact === 'replace').map((c) => c.path);
      const consequence = replaceConsequence(before, after);
      const reason =
        p.how === 'adopt'
          ? `adopts unowned mapping ${p.live.uuid} (same function, source and topic), but ${forcedBy.join(', ')} cannot be changed in place`
          : `${forcedBy.join(', ')} cannot be changed in place${drift ? ' (changed outside esmctl)' : ''}`;
      actions.push({
        kind: 'replace', id, address: d.address, reason, dependsOn: [], uuid: p.live.uuid, before, after, changes,
        forcedBy, order: 'delete-before-create', consequence, drift, tags,
      });
      warnings.push({ code: WARNING_CODES.replaceOffsets, address: d.address, message: consequence });
      continue;
    }
    if (resetWarning) warnings.push({ code: WARNING_CODES.batchingWindowReset, address: d.address, message: resetWarning });

    if (p.how === 'adopt') {
      const then = changes.length > 0 ? `; then updates ${changedFields(changes)}` : '';
      actions.push({
        kind: 'adopt', id, address: d.address, reason: `unowned mapping ${p.live.uuid} has the same function, source and topic${then}`,
        dependsOn: [], uuid: p.live.uuid, before, after, changes, tags,
      });
      continue;
    }
    if (changes.length === 0) continue;
    actions.push({
      kind: 'update', id, address: d.address,
      reason: drift ? `changed outside esmctl: ${changedFields(changes)}` : `spec changed: ${changedFields(changes)}`,
      dependsOn: [], uuid: p.live.uuid, before, after, changes, drift, tags,
    });
  }

  const deletes: DeleteAction[] = [];
  for (const o of match.orphans) {
    relatedUuids.add(o.live.uuid);
    const duplicate = o.duplicateOf !== undefined;
    const del: DeleteAction = {
      kind: 'delete',
      id: duplicate ? `${mappingActionId(o.address)}#${o.live.uuid}` : mappingActionId(o.address),
      address: o.address,
      reason: duplicate ? `duplicate of ${o.duplicateOf}, owned by the same set and name` : `no longer in set '${o.set}'`,
      dependsOn: [],
      uuid: o.live.uuid,
      before: o.live.config,
    };
    deletes.push(del);
    actions.push(del);
  }

  // A mapping that takes over the function+source+topic of one being deleted (a renamed mapping) waits for it.
  const deleteIdsByKey = new Map<string, string[]>();
  for (const del of deletes) {
    const k = naturalKey(del.before);
    deleteIdsByKey.set(k, [...(deleteIdsByKey.get(k) ?? []), del.id]);
  }
  for (const a of actions) {
    if (a.kind !== 'create' && a.kind !== 'replace' && a.kind !== 'update') continue;
    const key = naturalKey(a.kind === 'create' ? a.desired : a.after);
    for (const id of deleteIdsByKey.get(key) ?? []) a.dependsOn.push(id);
  }

  // IAM: one inline policy esmctl-<set> per role.
  const mappingActionById = new Map(actions.filter((a) => a.kind !== 'delete').map((a) => [a.id, a]));
  const roleOfFunction = new Map(observed.functions.map((f) => [f.functionArn, roleNameOf(f.roleArn)]));
  const deleteRole = (del: DeleteAction) => roleOfFunction.get(del.before.functionArn);
  for (const set of [...sets].sort((a, b) => cmp(a.name, b.name))) {
    const name = policyName(set.name);
    const inputsByRole = new Map<string, PolicyInput[]>();
    const actionIdsByRole = new Map<string, string[]>();
    for (const e of entries) {
      if (e.mapping.set !== set.name || e.mapping.permissions === 'none') continue;
      const fn = functionByRef.get(e.mapping.function)!;
      const role = roleNameOf(fn.roleArn);
      if (!role) {
        warnings.push({
          code: WARNING_CODES.noExecutionRole,
          address: e.mapping.address,
          message: `function ${fn.functionArn} reported no execution role, so esmctl cannot grant its permissions; grant them yourself or set permissions: none`,
        });
        continue;
      }
      inputsByRole.set(role, [...(inputsByRole.get(role) ?? []), { address: e.mapping.address, config: e.config, authType: e.mapping.auth?.type }]);
      const act = mappingActionById.get(mappingActionId(e.mapping.address));
      if (act) actionIdsByRole.set(role, [...(actionIdsByRole.get(role) ?? []), act.id]);
    }
    const roles = new Set([...inputsByRole.keys(), ...observed.policies.filter((p) => p.policyName === name).map((p) => p.roleName)]);
    for (const role of [...roles].sort(cmp)) {
      const want = desiredPolicyDocument(inputsByRole.get(role) ?? [], {
        region: observed.region, accountId: observed.accountId, clusters: observed.clusters, secrets: observed.secrets,
      });
      const have = observed.policies.find((p) => p.roleName === role && p.policyName === name)?.document ?? null;
      const id = policyActionId(role, name);
      const address = policyAddress(role, name);
      const setDeletes = deletes.filter((x) => x.address.startsWith(`${set.name}/`) && (deleteRole(x) ?? role) === role).map((x) => x.id);
      if (want && !policiesEqual(want, have)) {
        const users = (inputsByRole.get(role) ?? []).map((i) => i.address);
        const dependents = actionIdsByRole.get(role) ?? [];
        actions.push({
          kind: 'put-policy', id, address,
          reason: have
            ? `policy differs from what ${users.join(', ')} ${users.length === 1 ? 'needs' : 'need'}`
            : `${users.join(', ')} ${users.length === 1 ? 'needs' : 'need'} permissions on role ${role}`,
          dependsOn: dependents.length === 0 ? setDeletes : [],
          roleName: role, policyName: name, before: have, after: want,
        });
        for (const dep of dependents) mappingActionById.get(dep)!.dependsOn.push(id);
      } else if (!want && have) {
        actions.push({
          kind: 'delete-policy', id, address,
          reason: `no mapping of set '${set.name}' on role ${role} needs permissions any more`,
          dependsOn: setDeletes, roleName: role, policyName: name, before: have,
        });
      }
    }
  }

  actions.sort((a, b) => cmp(a.address, b.address) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || cmp(a.id, b.id));
  for (const a of actions) a.dependsOn = [...new Set(a.dependsOn)].sort(cmp);

  const planSets = new Set(setNames.map(policyName));
  const holders = new Map<string, string[]>();
  for (const m of live) {
    if (m.state === 'Deleting') continue;
    const k = naturalKey(m.config);
    holders.set(k, [...(holders.get(k) ?? []), m.uuid]);
  }
  const fingerprints = fingerprintObserved(observed)
    .filter((f) => {
      if (f.key.startsWith('mapping:')) return relatedUuids.has(f.key.slice('mapping:'.length));
      if (f.key.startsWith('present:')) return false;
      if (f.key.startsWith('policy:')) return planSets.has(f.key.split(':').slice(2).join(':'));
      return true;
    })
    .concat([...new Set(absentKeys)].map((k) => absentFingerprint(k, holders.get(k) ?? [])))
    .sort((a, b) => cmp(a.key, b.key));

  warnings.sort((a, b) => cmp(a.address ?? '', b.address ?? '') || cmp(a.code, b.code) || cmp(a.message, b.message));
  return {
    formatVersion: 1,
    createdAt: observed.readAt,
    region: observed.region,
    sets: setNames,
    specHash: specHash(sets),
    actions,
    warnings,
    unmanaged: match.unmanaged,
    fingerprints,
    summary: summarize(actions),
  };
}

/** Desired vs live: keep-live fields filled from live (unless a replace re-creates anyway), then the diff. */
function planChanges(
  before: MappingConfig,
  desired: MappingConfig,
  options: PlanOptions,
): { after: MappingConfig; changes: FieldChange[]; resetWarning?: string } {
  const keepLive = FIELD_NAMES.filter((f) => (FIELD_RULES[f].omit as OmitRule) === 'keep-live');
  const filled: MappingConfig = { ...desired };
  const resets: string[] = [];
  for (const f of keepLive) {
    if (desired[f] === null && before[f] !== null) {
      (filled as unknown as Record<string, unknown>)[f] = before[f];
      resets.push(f);
    }
  }
  const changes = diffConfigs(before, filled);
  if (worstImpact(changes) === 'replace') return { after: desired, changes: diffConfigs(before, desired) };
  if (resets.length === 0) return { after: filled, changes };
  if (options.replaceOnBatchingWindowReset) {
    const forced = diffConfigs(before, desired).map((c) => (resets.includes(c.path) ? { ...c, impact: 'replace' as const } : c));
    return { after: desired, changes: forced };
  }
  const value = before.maximumBatchingWindowInSeconds;
  return {
    after: filled,
    changes,
    resetWarning: `the spec leaves out maximumBatchingWindowInSeconds but the live mapping has ${value}; AWS cannot restore its 500 ms default in place, so the live value stays (set it in the spec, or plan with --replace-on-batching-window-reset)`,
  };
}

function changedFields(changes: FieldChange[]): string {
  return changes.map((c) => c.path).join(', ');
}

/** What a delete-then-create does to the consumer group's position (the executor never reads this text). */
export function replaceConsequence(before: MappingConfig, after: MappingConfig): string {
  const gap = 'No mapping consumes the topic between the delete and the create.';
  const where = startText(after);
  const group = after.consumerGroupId;
  if (group === null) {
    return `The new mapping gets a new default consumer group (its UUID) and starts at ${where}. ${gap}`;
  }
  const sameGroup = group === before.consumerGroupId;
  const sameStream = naturalKey({ ...before, functionArn: '' }) === naturalKey({ ...after, functionArn: '' });
  if (sameGroup && sameStream) {
    return `The new mapping keeps consumer group '${group}' and resumes from its committed offsets (${after.startingPosition} applies only where none are committed). ${gap}`;
  }
  const why = sameGroup ? `has not consumed the new source or topic (unless it did before)` : `is a different group`;
  return `Consumer group '${group}' ${why}, so the new mapping starts at ${where}. ${gap}`;
}

function startText(c: MappingConfig): string {
  switch (c.startingPosition) {
    case 'LATEST':
      return 'LATEST: the unprocessed backlog and records produced meanwhile are skipped';
    case 'TRIM_HORIZON':
      return 'TRIM_HORIZON: the topic is read again from its earliest offset (records are processed twice)';
    case 'AT_TIMESTAMP':
      return `AT_TIMESTAMP ${c.startingPositionTimestamp ?? '(unset)'}: records from that instant on are read again`;
  }
}

/** Fields that AWS accepts only in provisioned mode, set while the mapping has no ProvisionedPollerConfig. */
function provisionedWarnings(address: string, c: MappingConfig): PlanWarning[] {
  if (c.provisionedPollers !== null) return [];
  const fields = FIELD_NAMES.filter((f) => {
    const rule = FIELD_RULES[f];
    if (!rule.provisionedOnly) return false;
    const omit = rule.omit as OmitRule;
    return typeof omit === 'object' && JSON.stringify(c[f]) !== JSON.stringify(omit.default);
  }) as string[];
  if (c.onFailure?.startsWith('kafka://')) fields.push('onFailure (kafka://)');
  if (c.metrics.includes('KafkaMetrics')) fields.push('metrics (KafkaMetrics)');
  if (fields.length === 0) return [];
  return [{
    code: WARNING_CODES.needsProvisionedMode,
    address,
    message: `${fields.join(', ')} need provisioned mode (provisionedPollers); AWS will reject the request without it`,
  }];
}

export function summarize(actions: Action[]): Plan['summary'] {
  const s: Plan['summary'] = { create: 0, update: 0, replace: 0, delete: 0, adopt: 0, putPolicy: 0, deletePolicy: 0 };
  for (const a of actions) {
    if (a.kind === 'put-policy') s.putPolicy++;
    else if (a.kind === 'delete-policy') s.deletePolicy++;
    else s[a.kind]++;
  }
  return s;
}

/** true when the plan changes nothing. */
export function isEmptyPlan(plan: Plan): boolean {
  return plan.actions.length === 0;
}
