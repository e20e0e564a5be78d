// The service layer's shared shapes: ServiceDeps (an IoHost and a lazy AWS-ports factory), where a spec comes from,
// and the outcomes the plan/apply/drift/export functions return as data (they never print).

import type { IoHost } from '../core/events.js';
import type { AwsPorts } from '../core/ports.js';
import type { ApplyReport, MappingSet, Plan } from '../core/types.js';
import type { SpecProblem } from '../spec/index.js';

/** What every service function needs from its front-end (the CLI or the MCP server). */
export interface ServiceDeps {
  host: IoHost;
  /**
   * Builds AWS ports lazily. The argument is the region the spec names (if any); the front-end combines it with
   * its own `--region`, `AWS_REGION` and profile (see createAwsPorts in src/aws).
   */
  ports: (specRegion?: string) => Promise<AwsPorts>;
}

/** Where the desired spec comes from: files/directories on disk, or inline YAML text (MCP). */
export type SpecInput = { paths: string[] } | { text: string; file?: string };

/** The spec could not be loaded: problems to format with formatProblems (src/spec). */
export interface ProblemsOutcome {
  kind: 'problems';
  problems: SpecProblem[];
}

export interface PlanOptionsInput {
  /** Replace a mapping when the spec leaves out the batching window and the live one is set (AWS cannot reset it). */
  replaceOnBatchingWindowReset?: boolean;
}

export interface PlanInput extends PlanOptionsInput {
  spec: SpecInput;
}

/** A plan and what it was built from. */
export interface PlannedOutcome {
  kind: 'plan';
  plan: Plan;
  sets: MappingSet[];
  /** The spec as loaded (for saving the plan: paths and the text of each file). */
  specFiles: SpecFileRecord[];
  spec: SpecInput;
}

export type PlanOutcome = ProblemsOutcome | PlannedOutcome;

export interface SpecFileRecord {
  /** Absolute path, or the pseudo file name of inline text. */
  path: string;
  sha256: string;
  text: string;
}

export interface ApplyOptionsInput {
  /** Skip the confirmation (the host is not asked). */
  autoApprove?: boolean;
  parallelism?: number;
  createTimeoutMs?: number;
  deleteTimeoutMs?: number;
}

export interface ApplyInput extends PlanInput, ApplyOptionsInput {}

export type ApplyOutcome =
  | ProblemsOutcome
  /** Nothing to do: the plan has no actions. */
  | { kind: 'no-changes'; plan: Plan }
  /** The host did not confirm: nothing was changed. */
  | { kind: 'declined'; plan: Plan }
  /** A saved plan no longer matches the spec or the live objects: nothing was changed. */
  | { kind: 'stale'; plan: Plan; changes: string[] }
  | { kind: 'applied'; plan: Plan; report: ApplyReport };
