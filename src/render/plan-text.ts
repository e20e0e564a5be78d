// The human plan in the style people know from Terraform (symbols, field-level old → new, "# forces replacement",
// reasons, warnings, unmanaged mappings, the summary line) and the drift-focused variant for `esmctl drift`.

import { assertNever } from '../core/errors.js';
import { FIELD_NAMES, FIELD_RULES, type FieldName, type OmitRule } from '../core/fields.js';
import type { Action, FieldChange, MappingConfig, Plan } from '../core/types.js';
import { diffPolicyLines } from './policy-view.js';
import {
  colors,
  formatChange,
  formatValue,
  iamSummaryLine,
  paint,
  summaryLine,
  symbolOf,
  titleOf,
  toModel,
  type Colors,
} from './format.js';

export interface TextOptions {
  /** Colour (the CLI decides: TTY and no NO_COLOR). */
  color?: boolean;
}

const I = '      ';

export function renderPlanText(input: Plan, opts: TextOptions = {}): string {
  const plan = toModel(input);
  const c = colors(opts.color);
  const out: string[] = [];
  out.push(`esmctl plan: ${plan.sets.length > 0 ? plan.sets.join(', ') : '(no sets)'} in ${plan.region} (AWS read at ${plan.createdAt})`);
  out.push('');
  if (plan.actions.length === 0) {
    out.push(c.green('No changes. The live mappings and IAM policies match the spec.'));
  } else {
    out.push('esmctl will perform the following actions:');
    out.push('');
    for (const a of plan.actions) out.push(...actionLines(a, c), '');
  }
  out.push(...warningLines(plan, c));
  out.push(...unmanagedLines(plan));
  if (plan.actions.length > 0) {
    out.push(c.bold(summaryLine(plan)));
    const iam = iamSummaryLine(plan);
    if (iam) out.push(iam);
  }
  return out.join('\n') + '\n';
}

function actionLines(a: Action, c: Colors): string[] {
  const head = `  ${paint(c, a, symbolOf(a))} ${c.bold(a.kind)} ${a.address}${'uuid' in a ? c.dim(`  (uuid ${a.uuid})`) : ''}`;
  const out = [c.dim(`  # ${titleOf(a)}`), head, `${I}reason: ${a.reason}`];
  switch (a.kind) {
    case 'create':
      out.push(...configLines(a.desired, c));
      break;
    case 'update':
    case 'adopt':
      out.push(...changeLines(a.changes, c));
      break;
    case 'replace':
      out.push(...changeLines(a.changes, c));
      out.push(`${I}order: delete, wait until it is gone, then create`);
      out.push(`${I}${c.yellow('consequence:')} ${a.consequence}`);
      break;
    case 'delete':
      out.push(`${I}${c.red('-')} function ${a.before.functionArn}, topic ${JSON.stringify(a.before.topic)}, source ${formatValue(a.before.source, 'source')}`);
      break;
    case 'put-policy': {
      const d = diffPolicyLines(a.before, a.after);
      for (const l of d.removed) out.push(`${I}${c.red('-')} ${l}`);
      for (const l of d.added) out.push(`${I}${c.green('+')} ${l}`);
      if (d.kept.length > 0) out.push(c.dim(`${I}  (${d.kept.length} unchanged statement${d.kept.length === 1 ? '' : 's'})`));
      break;
    }
    case 'delete-policy':
      for (const l of diffPolicyLines(a.before, null).removed) out.push(`${I}${c.red('-')} ${l}`);
      break;
    default:
      assertNever(a, 'action');
  }
  if (a.dependsOn.length > 0) out.push(c.dim(`${I}after: ${a.dependsOn.join(', ')}`));
  return out;
}

export function changeLines(changes: FieldChange[], c: Colors): string[] {
  const width = Math.max(0, ...changes.map((ch) => ch.path.length));
  return changes.map((ch) => {
    const forces = ch.impact === 'replace' ? c.red('  # forces replacement') : '';
    return `${I}${c.yellow('~')} ${ch.path.padEnd(width)} = ${formatChange(ch)}${forces}`;
  });
}

/** A new mapping's settings: required ones and everything that differs from AWS's default. */
function configLines(cfg: MappingConfig, c: Colors): string[] {
  const shown = FIELD_NAMES.filter((f) => {
    const omit = FIELD_RULES[f].omit as OmitRule;
    if (typeof omit !== 'object') return cfg[f] !== null;
    return JSON.stringify(cfg[f]) !== JSON.stringify(omit.default);
  });
  const width = Math.max(...shown.map((f) => f.length));
  const lines = shown.map((f: FieldName) => `${I}${c.green('+')} ${f.padEnd(width)} = ${formatValue(cfg[f], f)}`);
  lines.push(c.dim(`${I}  (other settings: AWS defaults)`));
  return lines;
}

