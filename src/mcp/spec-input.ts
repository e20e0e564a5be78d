// Turns a tool's spec arguments (inline YAML or paths) into the service layer's SpecInput, insisting on exactly
// one of them, and formats spec problems for the tool's text. Spec modules load lazily.

import { userError } from '../core/errors.js';
import type { SpecInput } from '../service/types.js';

export interface SpecArgs {
  spec_yaml?: string;
  paths?: string[];
}

/** The pseudo file name inline YAML is reported under. */
export const INLINE_FILE = 'spec.yaml';

export function specInputOf(args: SpecArgs): SpecInput {
  const hasText = args.spec_yaml !== undefined;
  const hasPaths = args.paths !== undefined && args.paths.length > 0;
  if (hasText === hasPaths) {
    throw userError(
      'mcp.spec_input',
      hasText ? 'Give either spec_yaml or paths, not both.' : 'No spec given: pass spec_yaml (YAML text) or paths (files or directories).',
      'Read the resource esmctl://docs/spec-reference for the spec language.',
    );
  }
  return hasText ? { text: args.spec_yaml!, file: INLINE_FILE } : { paths: args.paths! };
}

export interface ProblemsView {
  /** JSON-safe problems (code, file, line, col, path, message, hint, facts). */
  problems: Array<Record<string, unknown>>;
  /** `file:line:col: path: message` with caret excerpts. */
  text: string;
}

export async function viewProblems(problems: unknown[]): Promise<ProblemsView> {
  const spec = await import('../spec/index.js');
  const list = problems as Parameters<typeof spec.formatProblems>[0];
  return { problems: spec.problemsToJson(list) as unknown as Array<Record<string, unknown>>, text: spec.formatProblems(list, { color: false }) };
}
