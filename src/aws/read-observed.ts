// readObserved: everything a plan needs from AWS, read through the ports with bounded concurrency and no
// duplicate calls — all Kafka mappings (+ tags), each function involved, each role's esmctl policy, each MSK cluster.

import type { AwsPorts } from '../core/ports.js';
import type { LiveCluster, LiveFunction, LiveRolePolicy, MappingSet, Observed } from '../core/types.js';
import { cmp } from '../core/canonical-json.js';
import { policyName, roleNameOf } from '../core/iam.js';
import { TAG_SET } from '../core/tags.js';
import { limiter, mapLimit } from './concurrency.js';

export interface ReadObservedOptions {
  /** Concurrent calls per phase (functions, policies, clusters). Default 32. */
  concurrency?: number;
}

function accountOf(arn: string): string | undefined {
  const acct = arn.split(':')[4];
  return acct && /^\d{12}$/.test(acct) ? acct : undefined;
}

/**
 * Reads what buildPlan needs. Functions read: every function the spec names, plus the functions of live mappings
 * owned by these sets (so a policy left on a role no mapping uses any more is found and can be deleted).
 */
export async function readObserved(ports: AwsPorts, sets: MappingSet[], opts: ReadObservedOptions = {}): Promise<Observed> {
  const limit = opts.concurrency ?? 32;
  const setNames = new Set(sets.map((s) => s.name));

  const refs = [...new Set(sets.flatMap((s) => s.mappings.map((m) => m.function)))].sort();
  const mskArns = [
    ...new Set(sets.flatMap((s) => s.mappings.flatMap((m) => (m.source.kind === 'msk' && m.source.arn.includes(':cluster/') ? [m.source.arn] : [])))),
  ].sort();

  // One read per (role, policy), started as soon as the role is known, never twice.
  const gate = limiter(limit);
  const policyReads = new Map<string, Promise<LiveRolePolicy>>();
  const readPolicies = (set: string, fns: Iterable<LiveFunction>) => {
    for (const f of fns) {
      const roleName = roleNameOf(f.roleArn);
      const name = policyName(set);
      const key = `${roleName}\u0000${name}`;
      if (policyReads.has(key)) continue;
      const read = gate(async () => ({ roleName, policyName: name, document: await ports.iam.getRolePolicy(roleName, name) }));
      read.catch(() => undefined); // awaited below; a failure there is reported once
      policyReads.set(key, read);
    }
  };

  // The spec's functions, then at once their roles' policies, while the mappings are still being listed.
  const specFunctionsRead = mapLimit(refs, limit, (ref) => ports.functions.getFunction(ref)).then((list) => {
    const byRef = new Map(list.filter((f): f is LiveFunction => f !== null).map((f) => [f.ref, f]));
    for (const s of sets) readPolicies(s.name, s.mappings.flatMap((m) => byRef.get(m.function) ?? []));
    return [...byRef.values()];
  });
  const [mappings, specFunctions, clusters] = await Promise.all([
    ports.mappings.listKafkaMappings(),
    specFunctionsRead,
    mapLimit(mskArns, limit, (arn) => ports.clusters.describeCluster(arn)),
  ]);

  // Functions of live mappings these sets own but the spec no longer names: their roles may hold a policy to delete.
  const functions: LiveFunction[] = [...specFunctions];
  const byArn = new Map(functions.map((f) => [f.functionArn, f]));
  const ownedBySet = new Map<string, Set<string>>();
  for (const m of mappings) {
    const owner = m.tags[TAG_SET];
    if (!owner || !setNames.has(owner)) continue;
    ownedBySet.set(owner, (ownedBySet.get(owner) ?? new Set()).add(m.config.functionArn));
  }
  const extraArns = [...new Set([...ownedBySet.values()].flatMap((fns) => [...fns]))].filter((arn) => !byArn.has(arn)).sort();
  const extra = await mapLimit(extraArns, limit, (arn) => ports.functions.getFunction(arn));
  for (const f of extra) {
    if (!f) continue;
    functions.push(f);
    byArn.set(f.functionArn, f);
  }
  for (const [set, fns] of ownedBySet) readPolicies(set, [...fns].flatMap((arn) => byArn.get(arn) ?? []));

  const policies = (await Promise.all(policyReads.values())).sort(
    (a, b) => cmp(a.roleName, b.roleName) || cmp(a.policyName, b.policyName),
  );
  const accountId = functions.map((f) => accountOf(f.functionArn)).find(Boolean);
  const observed: Observed = {
    region: ports.region,
    mappings,
    functions,
    policies,
    clusters: clusters.filter((c): c is LiveCluster => c !== null),
    readAt: ports.clock.now().toISOString(),
  };
  if (accountId) observed.accountId = accountId;
  return observed;
}
