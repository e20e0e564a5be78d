// apply: runs exactly a plan this session made (by plan_id), after re-checking that neither the spec nor any
// live object it read has changed; deletes and replaces need confirm_destructive or a yes via elicitation.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { EsmctlEvent } from '../../core/events.js';
import { refuseIfReadOnly, type ToolDeps } from '../context.js';
import { destructiveActions, reportText } from '../engine.js';
import { failure, guarded, ok } from '../results.js';
import { DESTRUCTIVE, ERROR_OUTPUT } from '../shapes.js';
import { viewProblems } from '../spec-input.js';

const REPORT_OUTPUT = z
  .looseObject({
    formatVersion: z.literal(1),
    ok: z.boolean(),
    results: z.array(z.looseObject({ id: z.string(), address: z.string(), kind: z.string(), status: z.string() })),
  })
  .describe('The per-action apply report (same model as `esmctl apply --json`)');

export function registerApplyTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'apply',
    {
      title: 'Apply a plan',
      description:
        'Apply exactly the plan that the plan tool returned (by plan_id) in this session. Refuses a stale plan (the spec or live state changed since) and says what changed. When the plan deletes or replaces anything it asks the person (elicitation) or needs confirm_destructive: true, which you may only pass after the person agreed. Returns the per-action report. Needs a server started with --allow-write.',
      inputSchema: {
        plan_id: z.string().regex(/^plan-[0-9a-f]{12}$/, 'a plan_id returned by the plan tool').describe('The plan_id the plan tool returned in this session'),
        confirm_destructive: z
          .boolean()
          .optional()
          .describe('true: the person has reviewed and agreed to the deletes/replaces in this plan. Without it the server asks through elicitation, or refuses.'),
      },
      outputSchema: {
        plan_id: z.string().optional(),
        ok: z.boolean().optional().describe('true when every action succeeded'),
        report: REPORT_OUTPUT.optional(),
        changes: z.array(z.string()).optional().describe('What changed since the plan (stale refusals only)'),
        destructive: z
          .array(z.object({ id: z.string(), kind: z.string(), address: z.string(), reason: z.string() }))
          .optional()
          .describe('The deletes/replaces that need confirmation (refusals only)'),
        error: ERROR_OUTPUT.optional(),
      },
      annotations: DESTRUCTIVE,
    },
    (input, extra) =>
      guarded(async () => {
        const refusal = refuseIfReadOnly(deps, 'apply', 'change AWS');
        if (refusal) return refusal;
        const stored = deps.plans.get(input.plan_id);
        if (stored === undefined) {
          return failure('apply.unknown_plan', `No plan ${input.plan_id} in this session.`, 'Call plan first and pass the plan_id it returns (plans live only as long as the MCP session).', {
            plan_id: input.plan_id,
          });
        }
        if (stored.appliedAt !== undefined) {
          return failure('apply.already_applied', `Plan ${stored.id} was already applied at ${stored.appliedAt}.`, 'Call plan again to see what is left to do.', { plan_id: stored.id });
        }
        const plan = stored.saved.plan;
        if (plan.actions.length === 0) {
          return ok({ plan_id: stored.id, ok: true }, 'No changes: the plan has nothing to apply.');
        }

        // 1. Deletes and replaces need an explicit yes (asked before anything is read or changed).
        const destructive = destructiveActions(plan);
        if (destructive.length > 0 && input.confirm_destructive !== true) {
          const list = destructive.map((d) => `  - ${d.kind} ${d.address}: ${d.reason}`).join('\n');
          if (!deps.host.canElicit()) {
            return failure(
              'apply.needs_confirmation',
              `Plan ${stored.id} deletes or replaces mappings or policies; nothing was changed:\n${list}`,
              'Show these to the person; only if they agree, call apply again with confirm_destructive: true.',
              { plan_id: stored.id, destructive },
            );
          }
          const yes = await deps.host.confirm(`Plan ${stored.id} will delete or replace:\n${list}\nApply it?`);
          if (!yes) {
            return failure('apply.not_confirmed', 'The person did not confirm the destructive changes; nothing was changed.', 'Discuss the plan with the person; plan again if the spec should change.', {
              plan_id: stored.id,
              destructive,
            });
          }
        }

        // 2. The service re-loads the spec and re-reads every live object the plan read; stale → nothing changes.
        const { applySavedPlan } = await import('../../service/apply.js');
        // Progress notifications, one per finished action, when the client asked for them.
        const progressToken = extra._meta?.progressToken;
        let finished = 0;
        const onEvent = (e: EsmctlEvent) => {
          if (progressToken === undefined) return;
          if (e.code !== 'apply.action.done' && e.code !== 'apply.action.failed' && e.code !== 'apply.action.skipped') return;
          finished++;
          void extra
            .sendNotification({ method: 'notifications/progress', params: { progressToken, progress: finished, total: plan.actions.length, message: e.message } })
            .catch(() => {});
        };
        const outcome = await applySavedPlan(
          { saved: stored.saved, autoApprove: true },
          deps.service({ region: stored.region, signal: extra.signal, onEvent }),
        );
        switch (outcome.kind) {
          case 'problems': {
            const view = await viewProblems(outcome.problems);
            return failure('apply.stale_plan', `The spec of plan ${stored.id} no longer loads; nothing was changed:\n${view.text}`, 'Fix the spec, then call plan again.', {
              plan_id: stored.id,
              changes: ['the spec no longer loads'],
            });
          }
          case 'stale':
            return failure(
              'apply.stale_plan',
              `Plan ${stored.id} is stale; nothing was changed. Since the plan:\n${outcome.changes.map((c) => `  - ${c}`).join('\n')}`,
              'Call plan again, review the new plan, and apply its plan_id.',
              { plan_id: stored.id, changes: outcome.changes },
            );
          case 'no-changes':
            return ok({ plan_id: stored.id, ok: true }, 'No changes: the plan has nothing to apply.');
          case 'declined':
            return failure('apply.not_confirmed', 'The apply was not confirmed; nothing was changed.', 'Call apply again once the person agrees.', { plan_id: stored.id });
          case 'applied': {
            stored.appliedAt = new Date().toISOString();
            const { report } = outcome;
            const text = await reportText(report);
            if (!report.ok) {
              return failure('apply.failed', `Some actions failed:\n${text}`, "Read each failed action's error; fix the cause, then plan and apply again (apply converges).", {
                plan_id: stored.id,
                ok: false,
                report,
              });
            }
            return ok({ plan_id: stored.id, ok: true, report }, text);
          }
        }
      }),
  );
}
