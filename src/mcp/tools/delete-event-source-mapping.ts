// delete_event_source_mapping: deletes one mapping, by uuid or by function + source with an optional topic
// filter; refuses when the filter matches several (naming them), and waits until the mapping is gone.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { refuseIfReadOnly, type ToolDeps } from '../context.js';
import { FUNCTION_REF, MAPPING_OUTPUT, SOURCE_FIELDS, mappingLine } from '../crud-shapes.js';
import { guarded, ok } from '../results.js';
import { DESTRUCTIVE_IDEMPOTENT, ERROR_OUTPUT, REGION } from '../shapes.js';

export function registerDeleteEventSourceMappingTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'delete_event_source_mapping',
    {
      title: 'Delete a Kafka event source mapping',
      description:
        'Delete one Kafka event source mapping, named by uuid, or by function_name with event_source_arn or kafka_bootstrap_servers and an optional kafka_topic filter. Refuses when the filter matches several mappings and lists them, so you can say which. Waits until it is gone. The consumer group\'s committed offsets stay in Kafka. Needs --allow-write.',
      inputSchema: {
        uuid: z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'a mapping UUID').optional().describe('The mapping UUID (from list_event_source_mappings)'),
        function_name: FUNCTION_REF.optional().describe('Function name, name:alias or ARN (with a source) when no uuid is given'),
        ...SOURCE_FIELDS,
        kafka_topic: z.string().min(1).max(249).optional().describe('Only the mapping for this topic'),
        region: REGION.optional(),
      },
      outputSchema: {
        deleted: MAPPING_OUTPUT.optional().describe('The mapping as it was before the delete'),
        error: ERROR_OUTPUT.optional(),
      },
      annotations: DESTRUCTIVE_IDEMPOTENT,
    },
    (p, extra) =>
      guarded(async () => {
        const refusal = refuseIfReadOnly(deps, 'delete_event_source_mapping', 'delete an event source mapping');
        if (refusal) return refusal;
        const { deleteMapping } = await import('../../service/crud.js');
        const out = await deleteMapping(
          {
            uuid: p.uuid,
            functionName: p.function_name,
            eventSourceArn: p.event_source_arn,
            kafkaBootstrapServers: p.kafka_bootstrap_servers,
            kafkaTopic: p.kafka_topic,
            region: p.region,
          },
          deps.service({ region: p.region, signal: extra.signal }),
        );
        return ok({ deleted: out.deleted }, `Deleted:\n${mappingLine(out.deleted)}`);
      }),
  );
}
