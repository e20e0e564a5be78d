// Stable hashes of canonical JSON: the spec hash, the per-mapping config hash written to `esmctl:spec-hash`, and
// fingerprints of every live object a plan read, compared again before apply (stale-plan refusal).

import { createHash } from 'node:crypto';
import { canonicalJson, cmp } from './canonical-json.js';
import { naturalKey } from './match.js';
import { normalizePolicy } from './iam.js';
import type { MappingConfig, MappingSet, Observed, ObservedFingerprint } from './types.js';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Hash of one canonical MappingConfig (the value of the `esmctl:spec-hash` tag). */
export function configHash(c: MappingConfig): string {
  return sha256(canonicalJson(c));
}

/** Hash of the desired spec: sets and mappings by name, without file names or positions. */
export function specHash(sets: MappingSet[]): string {
  const model = [...sets]
    .sort((a, b) => cmp(a.name, b.name))
    .map((s) => ({
      apiVersion: s.apiVersion,
      name: s.name,
      region: s.region,
      mappings: [...s.mappings]
        .sort((a, b) => cmp(a.name, b.name))
        .map(({ location: _location, ...rest }) => rest),
    }));
  return sha256(canonicalJson(model));
}

/**
 * Fingerprints of what was observed: `mapping:<uuid>` (state, LastModified, config hash, tags),
 * `present:<natural key>` (the uuids holding that function+source+topic), `policy:<role>:<name>` (normalised
 * document or absent), `function:<ref>` (ARN and role). Deleting mappings count as absent. Sorted by key.
 */
export function fingerprintObserved(observed: Observed): ObservedFingerprint[] {
  const out: ObservedFingerprint[] = [];
  const byKey = new Map<string, string[]>();
  for (const m of observed.mappings) {
    if (m.state === 'Deleting') continue;
    out.push({
      key: `mapping:${m.uuid}`,
      hash: sha256(canonicalJson({ state: m.state, lastModified: m.lastModified, config: configHash(m.config), tags: m.tags })),
    });
    const k = naturalKey(m.config);
    byKey.set(k, [...(byKey.get(k) ?? []), m.uuid]);
  }
  for (const [k, uuids] of byKey) out.push({ key: `present:${k}`, hash: uuidsHash(uuids) });
  for (const p of observed.policies) {
    out.push({
      key: `policy:${p.roleName}:${p.policyName}`,
      hash: sha256(p.document ? canonicalJson(normalizePolicy(p.document)) : 'absent'),
    });
  }
  for (const f of observed.functions) {
    out.push({ key: `function:${f.ref}`, hash: sha256(canonicalJson({ arn: f.functionArn, role: f.roleArn })) });
  }
  return dedupeSorted(out);
}

/**
 * The fingerprint a plan records for a natural key it plans a create on: which mappings held that key when the
 * plan read (none, usually; the one a rename deletes first, otherwise). Same hash formula as `present:<key>`.
 */
export function absentFingerprint(key: string, uuidsSeen: string[] = []): ObservedFingerprint {
  return { key: `absent:${key}`, hash: uuidsHash(uuidsSeen) };
}

function uuidsHash(uuids: string[]): string {
  return sha256(canonicalJson([...uuids].sort(cmp)));
}

/**
 * What changed between the fingerprints a plan recorded and a fresh read, as human lines (empty: still fresh).
 * Only keys the plan recorded count; `absent:<key>` is broken when the mappings holding that key differ.
 */
export function diffFingerprints(planned: ObservedFingerprint[], current: ObservedFingerprint[]): string[] {
  const now = new Map(current.map((f) => [f.key, f.hash]));
  const lines: string[] = [];
  for (const f of [...planned].sort((a, b) => cmp(a.key, b.key))) {
    const [kind, ...rest] = f.key.split(':');
    const name = rest.join(':');
    if (kind === 'present') continue;
    if (kind === 'absent') {
      if ((now.get(`present:${name}`) ?? uuidsHash([])) !== f.hash) {
        lines.push(`the mappings holding ${describeKey(name)} changed since the plan (a mapping was created or deleted there)`);
      }
      continue;
    }
    const hash = now.get(f.key);
    const what = kind === 'mapping' ? `mapping ${name}` : kind === 'policy' ? `IAM policy ${name.replace(':', '/')}` : `${kind} ${name}`;
    if (hash === undefined) lines.push(`${what} is gone`);
    else if (hash !== f.hash) lines.push(`${what} changed`);
  }
  return lines;
}

function describeKey(key: string): string {
  const [fn, source, topic] = key.split('|');
  return `function ${fn}, source ${source}, topic ${topic}`;
}

function dedupeSorted(list: ObservedFingerprint[]): ObservedFingerprint[] {
  const map = new Map(list.map((f) => [f.key, f]));
  return [...map.values()].sort((a, b) => cmp(a.key, b.key));
}
