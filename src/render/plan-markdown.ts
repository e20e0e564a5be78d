// The plan as markdown for a pull-request comment (summary, action table, per-action field tables in <details>,
// warnings, unmanaged mappings) and the drift-focused variant that `esmctl drift --markdown` posts.

import type { Action, FieldChange, Plan } from '../core/types.js';
import { driftActions, splitUnmanaged, UNMANAGED_LISTED } from './plan-text.js';
import { diffPolicyLines } from './policy-view.js';
import { formatValue, iamSummaryLine, mdCell, mdCode, summaryLine, symbolOf, titleOf, toModel } from './format.js';

export function renderPlanMarkdown(input: Plan): string {
  const plan = toModel(input);
  const out: string[] = [`### esmctl plan: ${plan.sets.map(mdCode).join(', ') || '(no sets)'} in ${mdCode(plan.region)}`, ''];
  if (plan.actions.length === 0) {
    out.push('**No changes.** The live mappings and IAM policies match the spec.', '');
  } else {
    out.push(`**${summaryLine(plan)}**`);
    const iam = iamSummaryLine(plan);
    if (iam) out.push('', iam);
    out.push('', '| | Address | Action | Reason |', '|---|---|---|---|');
    for (const a of plan.actions) {
      out.push(`| ${mdCode(symbolOf(a))} | ${mdCode(a.address)} | ${a.kind}${isDrift(a) ? ' (drift)' : ''} | ${mdCell(a.reason)} |`);
    }
    out.push('');
    for (const a of plan.actions) out.push(...detailsBlock(a));
  }
  out.push(...warningsMd(plan), ...unmanagedMd(plan));
  out.push(`<sub>Read at ${plan.createdAt}; spec hash ${mdCode(plan.specHash.slice(0, 12))}.</sub>`);
  return out.join('\n') + '\n';
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
export function renderDriftMarkdown(input: Plan): string {
  const plan = toModel(input);
  const drift = driftActions(plan);
  const pending = plan.actions.filter((a) => !drift.includes(a));
  const out: string[] = [`### esmctl drift: ${plan.sets.map(mdCode).join(', ') || '(no sets)'} in ${mdCode(plan.region)}`, ''];
  if (drift.length === 0 && pending.length === 0) {
    out.push('**No drift.** AWS matches the spec.', '');
  } else {
    out.push(`**${drift.length} drifted, ${pending.length} pending.** ${summaryLine(plan)}`, '');
  }
  if (drift.length > 0) {
    out.push('#### Changed outside esmctl', '');
    for (const a of drift) {
      if (a.kind !== 'update' && a.kind !== 'replace') continue;
      out.push(`**${mdCode(a.address)}** (uuid ${mdCode(a.uuid)}): live → spec`, '', ...changesTable(a.changes));
    }
  }
  if (pending.length > 0) {
    out.push('#### Pending spec changes', '', '| | Address | Action | Reason |', '|---|---|---|---|');
    for (const a of pending) out.push(`| ${mdCode(symbolOf(a))} | ${mdCode(a.address)} | ${a.kind} | ${mdCell(a.reason)} |`);
    out.push('');
  }
  out.push(...warningsMd(plan));
  out.push(`<sub>Read at ${plan.createdAt}. Run ${mdCode('esmctl apply')} to bring AWS back to the spec.</sub>`);
  return out.join('\n') + '\n';
}
