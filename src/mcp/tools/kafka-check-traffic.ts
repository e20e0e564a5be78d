// check_esm_traffic: watch a mapping's consumer group against existing traffic (produces nothing) until it has
// committed everything that existed at the start, or the timeout; reports progress, lag and a verdict. Read-only.

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolDeps } from '../context.js';
import { guarded, ok } from '../results.js';
import { READ_ONLY } from '../shapes.js';
import { KAFKA_CONNECTION_INPUT, discoveryInput, kafkaServiceDeps, progressFor } from './kafka-shared.js';
import { VALIDATE_OUTPUT, VALIDATE_TARGET_INPUT } from './kafka-validate.js';

export function registerCheckEsmTrafficTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'check_esm_traffic',
    {
      title: "Watch a mapping's consumption of existing traffic",
      description:
        "Without producing anything, watch an event source mapping's consumer group (custom ConsumerGroupId, else the mapping UUID): record committed and end offsets, poll until the group has committed every record that existed at the start or the timeout, and report new records, records consumed, lag per partition, the mapping's State and LastProcessingResult, and a verdict with the likely cause.",
      inputSchema: { ...KAFKA_CONNECTION_INPUT, ...VALIDATE_TARGET_INPUT },
      outputSchema: VALIDATE_OUTPUT,
      annotations: READ_ONLY,
    },
    (args, extra) =>
      guarded(async () => {
        const { validateEsmProcessing } = await import('../../service/kafka.js');
        const { renderValidateText } = await import('../../service/kafka-render.js');
        const out = await validateEsmProcessing(
          {
            ...discoveryInput(args, deps),
            ...(args.function_name ? { functionName: args.function_name } : {}),
            ...(args.consumer_group_id ? { consumerGroupId: args.consumer_group_id } : {}),
            observe: true,
            timeoutMs: args.timeout_seconds * 1000,
            ...progressFor(extra),
          },
          kafkaServiceDeps(deps, args.region),
        );
        return ok({ verdict: out.report.verdict, settings: out.settings, report: out.report }, renderValidateText(out.settings, out.report));
      }),
  );
}
