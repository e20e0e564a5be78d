// The apply report for people: one line per action (status, symbol, address, uuid, duration), errors with their
// hint, skipped actions with the failure that caused them, warnings, and a closing line. Text and markdown.

import { cmp } from '../core/canonical-json.js';
import type { ActionKind, ActionResult, ActionStatus, ApplyReport } from '../core/types.js';
import { colors, formatDuration, mdCell, mdCode, pad, SYMBOL, toModel, type Colors } from './format.js';
import type { TextOptions } from './plan-text.js';

const STATUSES: ActionStatus[] = ['done', 'adopted', 'failed', 'skipped', 'cancelled'];
const KIND_ORDER: ActionKind[] = ['put-policy', 'delete', 'replace', 'update', 'adopt', 'create', 'delete-policy'];

function sorted(report: ApplyReport): ActionResult[] {
  return [...report.results].sort(
    (a, b) => cmp(a.address, b.address) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || cmp(a.id, b.id),
  );
}

export function countByStatus(report: ApplyReport): Record<ActionStatus, number> {
  const n = { done: 0, adopted: 0, failed: 0, skipped: 0, cancelled: 0 } as Record<ActionStatus, number>;
  for (const r of report.results) n[r.status]++;
  return n;
}

export function applySummaryLine(report: ApplyReport): string {
  const n = countByStatus(report);
  const counts = STATUSES.map((s) => `${n[s]} ${s}`).join(', ');
  if (report.results.length === 0) return 'Apply complete: nothing to do.';
  const verdict = report.ok ? 'Apply complete' : n.failed === 0 && n.cancelled > 0 ? 'Apply cancelled' : 'Apply failed';
  return `${verdict}: ${counts}.`;
}

function statusColor(c: Colors, s: ActionStatus, text: string): string {
  if (s === 'done' || s === 'adopted') return c.green(text);
  if (s === 'failed') return c.red(text);
  return c.yellow(text);
}

export function renderApplyReportText(input: ApplyReport, opts: TextOptions = {}): string {
  const report = toModel(input);
  const c = colors(opts.color);
  const out: string[] = [];
  const results = sorted(report);
  if (results.length > 0) {
    out.push('Apply results:');
    for (const r of results) {
      const id = r.uuid ? c.dim(`  uuid ${r.uuid}`) : '';
      out.push(`  ${statusColor(c, r.status, pad(r.status, 9))} ${pad(SYMBOL[r.kind], 3)} ${pad(r.kind, 13)} ${r.address}${id}  (${formatDuration(r.durationMs)})`);
      if (r.error) {
        out.push(`      ${c.red('error:')} ${r.error.source === 'aws' ? `[${r.error.code}] ` : ''}${r.error.message}`);
        if (r.error.hint) out.push(`      hint: ${r.error.hint}`);
      }
      if (r.skippedBecause) out.push(`      skipped because ${r.skippedBecause} failed`);
      for (const w of r.warnings) out.push(`      ${c.yellow('!')} ${w}`);
    }
    out.push('');
  }
  const line = applySummaryLine(report);
  out.push(report.ok ? c.green(c.bold(line)) : c.red(c.bold(line)));
  return out.join('\n') + '\n';
}

export function renderApplyReportMarkdown(input: ApplyReport): string {
  const report = toModel(input);
  const out = [`### esmctl apply`, '', `**${applySummaryLine(report)}**`, ''];
  const results = sorted(report);
  if (results.length > 0) {
    out.push('| Status | | Address | Action | UUID | Duration | Details |', '|---|---|---|---|---|---|---|');
    for (const r of results) {
      const details = [
        r.error ? `${r.error.source === 'aws' ? `[${r.error.code}] ` : ''}${r.error.message}${r.error.hint ? ` (hint: ${r.error.hint})` : ''}` : '',
        r.skippedBecause ? `skipped because ${r.skippedBecause} failed` : '',
        ...r.warnings,
      ].filter(Boolean);
      out.push(
        `| ${r.status} | ${mdCode(SYMBOL[r.kind])} | ${mdCode(r.address)} | ${r.kind} | ${r.uuid ? mdCode(r.uuid) : ''} | ${formatDuration(r.durationMs)} | ${mdCell(details.join('; '))} |`,
      );
    }
    out.push('');
  }
  out.push(`<sub>Started ${report.startedAt}, finished ${report.finishedAt}.</sub>`);
  return out.join('\n') + '\n';
}
