// createMcpServer: one MCP server session with its host, plan store and AWS factory, every esmctl tool
// registered (one file per tool in ./tools) and the spec-language resources. Transports live in run.ts.

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AwsPorts } from '../core/ports.js';
import type { McpServerDeps, ToolDeps } from './context.js';
import { McpHost } from './host.js';
import { PlanStore } from './plan-store.js';
import { registerResources } from './resources.js';
import { registerValidateSpecTool } from './tools/validate-spec.js';
import { registerPlanTool } from './tools/plan.js';
import { registerApplyTool } from './tools/apply.js';
import { registerDriftTool } from './tools/drift.js';
import { registerExportSpecTool } from './tools/export-spec.js';
import { registerCreateEventSourceMappingTool } from './tools/create-event-source-mapping.js';
import { registerUpdateEventSourceMappingTool } from './tools/update-event-source-mapping.js';
import { registerDeleteEventSourceMappingTool } from './tools/delete-event-source-mapping.js';
import { registerListEventSourceMappingsTool } from './tools/list-event-source-mappings.js';
import { registerAddMskPermissionsTool } from './tools/add-msk-permissions.js';
import { registerKafkaTools } from './tools/kafka-tools.js';

export const SERVER_NAME = 'esmctl';
export const SERVER_VERSION = '0.1.0';

const INSTRUCTIONS = `esmctl manages AWS Lambda event source mappings whose source is Kafka (Amazon MSK or self-managed).
Prefer the declarative flow: validate_spec → plan (review the plan with the person) → apply with the plan_id.
The server is read-only unless started with --allow-write; mutating tools then explain how to enable them.
Read the resource esmctl://docs/spec-reference before writing a spec.`;

/** Default AWS factory: the SDK is imported only when a tool first needs AWS. */
async function defaultPorts(opts: { region?: string; specRegion?: string }): Promise<AwsPorts> {
  const aws = await import('../aws/index.js');
  return aws.createAwsPorts(opts);
}

async function defaultCheckIdentity(region: string): Promise<unknown> {
  const aws = await import('../aws/index.js');
  return aws.getCallerIdentity(region);
}

export interface McpSession {
  server: McpServer;
  deps: ToolDeps;
}

/** Builds one server session (stdio has one; Streamable HTTP has one per client session). */
export function createMcpServer(root: McpServerDeps): McpSession {
  const server = new McpServer(
    { name: SERVER_NAME, version: SERVER_VERSION },
    { capabilities: { logging: {}, tools: {}, resources: {} }, instructions: INSTRUCTIONS },
  );
  const log = root.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const host = new McpHost(server, log, root.debug ?? false);
  const makePorts = root.ports ?? defaultPorts;
  const checkIdentity = root.checkIdentity ?? defaultCheckIdentity;
  const checked = new Set<string>();

  const aws: ToolDeps['aws'] = async (opts = {}) => {
    const ports = await makePorts({ region: opts.region ?? root.region, specRegion: opts.specRegion });
    if (!checked.has(ports.region)) {
      await checkIdentity(ports.region);
      checked.add(ports.region);
    }
    return ports;
  };

  const deps: ToolDeps = {
    server,
    allowWrite: root.allowWrite,
    region: root.region,
    host,
    plans: new PlanStore(),
    log,
    aws,
    service: (opts = {}) => ({
      host:
        opts.signal === undefined && opts.onEvent === undefined
          ? host
          : {
              emit: (e) => {
                host.emit(e);
                opts.onEvent?.(e);
              },
              confirm: (q, d) => host.confirm(q, d),
              signal: opts.signal,
            },
      ports: (specRegion?: string) => aws({ region: opts.region, specRegion }),
    }),
  };

  registerValidateSpecTool(server, deps);
  registerPlanTool(server, deps);
  registerApplyTool(server, deps);
  registerDriftTool(server, deps);
  registerExportSpecTool(server, deps);
  registerCreateEventSourceMappingTool(server, deps);
  registerUpdateEventSourceMappingTool(server, deps);
  registerDeleteEventSourceMappingTool(server, deps);
  registerListEventSourceMappingsTool(server, deps);
  registerAddMskPermissionsTool(server, deps);
  // kafka tools (registered by the Kafka-tools engineer):
  registerKafkaTools(server, deps);
  registerResources(server);
  return { server, deps };
}
