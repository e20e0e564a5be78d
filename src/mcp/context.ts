// What every MCP tool receives: the server options, the session's host and plan store, the AWS ports factory
// (identity checked once, SDK loaded lazily) and the read-only gate. Built once per session by createMcpServer.

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { EsmctlEvent, IoHost } from '../core/events.js';
import type { AwsPorts } from '../core/ports.js';
import type { McpHost } from './host.js';
import type { PlanStore } from './plan-store.js';
import { failure, type ToolResult } from './results.js';

/** What the root (the CLI command or a test) hands to createMcpServer. */
export interface McpServerDeps {
  /** Mutating tools run only when true (`--allow-write` or ESMCTL_ALLOW_WRITE=true). */
  allowWrite: boolean;
  /** `--region`: used when a tool call names no region and the spec has none. */
  region?: string;
  /** Builds AWS ports; default: src/aws createAwsPorts, imported lazily. */
  ports?: (opts: { region?: string; specRegion?: string }) => Promise<AwsPorts>;
  /** Checks credentials once (STS GetCallerIdentity); default: src/aws getCallerIdentity, imported lazily. */
  checkIdentity?: (region: string) => Promise<unknown>;
  /** One line to stderr. */
  log?: (line: string) => void;
  /** Forward engine debug events to stderr too. */
  debug?: boolean;
}

/** The per-session context every tool registrar receives. */
export interface ToolDeps {
  server: McpServer;
  allowWrite: boolean;
  region?: string;
  host: McpHost;
  plans: PlanStore;
  log: (line: string) => void;
  /** AWS ports for a region (tool param, else --region, else the spec's, else the environment). */
  aws(opts?: { region?: string; specRegion?: string }): Promise<AwsPorts>;
  /**
   * The service layer's deps for one tool call: the session's host (with the call's cancellation signal, so a
   * cancelled apply starts nothing new) and AWS ports for the call's region.
   */
  service(opts?: { region?: string; signal?: AbortSignal; onEvent?: (e: EsmctlEvent) => void }): {
    host: IoHost;
    ports: (region?: string) => Promise<AwsPorts>;
  };
}

/** The refusal a mutating tool returns on a read-only server, or undefined when writing is allowed. */
export function refuseIfReadOnly(deps: ToolDeps, tool: string, what: string): ToolResult | undefined {
  if (deps.allowWrite) return undefined;
  return failure(
    'mcp.read_only',
    `${tool} would ${what}, and this esmctl MCP server is read-only.`,
    'Restart the server with `esmctl mcp --allow-write` (or set ESMCTL_ALLOW_WRITE=true in its environment) to enable changes. Read-only tools (validate_spec, plan, drift, export_spec, list_event_source_mappings) work now.',
  );
}
