// Policy documents as readable grant lines ("Allow a, b on arn"), and the added/removed lines between two
// documents, for the text and markdown plan views.

import { canonicalJson, cmp } from '../core/canonical-json.js';
import { normalizePolicy } from '../core/iam.js';
import type { PolicyDocument, PolicyStatement } from '../core/types.js';

export function statementLine(s: PolicyStatement): string {
  const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]).join(', ');
  const cond = s.Condition ? ` when ${canonicalJson(s.Condition)}` : '';
  return `${s.Effect} ${list(s.Action)} on ${list(s.Resource)}${cond}`;
}

export interface PolicyLineDiff {
  added: string[];
  removed: string[];
  kept: string[];
}

export function diffPolicyLines(before: PolicyDocument | null, after: PolicyDocument | null): PolicyLineDiff {
  const lines = (d: PolicyDocument | null) => (d ? normalizePolicy(d).Statement.map(statementLine) : []);
  const b = lines(before);
  const a = lines(after);
  return {
    added: a.filter((l) => !b.includes(l)).sort(cmp),
    removed: b.filter((l) => !a.includes(l)).sort(cmp),
    kept: a.filter((l) => b.includes(l)).sort(cmp),
  };
}
