// Registers the Kafka tools with the MCP server in one call: test_kafka_connection, produce_test_messages,
// validate_esm_processing, check_esm_traffic, get_initial_offsets, check_offsets_after_production.

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolDeps } from '../context.js';
import { registerCheckEsmTrafficTool } from './kafka-check-traffic.js';
import { registerCheckOffsetsAfterProductionTool } from './kafka-check-offsets.js';
import { registerGetInitialOffsetsTool } from './kafka-initial-offsets.js';
import { registerProduceTestMessagesTool } from './kafka-produce.js';
import { registerTestKafkaConnectionTool } from './kafka-test-connection.js';
import { registerValidateEsmProcessingTool } from './kafka-validate.js';

export function registerKafkaTools(server: McpServer, deps: ToolDeps): void {
  registerTestKafkaConnectionTool(server, deps);
  registerProduceTestMessagesTool(server, deps);
  registerValidateEsmProcessingTool(server, deps);
  registerCheckEsmTrafficTool(server, deps);
  registerGetInitialOffsetsTool(server, deps);
  registerCheckOffsetsAfterProductionTool(server, deps);
}
