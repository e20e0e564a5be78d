// Renders of plans, drift and apply reports against committed golden files (test/golden), plus the properties
// the views promise: the exact summary line, colour only when asked, byte stability, JSON round trip.

import { describe, expect, it } from 'vitest';
import {
  applySummaryLine,
  renderApplyReportJson,
  renderApplyReportMarkdown,
  renderApplyReportText,
  renderDriftMarkdown,
  renderDriftText,
  renderPlanJson,
  renderPlanMarkdown,
  renderPlanText,
} from '../../../src/render/index.js';
import { applyReport, emptyPlan, richPlan } from './fixtures.js';
import { buildPlan } from '../../../src/core/plan.js';
import { desired, live, observed, set } from '../core/builders.js';

const G = '../../golden/';
const ANSI = /\u001b\[/;

describe('plan views', () => {
  it('text', async () => {
    await expect(renderPlanText(await richPlan())).toMatchFileSnapshot(`${G}plan.txt`);
  });
  it('text with colour', async () => {
    const text = renderPlanText(await richPlan(), { color: true });
    expect(text).toMatch(ANSI);
    await expect(text).toMatchFileSnapshot(`${G}plan.color.txt`);
  });
  it('markdown', async () => {
    await expect(renderPlanMarkdown(await richPlan())).toMatchFileSnapshot(`${G}plan.md`);
  });
  it('json', async () => {
    await expect(renderPlanJson(await richPlan())).toMatchFileSnapshot(`${G}plan.json`);
  });
  it('no changes', async () => {
    const plan = await emptyPlan();
    await expect(renderPlanText(plan)).toMatchFileSnapshot(`${G}plan-no-changes.txt`);
    await expect(renderPlanMarkdown(plan)).toMatchFileSnapshot(`${G}plan-no-changes.md`);
  });
  it('drift text and markdown', async () => {
    const plan = await richPlan();
    await expect(renderDriftText(plan)).toMatchFileSnapshot(`${G}drift.txt`);
    await expect(renderDriftMarkdown(plan)).toMatchFileSnapshot(`${G}drift.md`);
    await expect(renderDriftText(await emptyPlan())).toMatchFileSnapshot(`${G}drift-none.txt`);
  });

  it('ends with the exact summary line and shows every kind with its symbol', async () => {
    const text = renderPlanText(await richPlan());
    expect(text).toContain('\nPlan: 1 to create, 1 to update, 1 to replace, 1 to delete, 1 to adopt.\n');
    for (const head of ['  + create payments/refund', '  ~ update payments/settle', '  -/+ replace payments/audit', '  - delete payments/old', '  <= adopt payments/legacy']) {
      expect(text).toContain(head);
    }
    expect(text).toMatch(/~ topic += "audit" → "audit-v2"  # forces replacement/);
    expect(text).toContain('~ batchSize = 500 → 100');
    expect(text).toContain('drift: changed outside esmctl');
    expect(text).not.toMatch(ANSI);
  });

  it('is byte-stable and renders only what the JSON model holds', async () => {
    const plan = await richPlan();
    const fromJson = JSON.parse(renderPlanJson(plan));
    expect(fromJson).toEqual(plan);
    expect(renderPlanText(fromJson)).toBe(renderPlanText(plan));
    expect(renderPlanMarkdown(fromJson)).toBe(renderPlanMarkdown(plan));
    expect(renderPlanJson(fromJson)).toBe(renderPlanJson(plan));
  });
});

describe('unmanaged mappings', () => {
  it('lists up to 20 unowned mappings one by one and counts the rest; other sets are counted per set', () => {
    const unowned = Array.from({ length: 25 }, (_, i) => live({ owned: false, config: { topic: `t-${String(i).padStart(2, '0')}` } }));
    const billing = live({ applied: desired({ set: 'billing', name: 'b', topic: 'b' }) });
    const plan = buildPlan([set([desired({ permissions: 'none', topic: 'mine' })])], observed({ mappings: [...unowned, billing] }));
    expect(plan.unmanaged).toHaveLength(26);
    const text = renderPlanText(plan);
    expect(text).toContain('Unmanaged: 25 Kafka mappings in us-east-1 belong to no esmctl set and will not be touched:');
    expect(text.match(/topic "t-\d\d"/g)).toHaveLength(20);
    expect(text).toContain('… and 5 more (all are listed in --json)');
    expect(text).toContain('Other sets: 1 mapping owned by other esmctl sets (billing: 1) will not be touched.');
    const md = renderPlanMarkdown(plan);
    expect(md).toContain('| … and 5 more | | |');
    expect(md).toContain('(`billing`: 1)');
  });
});

describe('markdown size limit (GitHub comments hold 65,536 characters)', () => {
  const big = () => {
    const ds = Array.from({ length: 400 }, (_, i) => desired({ name: `m-${String(i).padStart(3, '0')}`, topic: `topic-${i}`, permissions: 'none' }));
    return buildPlan([set(ds)], observed());
  };

  it('drops details, then rows, to stay under the limit, and says so', () => {
    const plan = big();
    const md = renderPlanMarkdown(plan, { maxLength: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toContain('This plan is too large for one comment');
    expect(md).toContain('`esmctl plan --json`');
    expect(md).toContain('Plan: 400 to create, 0 to update, 0 to replace, 0 to delete, 0 to adopt.');
    expect(md).not.toContain('<details><summary><code>+</code>');
    expect(renderPlanMarkdown(plan).length).toBeLessThanOrEqual(60_000);
    const drift = renderDriftMarkdown(plan, { maxLength: 10_000 });
    expect(drift.length).toBeLessThanOrEqual(10_000);
    expect(drift).toContain('not listed');
  });

  it('keeps the full rendering when it fits', async () => {
    const md = renderPlanMarkdown(await richPlan(), { maxLength: 1_000_000 });
    expect(md).toBe(renderPlanMarkdown(await richPlan()));
    expect(md).not.toContain('too large');
  });
});

describe('apply report views', () => {
  it('text, markdown and json', async () => {
    const r = applyReport();
    await expect(renderApplyReportText(r)).toMatchFileSnapshot(`${G}apply-report.txt`);
    await expect(renderApplyReportMarkdown(r)).toMatchFileSnapshot(`${G}apply-report.md`);
    await expect(renderApplyReportJson(r)).toMatchFileSnapshot(`${G}apply-report.json`);
  });

  it('names the failure, its hint, and what was skipped because of it', () => {
    const text = renderApplyReportText(applyReport());
    expect(text).toContain('error: [aws.access-denied] AccessDenied');
    expect(text).toContain('hint: Grant iam:PutRolePolicy');
    expect(text).toContain('skipped because policy:settle-role:esmctl-payments failed');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Apply failed: 2 done, 1 adopted, 1 failed, 1 skipped, 0 cancelled.');
  });

  it('says cancelled when the run was stopped without failures, and complete when all went well', () => {
    const base = applyReport();
    const ok = { ...base, ok: true, results: base.results.filter((r) => r.status === 'done' || r.status === 'adopted') };
    expect(applySummaryLine(ok)).toBe('Apply complete: 2 done, 1 adopted, 0 failed, 0 skipped, 0 cancelled.');
    const stopped = { ...ok, ok: false, results: [...ok.results, { ...base.results[0], status: 'cancelled' as const, skippedBecause: undefined }] };
    expect(applySummaryLine(stopped)).toBe('Apply cancelled: 2 done, 1 adopted, 0 failed, 0 skipped, 1 cancelled.');
    expect(applySummaryLine({ ...ok, results: [] })).toBe('Apply complete: nothing to do.');
  });
});
