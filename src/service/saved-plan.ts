// The saved plan file (`esmctl plan --out plan.json`): the Plan (spec hash + fingerprints) plus the spec's paths and
// text, so `esmctl apply plan.json` can re-load the spec, re-read AWS and refuse when anything moved.

import { readFile, writeFile } from 'node:fs/promises';
import { userError } from '../core/errors.js';
import type { Plan } from '../core/types.js';
import type { PlannedOutcome, PlanOptionsInput, SpecFileRecord, SpecInput } from './types.js';

export const SAVED_PLAN_FORMAT = 'esmctl-saved-plan';
export const SAVED_PLAN_VERSION = 1;

export interface SavedPlan {
  format: typeof SAVED_PLAN_FORMAT;
  version: typeof SAVED_PLAN_VERSION;
  savedAt: string;
  plan: Plan;
  /** Where the spec came from: the paths as resolved when planning, or inline text (MCP). */
  spec: SpecInput;
  /** Every spec file read, with its text and hash: apply names the files that changed. */
  specFiles: SpecFileRecord[];
  options: PlanOptionsInput;
}

export function toSavedPlan(outcome: PlannedOutcome, options: PlanOptionsInput, now: Date): SavedPlan {
  return {
    format: SAVED_PLAN_FORMAT,
    version: SAVED_PLAN_VERSION,
    savedAt: now.toISOString(),
    plan: outcome.plan,
    spec: outcome.spec,
    specFiles: outcome.specFiles,
    options: { replaceOnBatchingWindowReset: options.replaceOnBatchingWindowReset === true },
  };
}

export async function writeSavedPlan(file: string, saved: SavedPlan): Promise<void> {
  await writeFile(file, `${JSON.stringify(saved, null, 2)}\n`, 'utf8');
}

/** True when the text looks like a saved plan (a JSON object with our format marker). */
export function isSavedPlanText(text: string): boolean {
  if (!/^\s*\{/.test(text)) return false;
  try {
    return (JSON.parse(text) as { format?: unknown }).format === SAVED_PLAN_FORMAT;
  } catch {
    return false;
  }
}

/** Reads and checks a saved plan file; anything unusable is a user error naming the file. */
export async function readSavedPlan(file: string): Promise<SavedPlan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw userError('plan_file.unreadable', `cannot read saved plan ${file}: ${(e as Error).message}`);
  }
  return parseSavedPlan(text, file);
}

export function parseSavedPlan(text: string, file = 'plan file'): SavedPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw userError('plan_file.invalid_json', `${file} is not valid JSON: ${(e as Error).message}`, 'Create it with `esmctl plan --out FILE`.');
  }
  const d = data as Partial<SavedPlan> | null;
  if (!d || typeof d !== 'object' || d.format !== SAVED_PLAN_FORMAT) {
    throw userError('plan_file.not_a_plan', `${file} is not an esmctl saved plan`, 'Create it with `esmctl plan --out FILE`.');
  }
  if (d.version !== SAVED_PLAN_VERSION) {
    throw userError(
      'plan_file.version',
      `${file} has saved-plan version ${String(d.version)}; this esmctl reads version ${SAVED_PLAN_VERSION}`,
      'Plan again with this version of esmctl.',
    );
  }
  const plan = d.plan as Plan | undefined;
  const spec = d.spec as SpecInput | undefined;
  const validSpec =
    !!spec && (('paths' in spec && Array.isArray(spec.paths)) || ('text' in spec && typeof spec.text === 'string'));
  if (!plan || plan.formatVersion !== 1 || !Array.isArray(plan.actions) || !Array.isArray(plan.fingerprints) || !validSpec) {
    throw userError('plan_file.damaged', `${file} is damaged: plan or spec missing`, 'Plan again with `esmctl plan --out FILE`.');
  }
  const kinds = new Set(['create', 'update', 'replace', 'delete', 'adopt', 'put-policy', 'delete-policy']);
  const bad = plan.actions.find((a) => !a || typeof a !== 'object' || !kinds.has((a as { kind?: string }).kind ?? '') || typeof a.id !== 'string');
  if (bad !== undefined) {
    throw userError('plan_file.damaged', `${file} is damaged: an action of unknown kind ${JSON.stringify((bad as { kind?: unknown })?.kind)}`, 'Plan again with `esmctl plan --out FILE`.');
  }
  return {
    format: SAVED_PLAN_FORMAT,
    version: SAVED_PLAN_VERSION,
    savedAt: String(d.savedAt ?? ''),
    plan,
    spec: spec!,
    specFiles: Array.isArray(d.specFiles) ? d.specFiles : [],
    options: d.options ?? {},
  };
}
