// check_offsets_after_production: step two of the two-step check: compares a consumer group's offsets now with
// the snapshot get_initial_offsets returned (produced and consumed per partition, lag, covered). Read-only.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolDeps } from '../context.js';
import { guarded, ok } from '../results.js';
import { ERROR_OUTPUT, READ_ONLY } from '../shapes.js';
import { KAFKA_CONNECTION_INPUT, discoveryInput, kafkaServiceDeps } from './kafka-shared.js';
import { OFFSETS_TARGET_INPUT, SNAPSHOT } from './kafka-initial-offsets.js';
import { KAFKA_SETTINGS_OUTPUT } from './kafka-test-connection.js';
import type { OffsetSnapshot } from '../../kafka/index.js';

export function registerCheckOffsetsAfterProductionTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'check_offsets_after_production',
    {
      title: 'Compare consumer-group offsets with a snapshot',
      description:
        'Step 2 of 2: read the consumer group\'s offsets again and compare them with the `initial` snapshot from get_initial_offsets: records produced and consumed per partition since, lag, and whether everything produced has been committed (coveredProduced). Call again to poll.',
      inputSchema: {
        ...KAFKA_CONNECTION_INPUT,
        ...OFFSETS_TARGET_INPUT,
        initial: SNAPSHOT,
      },
      outputSchema: {
        comparison: z
          .looseObject({ produced: z.string(), consumed: z.string(), coveredProduced: z.boolean(), caughtUp: z.boolean(), partitions: z.array(z.looseObject({ partition: z.number() })) })
          .optional()
          .describe('What was produced and consumed between the snapshots, per partition'),
        snapshot: SNAPSHOT.optional(),
        settings: KAFKA_SETTINGS_OUTPUT.optional(),
        mapping: z.looseObject({ uuid: z.string(), state: z.string() }).optional().describe('The mapping, with LastProcessingResult'),
        error: ERROR_OUTPUT.optional(),
      },
      annotations: READ_ONLY,
    },
    (args) =>
      guarded(async () => {
        const { checkOffsetsAfterProduction } = await import('../../service/kafka.js');
        const { renderComparisonText } = await import('../../service/kafka-render.js');
        const out = await checkOffsetsAfterProduction(
          {
            ...discoveryInput(args, deps),
            ...(args.function_name ? { functionName: args.function_name } : {}),
            ...(args.consumer_group_id ? { consumerGroupId: args.consumer_group_id } : {}),
            initial: args.initial as unknown as OffsetSnapshot,
          },
          kafkaServiceDeps(deps, args.region),
        );
        return ok(
          { comparison: out.comparison, snapshot: out.snapshot, settings: out.settings, ...(out.mapping ? { mapping: out.mapping } : {}) },
          renderComparisonText(out.comparison),
        );
      }),
  );
}
