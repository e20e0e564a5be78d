// driftSpecs: a plan read for CI. `differs` is true when anything live differs from the spec (exit 2); actions
// are split into drift (changed outside esmctl, spec unchanged) and pending spec changes.

import type { Action, Plan } from '../core/types.js';
import { planSpecs } from './plan.js';
import type { PlanInput, ProblemsOutcome, ServiceDeps } from './types.js';

export interface DriftOutcome {
  kind: 'drift';
  plan: Plan;
  /** Something differs between the spec and AWS (drift, pending change, missing or extra mapping, IAM). */
  differs: boolean;
  /** Addresses whose live configuration was changed outside esmctl. */
  drifted: string[];
  /** Addresses with a spec change not yet applied (create, delete, adopt, IAM, or update/replace without drift). */
  pending: string[];
}

export async function driftSpecs(input: PlanInput, deps: ServiceDeps): Promise<ProblemsOutcome | DriftOutcome> {
  const out = await planSpecs(input, deps);
  if (out.kind === 'problems') return out;
  return summarizeDrift(out.plan);
}

export function summarizeDrift(plan: Plan): DriftOutcome {
  const drifted = plan.actions.filter(isDrift).map((a) => a.address);
  const pending = plan.actions.filter((a) => !isDrift(a)).map((a) => a.address);
  return { kind: 'drift', plan, differs: plan.actions.length > 0, drifted, pending };
}

export function isDrift(a: Action): boolean {
  return (a.kind === 'update' || a.kind === 'replace') && a.drift;
}
