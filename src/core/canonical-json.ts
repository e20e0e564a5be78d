// Canonical JSON: object keys sorted, undefined dropped, so equal values always print the same bytes.
// Hashes, filter patterns, policy comparison and the JSON renderer all go through it.

/** A deep copy with object keys sorted and undefined values removed (arrays keep their order). */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonicalize(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonicalize(v);
    }
    return out;
  }
  return value;
}

/** JSON text with sorted keys; `indent` as in JSON.stringify. */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(canonicalize(value), null, indent);
}

/** Deep equality through canonical JSON (key order never matters; array order does). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Code-unit string order (locale-free, so sorting is the same on every machine). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
