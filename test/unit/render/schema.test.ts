// schemas/plan.schema.json and apply-report.schema.json describe exactly what renderPlanJson and
// renderApplyReportJson print: ajv validates real output and rejects a broken one.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { renderApplyReportJson, renderPlanJson } from '../../../src/render/index.js';
import { applyReport, emptyPlan, richPlan } from './fixtures.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const load = (name: string) => JSON.parse(readFileSync(resolve(ROOT, 'schemas', name), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: true });
const validatePlan = ajv.compile(load('plan.schema.json'));
const validateReport = ajv.compile(load('apply-report.schema.json'));

describe('JSON schemas', () => {
  it('plan.schema.json validates renderPlanJson output', async () => {
    for (const plan of [await richPlan(), await emptyPlan()]) {
      const ok = validatePlan(JSON.parse(renderPlanJson(plan)));
      expect(validatePlan.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('plan.schema.json rejects an unknown action kind and a missing summary', async () => {
    const doc = JSON.parse(renderPlanJson(await richPlan()));
    doc.actions[0].kind = 'rename';
    expect(validatePlan(doc)).toBe(false);
    const doc2 = JSON.parse(renderPlanJson(await richPlan()));
    delete doc2.summary;
    expect(validatePlan(doc2)).toBe(false);
  });

  it('apply-report.schema.json validates renderApplyReportJson output', () => {
    const ok = validateReport(JSON.parse(renderApplyReportJson(applyReport())));
    expect(validateReport.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(validateReport({ ...applyReport(), results: [{ id: 'x' }] })).toBe(false);
  });
});
