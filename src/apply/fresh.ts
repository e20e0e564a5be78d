// checkPlanFresh: re-reads exactly what a saved plan fingerprinted (mappings, functions, role policies) and the
// spec, and says what moved since the plan; apply refuses a stale plan before any mutation.

import { EsmctlError } from '../core/errors.js';
import { diffFingerprints, fingerprintObserved, specHash } from '../core/fingerprint.js';
import type { AwsPorts } from '../core/ports.js';
import type { LiveFunction, LiveRolePolicy, MappingSet, Observed, Plan } from '../core/types.js';
import { Semaphore } from './semaphore.js';

export interface FreshnessResult {
  fresh: boolean;
  /** Human lines naming what changed (empty when fresh). */
  changes: string[];
}

async function bounded<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const sem = new Semaphore(limit);
  return Promise.all(
    items.map(async (t) => {
      const release = await sem.acquire();
      try {
        return await fn(t);
      } finally {
        release();
      }
    }),
  );
}

/**
 * Compares the plan's spec hash with `sets`, and its fingerprints with a fresh read of the same objects:
 * all Kafka mappings (for `mapping:` and `absent:` keys), each `function:<ref>`, each `policy:<role>:<name>`.
 */
export async function checkPlanFresh(plan: Plan, sets: MappingSet[], ports: AwsPorts, opts: { concurrency?: number } = {}): Promise<FreshnessResult> {
  if (plan.formatVersion !== 1) {
    throw new EsmctlError('plan.format', `unsupported plan format version ${String(plan.formatVersion)}`, {
      source: 'user',
      hint: 'Run `esmctl plan --out FILE` again with this version of esmctl.',
    });
  }
  const changes: string[] = [];
  if (plan.region !== ports.region) changes.push(`the plan was made for region ${plan.region}, not ${ports.region}`);
  if (specHash(sets) !== plan.specHash) changes.push('the spec changed since the plan was made');

  const limit = opts.concurrency ?? 16;
  const keys = plan.fingerprints.map((f) => f.key);
  const refs = keys.filter((k) => k.startsWith('function:')).map((k) => k.slice('function:'.length));
  const policyKeys = keys
    .filter((k) => k.startsWith('policy:'))
    .map((k) => {
      const [roleName, policyName] = k.slice('policy:'.length).split(':');
      return { roleName, policyName };
    });

  const [mappings, functions, policies] = await Promise.all([
    ports.mappings.listKafkaMappings(),
    bounded(refs, limit, (ref) => ports.functions.getFunction(ref)),
    bounded(policyKeys, limit, async (p): Promise<LiveRolePolicy> => ({ ...p, document: await ports.iam.getRolePolicy(p.roleName, p.policyName) })),
  ]);
  const observed: Observed = {
    region: ports.region,
    mappings,
    functions: functions.filter((f): f is LiveFunction => f !== null),
    policies,
    clusters: [],
    readAt: ports.clock.now().toISOString(),
  };
  changes.push(...diffFingerprints(plan.fingerprints, fingerprintObserved(observed)));
  return { fresh: changes.length === 0, changes };
}
