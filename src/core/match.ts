// Pairs desired mappings with live ones: owned (esmctl tags) ↔ desired; an unowned live mapping with the same
// natural key (function incl. qualifier, source, topic) is adopted; owned-but-gone are deleted; the rest unmanaged.

import { cmp } from './canonical-json.js';
import { ownerOf } from './tags.js';
import type { DesiredMapping, KafkaSource, LiveMapping, MappingConfig, UnmanagedMapping } from './types.js';

/** function ARN | source | topic: what AWS allows only one mapping to have. */
export function naturalKey(c: Pick<MappingConfig, 'functionArn' | 'source' | 'topic'>): string {
  return `${c.functionArn}|${sourceKey(c.source)}|${c.topic}`;
}

export function sourceKey(s: KafkaSource): string {
  return s.kind === 'msk' ? s.arn : [...s.bootstrapServers].sort(cmp).join(',');
}

export interface DesiredEntry {
  mapping: DesiredMapping;
  config: MappingConfig;
}

export type Pairing =
  | { how: 'owned'; desired: DesiredEntry; live: LiveMapping }
  | { how: 'adopt'; desired: DesiredEntry; live: LiveMapping }
  /** Nothing live: create. `blockedBy` is set when another set owns a live mapping with the same natural key. */
  | { how: 'absent'; desired: DesiredEntry; blockedBy?: LiveMapping };

export interface MatchResult {
  pairings: Pairing[];
  /** Owned by a planned set but no longer in its spec, or duplicates of a matched one: delete. */
  orphans: Array<{ live: LiveMapping; set: string; address: string; duplicateOf?: string }>;
  /** Never touched. */
  unmanaged: UnmanagedMapping[];
  /** Mappings in Deleting, counted as absent. */
  deleting: LiveMapping[];
}

/**
 * Matches desired entries of the planned sets against live mappings. `live` configs must be canonical.
 * Order of preference: owned by set+mapping tags, then an unowned mapping with the same natural key.
 */
export function matchMappings(setNames: string[], desired: DesiredEntry[], live: LiveMapping[]): MatchResult {
  const planned = new Set(setNames);
  const deleting = live.filter((m) => m.state === 'Deleting');
  const present = live.filter((m) => m.state !== 'Deleting').sort((a, b) => cmp(a.uuid, b.uuid));
  const used = new Set<string>();
  const pairings: Pairing[] = [];
  const orphans: MatchResult['orphans'] = [];

  const byAddress = new Map<string, LiveMapping[]>();
  for (const m of present) {
    const o = ownerOf(m.tags);
    if (!o || !planned.has(o.set) || !o.mapping) continue;
    const address = `${o.set}/${o.mapping}`;
    byAddress.set(address, [...(byAddress.get(address) ?? []), m]);
  }

  const unpaired: DesiredEntry[] = [];
  for (const entry of desired) {
    const owned = byAddress.get(entry.mapping.address) ?? [];
    if (owned.length === 0) {
      unpaired.push(entry);
      continue;
    }
    // Prefer the one whose natural key matches the spec; the others are duplicates to delete.
    const key = naturalKey(entry.config);
    const keep = owned.find((m) => naturalKey(m.config) === key) ?? owned[0];
    pairings.push({ how: 'owned', desired: entry, live: keep });
    used.add(keep.uuid);
    for (const dup of owned) {
      if (dup === keep) continue;
      used.add(dup.uuid);
      orphans.push({ live: dup, set: entry.mapping.set, address: entry.mapping.address, duplicateOf: keep.uuid });
    }
  }

  const unownedByKey = new Map<string, LiveMapping>();
  const otherSetByKey = new Map<string, LiveMapping>();
  for (const m of present) {
    if (used.has(m.uuid)) continue;
    const o = ownerOf(m.tags);
    const key = naturalKey(m.config);
    if (!o) {
      if (!unownedByKey.has(key)) unownedByKey.set(key, m);
    } else if (!planned.has(o.set) && !otherSetByKey.has(key)) {
      otherSetByKey.set(key, m);
    }
  }
  for (const entry of unpaired) {
    const key = naturalKey(entry.config);
    const candidate = unownedByKey.get(key);
    if (candidate && !used.has(candidate.uuid)) {
      pairings.push({ how: 'adopt', desired: entry, live: candidate });
      used.add(candidate.uuid);
      continue;
    }
    const blockedBy = otherSetByKey.get(key);
    pairings.push(blockedBy ? { how: 'absent', desired: entry, blockedBy } : { how: 'absent', desired: entry });
  }

  const unmanaged: UnmanagedMapping[] = [];
  for (const m of present) {
    if (used.has(m.uuid)) continue;
    const o = ownerOf(m.tags);
    if (o && planned.has(o.set)) {
      orphans.push({ live: m, set: o.set, address: `${o.set}/${o.mapping ?? m.uuid}` });
      continue;
    }
    const u: UnmanagedMapping = { uuid: m.uuid, functionArn: m.config.functionArn, source: m.config.source, topic: m.config.topic };
    if (o) u.ownerSet = o.set;
    unmanaged.push(u);
  }
  unmanaged.sort((a, b) => cmp(a.functionArn, b.functionArn) || cmp(a.topic, b.topic) || cmp(a.uuid, b.uuid));
  pairings.sort((a, b) => cmp(a.desired.mapping.address, b.desired.mapping.address));
  orphans.sort((a, b) => cmp(a.address, b.address) || cmp(a.live.uuid, b.live.uuid));
  return { pairings, orphans, unmanaged, deleting };
}