function warningLines(plan: Plan, c: Colors): string[] {
  if (plan.warnings.length === 0) return [];
  const out = [c.yellow('Warnings:')];
  for (const w of plan.warnings) out.push(`  ${c.yellow('!')} ${w.address ? `${w.address}: ` : ''}${w.message} [${w.code}]`);
  out.push('');
  return out;
}

/** How many unowned mappings the text and markdown views list one by one (all of them are in --json). */
export const UNMANAGED_LISTED = 20;

function unmanagedLines(plan: Plan): string[] {
  const { unowned, otherSets } = splitUnmanaged(plan);
  if (unowned.length === 0 && otherSets.length === 0) return [];
  const out: string[] = [];
  if (unowned.length > 0) {
    out.push(`Unmanaged: ${unowned.length} Kafka mapping${unowned.length === 1 ? '' : 's'} in ${plan.region} belong${unowned.length === 1 ? 's' : ''} to no esmctl set and will not be touched:`);
    for (const u of unowned.slice(0, UNMANAGED_LISTED)) out.push(`  ${u.uuid}  ${u.functionArn}  topic ${JSON.stringify(u.topic)}`);
    if (unowned.length > UNMANAGED_LISTED) out.push(`  … and ${unowned.length - UNMANAGED_LISTED} more (all are listed in --json)`);
  }
  if (otherSets.length > 0) {
    const total = otherSets.reduce((n, [, c]) => n + c, 0);
    out.push(`Other sets: ${total} mapping${total === 1 ? '' : 's'} owned by other esmctl sets (${otherSets.map(([s, c]) => `${s}: ${c}`).join(', ')}) will not be touched.`);
  }
  out.push('');
  return out;
}

/** Unowned mappings, and counts of mappings other esmctl sets own (by set name). */
export function splitUnmanaged(plan: Plan): { unowned: Plan['unmanaged']; otherSets: Array<[string, number]> } {
  const unowned = plan.unmanaged.filter((u) => !u.ownerSet);
  const counts = new Map<string, number>();
  for (const u of plan.unmanaged) if (u.ownerSet) counts.set(u.ownerSet, (counts.get(u.ownerSet) ?? 0) + 1);
  return { unowned, otherSets: [...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) };
}

/** Actions that differ because of edits made outside esmctl. */
export function driftActions(plan: Plan): Action[] {
  return plan.actions.filter((a) => (a.kind === 'update' || a.kind === 'replace') && a.drift);
}

/** The drift report: drift first (live → spec), then pending spec changes, then a one-line verdict. */
export function renderDriftText(input: Plan, opts: TextOptions = {}): string {
  const plan = toModel(input);
  const c = colors(opts.color);
  const drift = driftActions(plan);
  const pending = plan.actions.filter((a) => !drift.includes(a));
  const out: string[] = [`esmctl drift: ${plan.sets.join(', ') || '(no sets)'} in ${plan.region} (AWS read at ${plan.createdAt})`, ''];
  if (drift.length > 0) {
    out.push(c.red(`Drift: ${drift.length} mapping${drift.length === 1 ? ' was' : 's were'} changed outside esmctl (live → spec):`));
    for (const a of drift) {
      if (a.kind !== 'update' && a.kind !== 'replace') continue;
      out.push(`  ${paint(c, a, symbolOf(a))} ${a.address}${c.dim(`  (uuid ${a.uuid})`)}`);
      out.push(...changeLines(a.changes, c));
    }
    out.push('');
  }
  if (pending.length > 0) {
    out.push(c.yellow(`Pending: ${pending.length} change${pending.length === 1 ? '' : 's'} in the spec not yet applied:`));
    for (const a of pending) out.push(`  ${paint(c, a, symbolOf(a))} ${a.kind} ${a.address}: ${a.reason}`);
    out.push('');
  }
  out.push(...warningLines(plan, c));
  if (drift.length === 0 && pending.length === 0) out.push(c.green('No drift: AWS matches the spec.'));
  else out.push(c.bold(`Drift: ${drift.length} drifted, ${pending.length} pending. ${summaryLine(plan)}`));
  return out.join('\n') + '\n';
}
