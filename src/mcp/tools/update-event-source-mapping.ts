// update_event_source_mapping: changes the updatable settings of one mapping, found by uuid or by function +
// source (+ topic), as a one-action plan through the executor; waits for it to settle and returns it.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { refuseIfReadOnly, type ToolDeps } from '../context.js';
import { FUNCTION_REF, MAPPING_OUTPUT, SETTINGS_FIELDS, SOURCE_FIELDS, mappingLine, settingsArgs } from '../crud-shapes.js';
import { guarded, ok } from '../results.js';
import { ADDITIVE_IDEMPOTENT, ERROR_OUTPUT, REGION } from '../shapes.js';

export function registerUpdateEventSourceMappingTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'update_event_source_mapping',
    {
      title: 'Update a Kafka event source mapping',
      description:
        'Change the updatable settings of one Kafka event source mapping (batching, enabled, pollers, error handling, partial-failure reporting). Name it by uuid, or by function_name with event_source_arn or kafka_bootstrap_servers (and kafka_topic when the function reads several topics). Source, topic, starting position and consumer group cannot be updated (plan a replace with a spec). Waits until the mapping settles and returns it. Needs --allow-write.',
      inputSchema: {
        uuid: z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'a mapping UUID').optional().describe('The mapping UUID (from list_event_source_mappings)'),
        function_name: FUNCTION_REF.optional().describe('Function name, name:alias or ARN (with a source) when no uuid is given'),
        ...SOURCE_FIELDS,
        kafka_topic: z.string().min(1).max(249).optional().describe('Narrows the function + source selector to one topic'),
        ...SETTINGS_FIELDS,
        region: REGION.optional(),
      },
      outputSchema: {
        uuid: z.string().optional(),
        changed: z.array(z.string()).optional().describe('Fields that changed; empty when the mapping already had these settings'),
        mapping: MAPPING_OUTPUT.optional(),
        error: ERROR_OUTPUT.optional(),
      },
      annotations: ADDITIVE_IDEMPOTENT,
    },
    (p, extra) =>
      guarded(async () => {
        const refusal = refuseIfReadOnly(deps, 'update_event_source_mapping', 'change an event source mapping');
        if (refusal) return refusal;
        const { updateMapping } = await import('../../service/crud.js');
        const out = await updateMapping(
          {
            uuid: p.uuid,
            functionName: p.function_name,
            eventSourceArn: p.event_source_arn,
            kafkaBootstrapServers: p.kafka_bootstrap_servers,
            kafkaTopic: p.kafka_topic,
            region: p.region,
            ...settingsArgs(p),
          },
          deps.service({ region: p.region, signal: extra.signal }),
        );
        const what = out.changed.length ? `Updated ${out.changed.join(', ')}` : 'No change: the mapping already has these settings';
        return ok({ uuid: out.mapping.uuid, changed: out.changed, mapping: out.mapping }, `${what}:\n${mappingLine(out.mapping)}`);
      }),
  );
}
