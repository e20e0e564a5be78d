// export_spec: writes existing Kafka mappings (filtered by function, source or set) as an esmctl/v1 spec that,
// once planned and applied, adopts them with no changes. Read-only.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolDeps } from '../context.js';
import { FUNCTION_REF } from '../crud-shapes.js';
import { guarded, ok } from '../results.js';
import { ERROR_OUTPUT, READ_ONLY, REGION } from '../shapes.js';

export function registerExportSpecTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'export_spec',
    {
      title: 'Export mappings as an esmctl spec',
      description:
        'Read existing Kafka event source mappings (all, or those of a function and/or source) and return an esmctl/v1 spec (YAML) describing them. Planning that spec adopts them with no configuration changes. Mappings owned by another esmctl set are skipped with the reason. Secret ARNs appear, secret values never.',
      inputSchema: {
        function: FUNCTION_REF.optional().describe('Only mappings of this function: name, name:alias or ARN'),
        source: z
          .string()
          .min(3)
          .optional()
          .describe('Only mappings of this source: an MSK cluster ARN, or comma-separated bootstrap servers'),
        set: z
          .string()
          .regex(/^[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?$/, 'letters, digits, dot, dash, underscore')
          .max(100)
          .optional()
          .describe('Set name to write (default: the set that owns the mappings, else "exported")'),
        region: REGION.optional(),
      },
      outputSchema: {
        yaml: z.string().optional().describe('The spec; pass it to validate_spec or plan as spec_yaml'),
        set: z.string().optional(),
        region: z.string().optional(),
        exported: z.array(z.object({ address: z.string(), uuid: z.string() })).optional(),
        skipped: z.array(z.object({ uuid: z.string(), reason: z.string() })).optional(),
        error: ERROR_OUTPUT.optional(),
      },
      annotations: READ_ONLY,
    },
    (p) =>
      guarded(async () => {
        const { exportMappings } = await import('../../service/export.js');
        const out = await exportMappings({ functionName: p.function, source: p.source, set: p.set, region: p.region }, deps.service({ region: p.region }));
        const skipped = out.skipped.length ? `\n# skipped: ${out.skipped.map((s) => `${s.uuid} (${s.reason})`).join('; ')}` : '';
        return ok(
          { yaml: out.yaml, set: out.set, region: out.region, exported: out.exported, skipped: out.skipped },
          `${out.yaml}${skipped}`,
        );
      }),
  );
}
