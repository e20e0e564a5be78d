// validate_spec: loads a spec (YAML text or paths) and returns its located problems as data, without AWS.
// Valid specs answer with the sets and mapping addresses they declare.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolDeps } from '../context.js';
import { guarded, ok } from '../results.js';
import { ERROR_OUTPUT, LOCAL_ONLY, PROBLEM_OUTPUT, SPEC_INPUT } from '../shapes.js';
import { specInputOf, viewProblems } from '../spec-input.js';

export function registerValidateSpecTool(server: McpServer, _deps: ToolDeps): void {
  server.registerTool(
    'validate_spec',
    {
      title: 'Validate an esmctl spec',
      description:
        'Check an esmctl spec (YAML text or files) against the spec language without calling AWS. Returns each problem with file, line, column, field path, message and a hint. Use before plan.',
      inputSchema: SPEC_INPUT,
      outputSchema: {
        valid: z.boolean().optional().describe('true when the spec has no problems'),
        problems: z.array(PROBLEM_OUTPUT).optional().describe('Located problems; empty when valid'),
        sets: z
          .array(z.object({ name: z.string(), region: z.string().optional(), mappings: z.array(z.string()).describe('Mapping addresses set/name') }))
          .optional()
          .describe('The mapping sets the spec declares (when valid)'),
        error: ERROR_OUTPUT.optional(),
      },
      annotations: LOCAL_ONLY,
    },
    (args) =>
      guarded(async () => {
        const { loadSpec } = await import('../../service/spec-input.js');
        const loaded = await loadSpec(specInputOf(args));
        if (loaded.problems.length > 0) {
          const view = await viewProblems(loaded.problems);
          return ok({ valid: false, problems: view.problems, sets: [] }, `${loaded.problems.length} problem(s):\n${view.text}`);
        }
        const sets = loaded.sets.map((s) => ({ name: s.name, ...(s.region ? { region: s.region } : {}), mappings: s.mappings.map((m) => m.address) }));
        const addresses = sets.flatMap((s) => s.mappings);
        return ok({ valid: true, problems: [], sets }, `Valid: ${sets.length} set(s), ${addresses.length} mapping(s)${addresses.length ? `: ${addresses.join(', ')}` : ''}.`);
      }),
  );
}
