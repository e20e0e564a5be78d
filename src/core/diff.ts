// Field-level diff of two canonical MappingConfigs (deep-diff over the normalised forms): FieldChange[] with each
// change's impact from FIELD_RULES; sets compare as sets; an action's impact is its worst field's.

import deepDiff from 'deep-diff';
import { canonicalJson, cmp } from './canonical-json.js';
import { FIELD_NAMES, FIELD_RULES, topField, type FieldName } from './fields.js';
import type { FieldChange, Impact, MappingConfig } from './types.js';

const IMPACT_RANK: Record<Impact, number> = { none: 0, update: 1, replace: 2 };

/** The changes that turn `before` into `after`, ordered as FIELD_RULES lists the fields, then by path. */
export function diffConfigs(before: MappingConfig, after: MappingConfig): FieldChange[] {
  const raw = deepDiff.diff(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>) ?? [];
  const paths = new Map<string, Array<string | number>>();
  for (const d of raw) {
    let path = changePath((d.path ?? []) as Array<string | number>);
    // An object that changed shape (msk ↔ self-managed source, set ↔ unset) is reported whole.
    if (path.length > 1 && FIELD_RULES[path[0] as FieldName]?.shape === 'object' && !sameShape(valueAt(before, [path[0]]), valueAt(after, [path[0]]))) {
      path = [path[0]];
    }
    if (path.length > 0) paths.set(path.join('.'), path);
  }
  const out: FieldChange[] = [];
  for (const [key, path] of paths) {
    const field = path[0] as FieldName;
    const b = valueAt(before, path);
    const a = valueAt(after, path);
    if (sameValue(field, b, a)) continue;
    out.push({ path: key, before: b, after: a, impact: impactOf(field) });
  }
  const order = new Map(FIELD_NAMES.map((f, i) => [f as string, i]));
  return out.sort((x, y) => (order.get(topField(x.path)) ?? 99) - (order.get(topField(y.path)) ?? 99) || cmp(x.path, y.path));
}

/** The impact a change of this top-level field has. */
export function impactOf(field: FieldName): Impact {
  const rule = FIELD_RULES[field];
  if (!rule) return 'update';
  return rule.update === 'replace' ? 'replace' : 'update';
}

/** The worst impact among changes ('none' for no changes). */
export function worstImpact(changes: FieldChange[]): Impact {
  let worst: Impact = 'none';
  for (const c of changes) if (IMPACT_RANK[c.impact] > IMPACT_RANK[worst]) worst = c.impact;
  return worst;
}

export function isReplace(changes: FieldChange[]): boolean {
  return worstImpact(changes) === 'replace';
}

/** Where a raw deep-diff path is reported: arrays and scalar/set fields as a whole, maps per key, objects per member. */
function changePath(raw: Array<string | number>): Array<string | number> {
  if (raw.length === 0) return raw;
  const field = raw[0] as FieldName;
  const rule = FIELD_RULES[field];
  if (!rule) return [field];
  if (rule.shape === 'scalar' || rule.shape === 'set') return [field];
  if (rule.shape === 'map') return raw.slice(0, 2);
  const cut = raw.findIndex((p) => typeof p === 'number');
  return cut === -1 ? raw : raw.slice(0, cut);
}

function sameShape(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a).sort(cmp).join(',');
  const kb = Object.keys(b).sort(cmp).join(',');
  const kindA = (a as Record<string, unknown>).kind;
  const kindB = (b as Record<string, unknown>).kind;
  return ka === kb && kindA === kindB;
}

function valueAt(root: unknown, path: Array<string | number>): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return null;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v === undefined ? null : v;
}

function sameValue(field: FieldName, a: unknown, b: unknown): boolean {
  if (FIELD_RULES[field]?.shape === 'set' && Array.isArray(a) && Array.isArray(b)) {
    const key = (x: unknown) => canonicalJson(x);
    return canonicalJson(a.map(key).sort(cmp)) === canonicalJson(b.map(key).sort(cmp));
  }
  return canonicalJson(a) === canonicalJson(b);
}
