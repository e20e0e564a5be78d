// The MCP server's seam to the renderers and the service layer's helpers: imported lazily so the server starts
// without loading the engine; every tool renders from the same JSON model the CLI uses.

import type { ApplyReport, Plan } from '../core/types.js';

export async function planText(plan: Plan): Promise<string> {
  const { renderPlanText } = await import('../render/index.js');
  return renderPlanText(plan, { color: false });
}

export async function driftText(plan: Plan): Promise<string> {
  const { renderDriftText } = await import('../render/index.js');
  return renderDriftText(plan, { color: false });
}

export async function reportText(report: ApplyReport): Promise<string> {
  const { renderApplyReportText } = await import('../render/index.js');
  return renderApplyReportText(report, { color: false });
}

/** Actions that remove or recreate something a person may want to keep. */
export function destructiveActions(plan: Plan): Array<{ id: string; kind: string; address: string; reason: string }> {
  return plan.actions
    .filter((a) => a.kind === 'delete' || a.kind === 'replace' || a.kind === 'delete-policy')
    .map((a) => ({ id: a.id, kind: a.kind, address: a.address, reason: a.reason }));
}
