// produce_test_messages: X test messages of Y bytes (id, run id, sequence, timestamp) to a topic, keyed to spread
// over partitions or with one fixed key; per-partition counts and offsets, throughput, errors. Writes to Kafka.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { refuseIfReadOnly, type ToolDeps } from '../context.js';
import { guarded, ok } from '../results.js';
import { ADDITIVE, ERROR_OUTPUT } from '../shapes.js';
import { KAFKA_CONNECTION_INPUT, discoveryInput, kafkaServiceDeps, progressFor } from './kafka-shared.js';
import { KAFKA_SETTINGS_OUTPUT } from './kafka-test-connection.js';

export function registerProduceTestMessagesTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'produce_test_messages',
    {
      title: 'Produce Kafka test messages',
      description:
        'Produce `count` test messages of `message_size_bytes` bytes to a Kafka topic. Each message is JSON with a unique id, the run id, a sequence number and a timestamp, keyed to spread over partitions (or one fixed `key`). Returns per-partition counts and first/last offsets, throughput and errors. Writes to the topic (needs --allow-write).',
      inputSchema: {
        ...KAFKA_CONNECTION_INPUT,
        count: z.number().int().min(1).max(1_000_000).default(10).describe('Number of messages (default 10)'),
        message_size_bytes: z.number().int().min(1).max(1_000_000).default(256).describe('Bytes per message value (default 256)'),
        key: z.string().min(1).max(1024).optional().describe('One fixed key for every message (default: keys spread over partitions)'),
      },
      outputSchema: {
        settings: KAFKA_SETTINGS_OUTPUT.optional(),
        report: z
          .looseObject({ runId: z.string(), produced: z.number(), failed: z.number(), partitions: z.array(z.looseObject({ partition: z.number(), count: z.number() })) })
          .optional()
          .describe('Run id, counts, per-partition offsets, throughput and errors'),
        error: ERROR_OUTPUT.optional(),
      },
      annotations: ADDITIVE,
    },
    (args, extra) =>
      guarded(async () => {
        const refused = refuseIfReadOnly(deps, 'produce_test_messages', 'write test messages to a Kafka topic');
        if (refused) return refused;
        const { produceMessages } = await import('../../service/kafka.js');
        const { renderProduceText } = await import('../../service/kafka-render.js');
        const out = await produceMessages(
          { ...discoveryInput(args, deps), count: args.count, sizeBytes: args.message_size_bytes, ...(args.key ? { key: args.key } : {}), onProgress: progressFor(extra).onProgress },
          kafkaServiceDeps(deps, args.region),
        );
        return ok({ settings: out.settings, report: out.report }, renderProduceText(out.settings, out.report));
      }),
  );
}
