// list_event_source_mappings: every Kafka mapping of the account and region (all pages), or those of one
// function or one MSK cluster, flattened with state, batching, pollers, last result and timestamps.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolDeps } from '../context.js';
import { FUNCTION_REF, MAPPING_OUTPUT, mappingLine } from '../crud-shapes.js';
import { guarded, ok } from '../results.js';
import { ERROR_OUTPUT, READ_ONLY, REGION } from '../shapes.js';

export function registerListEventSourceMappingsTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'list_event_source_mappings',
    {
      title: 'List Kafka event source mappings',
      description:
        'List the Kafka event source mappings (Amazon MSK and self-managed) of the account and region, every page, or only those of one function (a bare name includes its aliases/versions) or one MSK cluster. Each has the function (qualifier kept), source, topic, state, batch settings, pollers, last processing result, last modified time and the owning esmctl set if any.',
      inputSchema: {
        function_name: FUNCTION_REF.optional().describe('Only this function: name (all qualifiers), name:alias, or ARN'),
        event_source_arn: z.string().regex(/^arn:aws[a-z-]*:kafka:/, 'an Amazon MSK cluster ARN').optional().describe('Only mappings of this MSK cluster'),
        region: REGION.optional(),
      },
      outputSchema: {
        region: z.string().optional(),
        count: z.number().int().optional(),
        mappings: z.array(MAPPING_OUTPUT).optional(),
        error: ERROR_OUTPUT.optional(),
      },
      annotations: READ_ONLY,
    },
    (p) =>
      guarded(async () => {
        const { listKafkaMappingViews } = await import('../../service/crud.js');
        const out = await listKafkaMappingViews({ functionName: p.function_name, eventSourceArn: p.event_source_arn, region: p.region }, deps.service({ region: p.region }));
        const lines = out.mappings.map(mappingLine);
        const text = `${out.mappings.length} Kafka mapping(s) in ${out.region}${lines.length ? `:\n${lines.join('\n')}` : '.'}`;
        return ok({ region: out.region, count: out.mappings.length, mappings: out.mappings }, text);
      }),
  );
}
