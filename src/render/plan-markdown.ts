// The plan as markdown for a pull-request comment (summary, action table, per-action field tables in <details>,
// warnings, unmanaged mappings) and the drift-focused variant that `esmctl drift --markdown` posts.

import type { Action, FieldChange, Plan } from '../core/types.js';
import { driftActions, splitUnmanaged, UNMANAGED_LISTED } from './plan-text.js';
import { diffPolicyLines } from './policy-view.js';
import { formatValue, iamSummaryLine, mdCell, mdCode, summaryLine, symbolOf, titleOf, toModel } from './format.js';

export interface MarkdownOptions {
  /**
   * Longest output wanted (GitHub comments hold 65,536 characters). Over it, per-action details are left out,
   * then table rows beyond what fits; a note says so and points to --json. Default 60,000.
   */
  maxLength?: number;
}

export const MARKDOWN_MAX_LENGTH = 60_000;

export function renderPlanMarkdown(input: Plan, opts: MarkdownOptions = {}): string {
  const plan = toModel(input);
  const max = opts.maxLength ?? MARKDOWN_MAX_LENGTH;
  const full = planMarkdown(plan, plan.actions.length, true);
  if (full.length <= max) return full;
  let rows = plan.actions.length;
  let text = planMarkdown(plan, rows, false);
  while (text.length > max && rows > 0) {
    rows = Math.max(0, Math.floor(rows * Math.min(0.9, max / text.length)));
    text = planMarkdown(plan, rows, false);
  }
  return text;
}

function planMarkdown(plan: Plan, rows: number, details: boolean): string {
  const out: string[] = [`### esmctl plan: ${plan.sets.map(mdCode).join(', ') || '(no sets)'} in ${mdCode(plan.region)}`, ''];
  if (plan.actions.length === 0) {
    out.push('**No changes.** The live mappings and IAM policies match the spec.', '');
  } else {
    out.push(`**${summaryLine(plan)}**`);
    const iam = iamSummaryLine(plan);
    if (iam) out.push('', iam);
    out.push('', '| | Address | Action | Reason |', '|---|---|---|---|');
    for (const a of plan.actions.slice(0, rows)) {
      out.push(`| ${mdCode(symbolOf(a))} | ${mdCode(a.address)} | ${a.kind}${isDrift(a) ? ' (drift)' : ''} | ${mdCell(a.reason)} |`);
    }
    out.push('');
    if (details) for (const a of plan.actions) out.push(...detailsBlock(a));
    else out.push(truncationNote(plan.actions.length - rows), '');
  }
  out.push(...warningsMd(plan), ...unmanagedMd(plan));
  out.push(`<sub>Read at ${plan.createdAt}; spec hash ${mdCode(plan.specHash.slice(0, 12))}.</sub>`);
  return out.join('\n') + '\n';
}

function truncationNote(hiddenRows: number): string {
  const rows = hiddenRows > 0 ? `${hiddenRows} more action${hiddenRows === 1 ? ' is' : 's are'} not listed and ` : '';
  return `> [!NOTE]\n> This plan is too large for one comment: ${rows}field-level details are left out. Run ${mdCode('esmctl plan --json')} for all of it.`;
}

function isDrift(a: Action): boolean {
  return (a.kind === 'update' || a.kind === 'replace') && a.drift;
}

function changesTable(changes: FieldChange[]): string[] {
  if (changes.length === 0) return [];
  const rows = changes.map(
    (ch) => `| ${mdCode(ch.path)} | ${mdCell(formatValue(ch.before, ch.path))} | ${mdCell(formatValue(ch.after, ch.path))} | ${ch.impact === 'replace' ? '**forces replacement**' : ''} |`,
  );
  return ['| Field | Before | After | |', '|---|---|---|---|', ...rows, ''];
}

function detailsBlock(a: Action): string[] {
  const body: string[] = [];
  switch (a.kind) {
    case 'create':
      body.push(`Function ${mdCode(a.desired.functionArn)}, topic ${mdCode(a.desired.topic)}, source ${mdCode(formatValue(a.desired.source, 'source'))}.`, '');
      break;
    case 'update':
    case 'adopt':
      body.push(...changesTable(a.changes));
      break;
    case 'replace':
      body.push(...changesTable(a.changes), `> [!WARNING]`, `> ${a.consequence}`, '');
      break;
    case 'delete':
      body.push(`Deletes mapping ${mdCode(a.uuid)} (function ${mdCode(a.before.functionArn)}, topic ${mdCode(a.before.topic)}).`, '');
      break;
    case 'put-policy':
    case 'delete-policy': {
      const d = diffPolicyLines(a.before, a.kind === 'put-policy' ? a.after : null);
      body.push('```diff', ...d.removed.map((l) => `- ${l}`), ...d.added.map((l) => `+ ${l}`), '```', '');
      break;
    }
  }
  return [`<details><summary><code>${escapeHtml(symbolOf(a))}</code> ${escapeHtml(titleOf(a))}</summary>`, '', ...body, '</details>', ''];
}

