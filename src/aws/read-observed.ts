// readObserved: everything a plan needs from AWS, read through the ports with bounded concurrency and no
// duplicate calls — all Kafka mappings (+ tags), each function involved, each role's esmctl policy, each MSK cluster.

import type { AwsPorts } from '../core/ports.js';
import type { LiveCluster, LiveFunction, LiveRolePolicy, MappingSet, Observed } from '../core/types.js';
import { policyName, roleNameOf } from '../core/iam.js';
import { TAG_SET } from '../core/tags.js';
import { mapLimit } from './concurrency.js';

export interface ReadObservedOptions {
  /** Concurrent calls per phase (functions, policies, clusters). Default 16. */
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
  const limit = opts.concurrency ?? 16;
  const setNames = new Set(sets.map((s) => s.name));

  const refs = [...new Set(sets.flatMap((s) => s.mappings.map((m) => m.function)))].sort();
  const mskArns = [
    ...new Set(sets.flatMap((s) => s.mappings.flatMap((m) => (m.source.kind === 'msk' && m.source.arn.includes(':cluster/') ? [m.source.arn] : [])))),
  ].sort();

  const [mappings, specFunctions, clusters] = await Promise.all([
    ports.mappings.listKafkaMappings(),
    mapLimit(refs, limit, (ref) => ports.functions.getFunction(ref)),
    mapLimit(mskArns, limit, (arn) => ports.clusters.describeCluster(arn)),
  ]);

  const functions: LiveFunction[] = specFunctions.filter((f): f is LiveFunction => f !== null);
  const known = new Set(functions.map((f) => f.functionArn));
  // set name → function ARNs it involves (spec side and owned live side)
  const setFunctions = new Map<string, Set<string>>();
  const byRef = new Map(functions.map((f) => [f.ref, f]));
  for (const s of sets) {
    const fns = new Set<string>();
    for (const m of s.mappings) {
      const f = byRef.get(m.function);
      if (f) fns.add(f.functionArn);
    }
    setFunctions.set(s.name, fns);
  }
  const ownedExtra: string[] = [];
  for (const m of mappings) {
    const owner = m.tags[TAG_SET];
    if (!owner || !setNames.has(owner)) continue;
    setFunctions.get(owner)!.add(m.config.functionArn);
    if (!known.has(m.config.functionArn)) {
      known.add(m.config.functionArn);
      ownedExtra.push(m.config.functionArn);
    }
  }
  const extra = await mapLimit(ownedExtra.sort(), limit, (arn) => ports.functions.getFunction(arn));
  for (const f of extra) if (f) functions.push(f);

  const roleOf = new Map(functions.map((f) => [f.functionArn, roleNameOf(f.roleArn)]));
  const pairs = new Map<string, { roleName: string; policyName: string }>();
  for (const [set, fns] of setFunctions) {
    for (const fn of fns) {
      const roleName = roleOf.get(fn);
      if (!roleName) continue;
      const name = policyName(set);
      pairs.set(`${roleName}\u0000${name}`, { roleName, policyName: name });
    }
  }
  const pairList = [...pairs.values()].sort((a, b) => (a.roleName + a.policyName < b.roleName + b.policyName ? -1 : 1));
  const policies: LiveRolePolicy[] = await mapLimit(pairList, limit, async ({ roleName, policyName }) => ({
    roleName,
    policyName,
    document: await ports.iam.getRolePolicy(roleName, policyName),
  }));

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
