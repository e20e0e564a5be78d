// The machine views: `--json` of a plan (format version 1, documented by schemas/plan.schema.json) and of an apply
// report (schemas/apply-report.schema.json). Canonical JSON (sorted keys, 2-space indent): byte-stable.

import { canonicalJson } from '../core/canonical-json.js';
import type { ApplyReport, Plan } from '../core/types.js';

export const PLAN_FORMAT_VERSION = 1;
export const APPLY_REPORT_FORMAT_VERSION = 1;

/** The plan as JSON; `JSON.parse` of it is the same Plan (saved plans round-trip through it). */
export function renderPlanJson(plan: Plan): string {
  return canonicalJson(plan, 2) + '\n';
}

export function renderApplyReportJson(report: ApplyReport): string {
  return canonicalJson(report, 2) + '\n';
}