function warningsMd(plan: Plan): string[] {
  if (plan.warnings.length === 0) return [];
  return ['#### Warnings', '', ...plan.warnings.map((w) => `- ${w.address ? `${mdCode(w.address)}: ` : ''}${w.message} (${mdCode(w.code)})`), ''];
}

function unmanagedMd(plan: Plan): string[] {
  const { unowned, otherSets } = splitUnmanaged(plan);
  const out: string[] = [];
  if (unowned.length > 0) {
    const n = unowned.length;
    out.push(
      `<details><summary>${n} unmanaged Kafka mapping${n === 1 ? '' : 's'} (no esmctl set; not touched)</summary>`,
      '',
      '| UUID | Function | Topic |',
      '|---|---|---|',
      ...unowned.slice(0, UNMANAGED_LISTED).map((u) => `| ${mdCode(u.uuid)} | ${mdCode(u.functionArn)} | ${mdCode(u.topic)} |`),
      ...(n > UNMANAGED_LISTED ? [`| … and ${n - UNMANAGED_LISTED} more | | |`] : []),
      '',
      '</details>',
      '',
    );
  }
  if (otherSets.length > 0) {
    out.push(`Not touched: mappings owned by other esmctl sets (${otherSets.map(([s, c]) => `${mdCode(s)}: ${c}`).join(', ')}).`, '');
  }
  return out;
}

function escapeHtml(t: string): string {
  return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The drift report for a PR or CI comment: drifted mappings with live → spec fields, then pending changes. */
export function renderDriftMarkdown(input: Plan, opts: MarkdownOptions = {}): string {
  const plan = toModel(input);
  const max = opts.maxLength ?? MARKDOWN_MAX_LENGTH;
  const drift = driftActions(plan);
  const pending = plan.actions.filter((a) => !drift.includes(a));
  const full = driftMarkdown(plan, drift, pending, drift.length, pending.length);
  if (full.length <= max) return full;
  let keepDrift = drift.length;
  let keepPending = pending.length;
  let text = full;
  while (text.length > max && keepDrift + keepPending > 0) {
    const ratio = Math.min(0.9, max / text.length);
    keepPending = Math.floor(keepPending * ratio);
    if (keepPending === 0) keepDrift = Math.floor(keepDrift * ratio);
    text = driftMarkdown(plan, drift, pending, keepDrift, keepPending);
  }
  return text;
}

/** The drift report for a PR or CI comment: drifted mappings with live → spec fields, then pending changes. */
function driftMarkdown(plan: Plan, drift: Action[], pending: Action[], keepDrift: number, keepPending: number): string {
  const out: string[] = [`### esmctl drift: ${plan.sets.map(mdCode).join(', ') || '(no sets)'} in ${mdCode(plan.region)}`, ''];
  if (drift.length === 0 && pending.length === 0) {
    out.push('**No drift.** AWS matches the spec.', '');
  } else {
    out.push(`**${drift.length} drifted, ${pending.length} pending.** ${summaryLine(plan)}`, '');
  }
  if (drift.length > 0) {
    out.push('#### Changed outside esmctl', '');
    for (const a of drift.slice(0, keepDrift)) {
      if (a.kind !== 'update' && a.kind !== 'replace') continue;
      out.push(`**${mdCode(a.address)}** (uuid ${mdCode(a.uuid)}): live → spec`, '', ...changesTable(a.changes));
    }
  }
  if (pending.length > 0 && keepPending > 0) {
    out.push('#### Pending spec changes', '', '| | Address | Action | Reason |', '|---|---|---|---|');
    for (const a of pending.slice(0, keepPending)) out.push(`| ${mdCode(symbolOf(a))} | ${mdCode(a.address)} | ${a.kind} | ${mdCell(a.reason)} |`);
    out.push('');
  }
  const hidden = drift.length - keepDrift + (pending.length - keepPending);
  if (hidden > 0) {
    out.push(`> [!NOTE]\n> This report is too large for one comment: ${hidden} more mapping${hidden === 1 ? ' is' : 's are'} not listed. Run ${mdCode('esmctl drift --json')} for all of it.`, '');
  }
  out.push(...warningsMd(plan));
  out.push(`<sub>Read at ${plan.createdAt}. Run ${mdCode('esmctl apply')} to bring AWS back to the spec.</sub>`);
  return out.join('\n') + '\n';
}
