// planSpecs: load the spec, read what AWS has (mappings, functions, policies, clusters) and build the plan.
// Returns the plan as data (or the spec problems); progress goes to the IoHost as events.

import { event, type IoHost } from '../core/events.js';
import type { AwsPorts } from '../core/ports.js';
import type { MappingSet, Plan } from '../core/types.js';
import { buildPlan } from '../core/plan.js';
import { loadSpec, recordSpecFiles, specRegion } from './spec-input.js';
import type { PlanInput, PlanOptionsInput, PlanOutcome, ServiceDeps } from './types.js';

export async function planSpecs(input: PlanInput, deps: ServiceDeps): Promise<PlanOutcome> {
  const loaded = await loadSpec(input.spec);
  if (loaded.problems.length > 0) return { kind: 'problems', problems: loaded.problems };
  // Recorded before reading AWS: a saved plan names the spec text it was built from.
  const specFiles = await recordSpecFiles(input.spec, loaded.sets);
  const ports = await deps.ports(specRegion(loaded.sets));
  const plan = await planWithPorts(loaded.sets, ports, deps.host, input);
  return { kind: 'plan', plan, sets: loaded.sets, specFiles, spec: input.spec };
}

/** Read and build, with events; shared by plan, apply and drift. */
export async function planWithPorts(
  sets: MappingSet[],
  ports: AwsPorts,
  host: IoHost,
  options: PlanOptionsInput = {},
): Promise<Plan> {
  const { readObserved } = await import('../aws/index.js');
  const names = sets.map((s) => s.name).join(', ');
  const started = ports.clock.now().getTime();
  host.emit(event('read.start', `Reading Kafka event source mappings and IAM in ${ports.region}…`, { region: ports.region, sets: names }));
  // The reader's own default bounds concurrency (tuned in bench/plan.mjs).
  const observed = await readObserved(ports, sets);
  host.emit(
    event('read.done', `Read ${observed.mappings.length} Kafka mapping(s) in ${ports.region} (${ports.clock.now().getTime() - started} ms)`, {
      region: ports.region,
      mappings: observed.mappings.length,
      functions: observed.functions.length,
      policies: observed.policies.length,
      elapsedMs: ports.clock.now().getTime() - started,
    }),
  );
  const plan = buildPlan(sets, observed, { replaceOnBatchingWindowReset: options.replaceOnBatchingWindowReset === true });
  host.emit(event('plan.built', planSummaryLine(plan), { plan }));
  return plan;
}

/** `Plan: 1 to create, 2 to update, …` or `No changes.` */
export function planSummaryLine(plan: Plan): string {
  const s = plan.summary;
  if (plan.actions.length === 0) return 'No changes.';
  const iam = s.putPolicy + s.deletePolicy > 0 ? ` IAM: ${s.putPolicy} to put, ${s.deletePolicy} to delete.` : '';
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete, ${s.adopt} to adopt.${iam}`;
}

export function hasChanges(plan: Plan): boolean {
  return plan.actions.length > 0;
}
