// test_kafka_connection: step-by-step diagnosis of a Kafka connection as Lambda would make it (DNS, TCP, TLS,
// auth, metadata, consumer group), each step with Lambda's own words for the failure and the fix. Read-only.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolDeps } from '../context.js';
import { guarded, ok } from '../results.js';
import { ERROR_OUTPUT, READ_ONLY } from '../shapes.js';
import { KAFKA_CONNECTION_INPUT, discoveryInput, kafkaServiceDeps } from './kafka-shared.js';

export const KAFKA_SETTINGS_OUTPUT = z
  .looseObject({ bootstrapServers: z.array(z.string()), auth: z.string(), tls: z.boolean(), origins: z.record(z.string(), z.string()) })
  .describe('The connection settings used (secrets shown only as booleans) and where each came from');

export function registerTestKafkaConnectionTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'test_kafka_connection',
    {
      title: 'Test a Kafka connection as Lambda would',
      description:
        'Diagnose the connection to a Kafka cluster step by step, as a Lambda event source mapping would connect: DNS, TCP, TLS handshake (certificate subject, issuer, expiry, hostname), authentication (SASL/PLAIN, SCRAM, mTLS, MSK IAM), metadata (brokers, topic, partitions) and, for a mapping, its consumer group. Each failing step carries Lambda\'s own LastProcessingResult wording, the likely cause and the fix. Settings come from the arguments, a config secret, or an existing mapping (mapping_uuid); missing ones are asked from the person.',
      inputSchema: {
        ...KAFKA_CONNECTION_INPUT,
        consumer_group_id: z.string().min(1).max(255).optional().describe("Consumer group to check (default: the mapping's custom group id, else its UUID)"),
        step_timeout_seconds: z.number().int().min(1).max(120).optional().describe('Upper bound of each step in seconds (default 10)'),
      },
      outputSchema: {
        ok: z.boolean().optional().describe('true when every step passed'),
        settings: KAFKA_SETTINGS_OUTPUT.optional(),
        report: z
          .looseObject({ ok: z.boolean(), steps: z.array(z.looseObject({ step: z.string(), status: z.string(), summary: z.string() })) })
          .optional()
          .describe('Every step with status pass/fail/warn/skip, facts, and on failure the problem (lambdaSays, cause, fix)'),
        error: ERROR_OUTPUT.optional(),
      },
      annotations: READ_ONLY,
    },
    (args) =>
      guarded(async () => {
        const { testKafkaConnection } = await import('../../service/kafka.js');
        const { renderConnectionText } = await import('../../service/kafka-render.js');
        const input = {
          ...discoveryInput(args, deps),
          ...(args.consumer_group_id ? { consumerGroupId: args.consumer_group_id } : {}),
          ...(args.step_timeout_seconds ? { stepTimeoutMs: args.step_timeout_seconds * 1000 } : {}),
        };
        const out = await testKafkaConnection(input, kafkaServiceDeps(deps, args.region));
        return ok({ ok: out.report.ok, settings: out.settings, report: out.report }, renderConnectionText(out.settings, out.report));
      }),
  );
}
