// add_msk_permissions: puts the least-privilege inline policy for one function's Kafka mappings on its execution
// role (the same generator plan/apply use), and reports whether it changed.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { refuseIfReadOnly, type ToolDeps } from '../context.js';
import { FUNCTION_REF } from '../crud-shapes.js';
import { guarded, ok } from '../results.js';
import { ADDITIVE_IDEMPOTENT, ERROR_OUTPUT, REGION } from '../shapes.js';

export function registerAddMskPermissionsTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'add_msk_permissions',
    {
      title: 'Add Kafka permissions to a function\'s role',
      description:
        'Put the least-privilege IAM inline policy (esmctl-fn-<function>) that the function\'s Kafka event source mappings need on its execution role: MSK cluster and kafka-cluster data actions on exact ARNs, secrets, VPC networking. Idempotent; other policies are never touched. Needs --allow-write.',
      inputSchema: {
        function_name: FUNCTION_REF,
        region: REGION.optional(),
      },
      outputSchema: {
        function_arn: z.string().optional(),
        role_name: z.string().optional(),
        policy_name: z.string().optional(),
        status: z.enum(['put', 'unchanged', 'none-needed']).optional().describe('put: written now; unchanged: already right; none-needed: no mapping needs permissions'),
        policy: z.unknown().optional().describe('The policy document (null when none is needed)'),
        mappings: z.array(z.string()).optional().describe('UUIDs of the mappings the policy covers'),
        error: ERROR_OUTPUT.optional(),
      },
      annotations: ADDITIVE_IDEMPOTENT,
    },
    (p) =>
      guarded(async () => {
        const refusal = refuseIfReadOnly(deps, 'add_msk_permissions', 'change an IAM role policy');
        if (refusal) return refusal;
        const { addMskPermissions } = await import('../../service/crud.js');
        const out = await addMskPermissions({ functionName: p.function_name, region: p.region }, deps.service({ region: p.region }));
        const text =
          out.status === 'put'
            ? `Put policy ${out.policyName} on role ${out.roleName} for ${out.covers.length} mapping(s).`
            : out.status === 'unchanged'
              ? `Policy ${out.policyName} on role ${out.roleName} already grants what ${out.covers.length} mapping(s) need.`
              : `No Kafka mapping of ${out.functionArn} needs permissions; nothing was written.`;
        return ok(
          { function_arn: out.functionArn, role_name: out.roleName, policy_name: out.policyName, status: out.status, policy: out.document, mappings: out.covers },
          `${text}${out.document ? `\n${JSON.stringify(out.document, null, 2)}` : ''}`,
        );
      }),
  );
}
