// get_initial_offsets: step one of the two-step check for agents: a snapshot of a consumer group's committed vs
// end offsets per partition, to hand back to check_offsets_after_production after producing. Read-only.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolDeps } from '../context.js';
import { guarded, ok } from '../results.js';
import { ERROR_OUTPUT, READ_ONLY } from '../shapes.js';
import { KAFKA_CONNECTION_INPUT, discoveryInput, kafkaServiceDeps } from './kafka-shared.js';
import { KAFKA_SETTINGS_OUTPUT } from './kafka-test-connection.js';

export const SNAPSHOT = z
  .looseObject({
    topic: z.string().describe('Kafka topic'),
    groupId: z.string().describe('Consumer group'),
    takenAt: z.string().describe('ISO-8601 time of the snapshot'),
    partitions: z
      .array(z.looseObject({ partition: z.number(), committed: z.string().nullable(), end: z.string(), low: z.string(), lag: z.string() }))
      .describe('Per partition: committed offset (null: none), end (high watermark), low, lag'),
    totalLag: z.string(),
  })
  .describe('An offset snapshot as get_initial_offsets returns it');

export const OFFSETS_TARGET_INPUT = {
  function_name: z.string().min(1).max(256).optional().describe('Find the mapping by function name/ARN (with topic) instead of mapping_uuid'),
  consumer_group_id: z.string().min(1).max(255).optional().describe("Consumer group (default: the mapping's custom ConsumerGroupId, else its UUID)"),
};

export function registerGetInitialOffsetsTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'get_initial_offsets',
    {
      title: "Snapshot a mapping's consumer-group offsets",
      description:
        "Step 1 of 2: record a consumer group's committed and end offsets per partition on the topic (the mapping's custom ConsumerGroupId, else its UUID). Produce messages, then pass the returned `snapshot` to check_offsets_after_production.",
      inputSchema: { ...KAFKA_CONNECTION_INPUT, ...OFFSETS_TARGET_INPUT },
      outputSchema: {
        snapshot: SNAPSHOT.optional(),
        settings: KAFKA_SETTINGS_OUTPUT.optional(),
        mapping: z.looseObject({ uuid: z.string(), state: z.string() }).optional().describe('The mapping the group belongs to, when one was given'),
        error: ERROR_OUTPUT.optional(),
      },
      annotations: READ_ONLY,
    },
    (args) =>
      guarded(async () => {
        const { getInitialOffsets } = await import('../../service/kafka.js');
        const { renderSnapshotText } = await import('../../service/kafka-render.js');
        const out = await getInitialOffsets(
          {
            ...discoveryInput(args, deps),
            ...(args.function_name ? { functionName: args.function_name } : {}),
            ...(args.consumer_group_id ? { consumerGroupId: args.consumer_group_id } : {}),
          },
          kafkaServiceDeps(deps, args.region),
        );
        return ok({ snapshot: out.snapshot, settings: out.settings, ...(out.mapping ? { mapping: out.mapping } : {}) }, renderSnapshotText(out.snapshot));
      }),
  );
}
