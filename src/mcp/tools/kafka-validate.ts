// validate_esm_processing: produce N test messages and wait until the mapping's consumer group (custom id, else
// its UUID) has committed past them; reports processed, lag, time, State, LastProcessingResult and a verdict.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { refuseIfReadOnly, type ToolDeps } from '../context.js';
import { guarded, ok } from '../results.js';
import { ADDITIVE, ERROR_OUTPUT } from '../shapes.js';
import { KAFKA_CONNECTION_INPUT, discoveryInput, kafkaServiceDeps, progressFor } from './kafka-shared.js';
import { KAFKA_SETTINGS_OUTPUT } from './kafka-test-connection.js';

export const VALIDATE_TARGET_INPUT = {
  function_name: z.string().min(1).max(256).optional().describe('Find the mapping by function name/ARN (with topic, and cluster_arn or bootstrap_servers) instead of mapping_uuid'),
  consumer_group_id: z.string().min(1).max(255).optional().describe("Consumer group to watch (default: the mapping's custom ConsumerGroupId, else its UUID)"),
  timeout_seconds: z.number().int().min(1).max(900).default(60).describe('How long to wait for the committed offsets (default 60; returns as soon as they cover the records)'),
};

export const VALIDATE_OUTPUT = {
  verdict: z.string().optional().describe('consumed | partially-consumed | not-consumed | caught-up | lagging | no-traffic'),
  settings: KAFKA_SETTINGS_OUTPUT.optional(),
  report: z
    .looseObject({ verdict: z.string(), produced: z.number(), processed: z.number(), groupId: z.string(), partitions: z.array(z.looseObject({ partition: z.number() })) })
    .optional()
    .describe('Processed count, per-partition offsets and lag, time to consume, mapping State and LastProcessingResult, verdict, likely cause and fix'),
  error: ERROR_OUTPUT.optional(),
};

export function registerValidateEsmProcessingTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'validate_esm_processing',
    {
      title: 'Validate that a mapping consumes its topic',
      description:
        "Prove an event source mapping processes its Kafka topic: find its consumer group (the custom ConsumerGroupId, else the mapping UUID), record committed and end offsets, produce `count` test messages, and poll until the group's committed offsets cover them or the timeout. Reports processed count, lag per partition, time to consume, the mapping's State and LastProcessingResult, and a verdict with the likely cause. Writes test messages (needs --allow-write); use check_esm_traffic to only watch.",
      inputSchema: {
        ...KAFKA_CONNECTION_INPUT,
        ...VALIDATE_TARGET_INPUT,
        count: z.number().int().min(1).max(100_000).default(10).describe('Test messages to produce (default 10)'),
        message_size_bytes: z.number().int().min(1).max(1_000_000).default(256).describe('Bytes per test message (default 256)'),
      },
      outputSchema: VALIDATE_OUTPUT,
      annotations: ADDITIVE,
    },
    (args, extra) =>
      guarded(async () => {
        const refused = refuseIfReadOnly(deps, 'validate_esm_processing', 'write test messages to the Kafka topic');
        if (refused) return refused;
        const { validateEsmProcessing } = await import('../../service/kafka.js');
        const { renderValidateText } = await import('../../service/kafka-render.js');
        const out = await validateEsmProcessing(
          {
            ...discoveryInput(args, deps),
            ...(args.function_name ? { functionName: args.function_name } : {}),
            ...(args.consumer_group_id ? { consumerGroupId: args.consumer_group_id } : {}),
            count: args.count,
            sizeBytes: args.message_size_bytes,
            timeoutMs: args.timeout_seconds * 1000,
            ...progressFor(extra),
          },
          kafkaServiceDeps(deps, args.region),
        );
        return ok({ verdict: out.report.verdict, settings: out.settings, report: out.report }, renderValidateText(out.settings, out.report));
      }),
  );
}
