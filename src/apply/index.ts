// The public face of src/apply: the executor (applyPlan) and the stale-plan check (checkPlanFresh).
// Both work only through the injected AwsPorts and report through the IoHost; nothing here prints.

export { applyPlan, validateActionGraph } from './apply-plan.js';
export type { ApplyOptions } from './apply-plan.js';
export { checkPlanFresh } from './fresh.js';
export type { FreshnessResult } from './fresh.js';
export { retryKindOf, withRetry, backoffDelay, DEFAULT_RETRY_BUDGET_MS } from './retry.js';
export type { RetryKind } from './retry.js';
