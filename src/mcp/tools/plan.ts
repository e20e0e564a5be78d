// plan: reads the live mappings and IAM the spec touches and returns the plan (same model as `esmctl plan
// --json`), its human rendering and a plan_id that `apply` runs later in this session.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolDeps } from '../context.js';
import { planText } from '../engine.js';
import { failure, guarded, ok } from '../results.js';
import { ERROR_OUTPUT, PLAN_OUTPUT, PROBLEM_OUTPUT, READ_ONLY, REGION, SPEC_INPUT } from '../shapes.js';
import { specInputOf, viewProblems } from '../spec-input.js';

export function registerPlanTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'plan',
    {
      title: 'Plan changes for an esmctl spec',
      description:
        'Compare a spec (YAML text or files) with the live Kafka event source mappings and IAM policies, and return the plan: each create, update, replace, delete, adopt and policy change with its reason, field-level before/after, warnings and unmanaged mappings. Changes nothing. Show the rendering to the person; then call apply with the returned plan_id.',
      inputSchema: {
        ...SPEC_INPUT,
        region: REGION.optional(),
        replace_on_batching_window_reset: z
          .boolean()
          .optional()
          .describe('true: when the spec leaves out the batching window but the live mapping has one, plan a replace (AWS cannot reset it in place). Default false: a warning.'),
      },
      outputSchema: {
        plan_id: z.string().optional().describe('Pass to apply to run exactly this plan (kept for this session)'),
        has_changes: z.boolean().optional().describe('false when live already matches the spec'),
        summary: z.record(z.string(), z.number()).optional().describe('Counts per action kind'),
        plan: PLAN_OUTPUT.optional(),
        rendered: z.string().optional().describe('The plan as people read it (Terraform style, no colour)'),
        problems: z.array(PROBLEM_OUTPUT).optional().describe('Spec problems (on error only)'),
        error: ERROR_OUTPUT.optional(),
      },
      annotations: READ_ONLY,
    },
    (args) =>
      guarded(async () => {
        const [{ planSpecs }, { toSavedPlan }] = await Promise.all([import('../../service/plan.js'), import('../../service/saved-plan.js')]);
        const options = { replaceOnBatchingWindowReset: args.replace_on_batching_window_reset === true };
        const outcome = await planSpecs({ spec: specInputOf(args), ...options }, deps.service({ region: args.region }));
        if (outcome.kind === 'problems') {
          const view = await viewProblems(outcome.problems);
          return failure('spec.invalid', `The spec has ${view.problems.length} problem(s):\n${view.text}`, 'Fix the problems listed (validate_spec shows them too) and plan again.', {
            problems: view.problems,
          });
        }
        const { plan } = outcome;
        const stored = deps.plans.put(toSavedPlan(outcome, options, new Date()), args.region);
        const rendered = await planText(plan);
        const hasChanges = plan.actions.length > 0;
        const next = hasChanges ? `\nTo apply exactly this plan: call apply with plan_id "${stored.id}".` : '';
        return ok({ plan_id: stored.id, has_changes: hasChanges, summary: plan.summary, plan, rendered }, `${rendered}${next}`);
      }),
  );
}
