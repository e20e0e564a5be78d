// The service layer's public surface, called by both front-ends (CLI and MCP): plan, apply, saved plans, drift,
// export and list. Each takes (input, deps: ServiceDeps) and returns data; nothing here prints.

export type {
  ApplyInput,
  ApplyOptionsInput,
  ApplyOutcome,
  PlanInput,
  PlanOptionsInput,
  PlannedOutcome,
  PlanOutcome,
  ProblemsOutcome,
  ServiceDeps,
  SpecFileRecord,
  SpecInput,
} from './types.js';
export { planSpecs, planWithPorts, planSummaryLine, hasChanges } from './plan.js';
export { applySpecs, applySavedPlan, CONFIRM_QUESTION, type ApplySavedInput } from './apply.js';
export { driftSpecs, summarizeDrift, isDrift, type DriftOutcome } from './drift.js';
export { exportMappings, desiredFromConfig, type ExportInput, type ExportOutcome } from './export.js';
export { listMappings, matchesFunction, matchesSource, type ListInput, type ListOutcome, type ListedMapping } from './list.js';
export {
  SAVED_PLAN_FORMAT,
  SAVED_PLAN_VERSION,
  isSavedPlanText,
  parseSavedPlan,
  readSavedPlan,
  toSavedPlan,
  writeSavedPlan,
  type SavedPlan,
} from './saved-plan.js';
export { loadSpec, specRegion, INLINE_SPEC_FILE } from './spec-input.js';
