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

function unmanagedLines(plan: Plan): string[] {
  const n = plan.unmanaged.length;
  if (n === 0) return [];
  const out = [`Unmanaged: ${n} other Kafka mapping${n === 1 ? '' : 's'} in ${plan.region} ${n === 1 ? 'is' : 'are'} not in these sets and will not be touched.`];
  for (const u of plan.unmanaged) {
    out.push(`  ${u.uuid}  ${u.functionArn}  topic ${JSON.stringify(u.topic)}${u.ownerSet ? `  (set ${u.ownerSet})` : ''}`);
  }
  out.push('');
  return out;
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
