// Ownership tags: how esmctl knows, without a state file, which live mappings it manages (set, mapping name,
// hash of the desired configuration last applied), and which tags are reserved (aws:, esmctl:).

export const TAG_SET = 'esmctl:set';
export const TAG_MAPPING = 'esmctl:mapping';
export const TAG_SPEC_HASH = 'esmctl:spec-hash';

/** Tag key prefixes that are never user tags: AWS adds `aws:` tags, esmctl owns `esmctl:`. */
export const RESERVED_TAG_PREFIXES = ['aws:', 'esmctl:'] as const;

export function isReservedTag(key: string): boolean {
  const k = key.toLowerCase();
  return RESERVED_TAG_PREFIXES.some((p) => k.startsWith(p));
}

/** Only the user's tags, keys sorted. */
export function userTags(tags: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tags ?? {}).sort()) {
    if (!isReservedTag(key)) out[key] = tags![key];
  }
  return out;
}

/** The three tags esmctl writes on every mapping it creates or adopts. */
export function ownershipTags(set: string, mapping: string, specHash: string): Record<string, string> {
  return { [TAG_MAPPING]: mapping, [TAG_SET]: set, [TAG_SPEC_HASH]: specHash };
}

/** Ownership tags plus user tags: everything a managed mapping should carry, keys sorted. */
export function managedTags(
  set: string,
  mapping: string,
  specHash: string,
  user: Record<string, string>,
): Record<string, string> {
  const all = { ...userTags(user), ...ownershipTags(set, mapping, specHash) };
  return Object.fromEntries(Object.keys(all).sort().map((k) => [k, all[k]]));
}

export interface Owner {
  set: string;
  /** Absent when only the set tag is there (a damaged or hand-made tag set). */
  mapping?: string;
  specHash?: string;
}

/** Who owns a live mapping according to its tags; null when it carries no esmctl:set tag. */
export function ownerOf(tags: Record<string, string> | undefined): Owner | null {
  const set = tags?.[TAG_SET];
  if (!set) return null;
  return { set, mapping: tags?.[TAG_MAPPING] || undefined, specHash: tags?.[TAG_SPEC_HASH] || undefined };
}
