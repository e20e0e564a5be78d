// applySpecs (plan, confirm through the host, apply) and applySavedPlan (re-load the spec, refuse a stale plan,
// apply exactly the saved actions). Both return data: the plan, and the report or why nothing was changed.

import { readFile } from 'node:fs/promises';
import { userError } from '../core/errors.js';
import { event } from '../core/events.js';
import type { AwsPorts } from '../core/ports.js';
import type { Plan } from '../core/types.js';
import { planWithPorts, planSummaryLine } from './plan.js';
import type { SavedPlan } from './saved-plan.js';
import { loadSpec, sha256, specRegion } from './spec-input.js';
import type { ApplyInput, ApplyOptionsInput, ApplyOutcome, ServiceDeps } from './types.js';

/** The question every host asks before a change (Terraform's wording). */
export const CONFIRM_QUESTION = "Do you want to perform these actions? Only 'yes' will be accepted";

export async function applySpecs(input: ApplyInput, deps: ServiceDeps): Promise<ApplyOutcome> {
  const loaded = await loadSpec(input.spec);
  if (loaded.problems.length > 0) return { kind: 'problems', problems: loaded.problems };
  const ports = await deps.ports(specRegion(loaded.sets));
  const plan = await planWithPorts(loaded.sets, ports, deps.host, input);
  if (plan.actions.length === 0) return { kind: 'no-changes', plan };
  if (!input.autoApprove) {
    const yes = await deps.host.confirm(CONFIRM_QUESTION, { summary: planSummaryLine(plan), region: plan.region, actions: plan.actions.length });
    if (!yes) return { kind: 'declined', plan };
  }
  return runApply(plan, ports, deps, input);
}

export interface ApplySavedInput extends ApplyOptionsInput {
  saved: SavedPlan;
}

/**
 * Applies a saved plan after checking it is still fresh: the spec (re-loaded from the same paths, or the saved
 * inline text) must hash the same, and every live object the plan read must be unchanged. Otherwise `stale`.
 */
export async function applySavedPlan(input: ApplySavedInput, deps: ServiceDeps): Promise<ApplyOutcome> {
  const { saved } = input;
  const plan = saved.plan;
  const fileChanges = await changedSpecFiles(saved);
  if (fileChanges.length > 0) return { kind: 'stale', plan, changes: fileChanges };
  const loaded = await loadSpec(saved.spec);
  if (loaded.problems.length > 0) return { kind: 'problems', problems: loaded.problems };
  const region = specRegion(loaded.sets) ?? plan.region;
  const ports = await deps.ports(region);
  if (ports.region !== plan.region) {
    throw userError(
      'plan_file.region',
      `the saved plan is for region ${plan.region}, but esmctl is set to ${ports.region}`,
      `Run with --region ${plan.region} (or plan again for ${ports.region}).`,
    );
  }
  deps.host.emit(event('read.start', 'Checking the saved plan against the spec and AWS…', { region: ports.region }));
  const { checkPlanFresh } = await import('../apply/index.js');
  const fresh = await checkPlanFresh(plan, loaded.sets, ports);
  if (!fresh.fresh) return { kind: 'stale', plan, changes: fresh.changes.length ? fresh.changes : ['the spec changed'] };
  deps.host.emit(event('plan.built', planSummaryLine(plan), { plan, saved: true }));
  if (plan.actions.length === 0) return { kind: 'no-changes', plan };
  return runApply(plan, ports, deps, input);
}

async function runApply(plan: Plan, ports: AwsPorts, deps: ServiceDeps, options: ApplyOptionsInput): Promise<ApplyOutcome> {
  const { applyPlan } = await import('../apply/index.js');
  const report = await applyPlan(plan, ports, deps.host, {
    parallelism: options.parallelism,
    createTimeoutMs: options.createTimeoutMs,
    deleteTimeoutMs: options.deleteTimeoutMs,
  });
  return { kind: 'applied', plan, report };
}

/** Lines naming the spec files whose text differs from (or went missing since) the saved plan. */
async function changedSpecFiles(saved: SavedPlan): Promise<string[]> {
  if ('text' in saved.spec) return [];
  const lines: string[] = [];
  for (const f of saved.specFiles) {
    let text: string;
    try {
      text = await readFile(f.path, 'utf8');
    } catch {
      lines.push(`spec file ${f.path} is gone`);
      continue;
    }
    if (sha256(text) !== f.sha256) lines.push(`spec file ${f.path} changed`);
  }
  return lines;
}
