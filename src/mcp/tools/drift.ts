// drift: the plan for a spec, read as a drift report: changes made outside esmctl (drift) apart from pending
// spec changes, each with the fields that differ. Changes nothing.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Action } from '../../core/types.js';
import type { ToolDeps } from '../context.js';
import { driftText } from '../engine.js';
import { failure, guarded, ok } from '../results.js';
import { ERROR_OUTPUT, PLAN_OUTPUT, PROBLEM_OUTPUT, READ_ONLY, REGION, SPEC_INPUT } from '../shapes.js';
import { specInputOf, viewProblems } from '../spec-input.js';

const ENTRY = z.object({
  address: z.string().describe('set/mapping, or iam:role/policy'),
  kind: z.string().describe('The action that would fix it: create, update, replace, delete, adopt, put-policy, delete-policy'),
  label: z.enum(['drift', 'pending']).describe('drift: changed outside esmctl since the last apply; pending: the spec changed'),
  reason: z.string(),
  fields: z.array(z.object({ path: z.string(), live: z.unknown(), spec: z.unknown() })).describe('Fields that differ (live vs spec)'),
});

function entryOf(a: Action, drifted: Set<string>): z.infer<typeof ENTRY> {
  const changes = 'changes' in a ? a.changes : [];
  return {
    address: a.address,
    kind: a.kind,
    label: drifted.has(a.address) ? 'drift' : 'pending',
    reason: a.reason,
    fields: changes.map((c) => ({ path: c.path, live: c.before ?? null, spec: c.after ?? null })),
  };
}

export function registerDriftTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'drift',
    {
      title: 'Report drift from a spec',
      description:
        'Compare a spec with live AWS and report what differs, each difference labelled drift (changed outside esmctl, e.g. in the console) or pending (the spec changed and was not applied yet), with the fields, live vs spec. Changes nothing; plan + apply reverts drift.',
      inputSchema: { ...SPEC_INPUT, region: REGION.optional() },
      outputSchema: {
        has_differences: z.boolean().optional().describe('true when anything differs (the CLI exits 2)'),
        drift: z.array(ENTRY).optional().describe('Differences made outside esmctl'),
        pending: z.array(ENTRY).optional().describe('Spec changes not applied yet'),
        plan: PLAN_OUTPUT.optional(),
        rendered: z.string().optional(),
        problems: z.array(PROBLEM_OUTPUT).optional(),
        error: ERROR_OUTPUT.optional(),
      },
      annotations: READ_ONLY,
    },
    (args) =>
      guarded(async () => {
        const { driftSpecs } = await import('../../service/drift.js');
        const outcome = await driftSpecs({ spec: specInputOf(args) }, deps.service({ region: args.region }));
        if (outcome.kind === 'problems') {
          const view = await viewProblems(outcome.problems);
          return failure('spec.invalid', `The spec has ${view.problems.length} problem(s):\n${view.text}`, 'Fix the problems listed and run drift again.', {
            problems: view.problems,
          });
        }
        const drifted = new Set(outcome.drifted);
        const entries = outcome.plan.actions.map((a) => entryOf(a, drifted));
        const rendered = await driftText(outcome.plan);
        return ok(
          {
            has_differences: outcome.differs,
            drift: entries.filter((e) => e.label === 'drift'),
            pending: entries.filter((e) => e.label === 'pending'),
            plan: outcome.plan,
            rendered,
          },
          rendered,
        );
      }),
  );
}
