// Helpers for the MCP integration tests: a real MCP Client over StdioClientTransport spawning the built
// `node bin/esmctl.js mcp …` with an explicit environment, and a raw JSON-RPC child for stdout inspection.

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, type CallToolResult, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { BIN, ROOT, ensureBuilt } from './cli-harness.js';

export { ensureBuilt };

/** Exactly what the server process gets: the transport passes only a few variables on its own. */
export function mcpEnv(awsEnv: Record<string, string>, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_CONFIG_FILE: join(tmpdir(), 'esmctl-test-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'esmctl-test-no-aws-credentials'),
    ...awsEnv,
    ...extra,
  };
}

export interface McpConnection {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
  close(): Promise<void>;
  /** tools/call, returning the result with structuredContent typed loosely. */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult & { structuredContent?: Record<string, any> }>;
}

export interface ConnectOptions {
  args?: string[];
  env: Record<string, string>;
  /** Answer elicitation requests (the client then declares form elicitation). */
  onElicit?: (message: string, schema: unknown) => ElicitResult | Promise<ElicitResult>;
}

export async function connectMcp(opts: ConnectOptions): Promise<McpConnection> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', ...(opts.args ?? [])],
    env: opts.env,
    cwd: ROOT,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const client = new Client(
    { name: 'esmctl-test', version: '0.0.0' },
    opts.onElicit ? { capabilities: { elicitation: { form: {} } } } : { capabilities: {} },
  );
  if (opts.onElicit) {
    const answer = opts.onElicit;
    client.setRequestHandler(ElicitRequestSchema, async (req) => answer(req.params.message, (req.params as { requestedSchema?: unknown }).requestedSchema));
  }
  await client.connect(transport);
  return {
    client,
    transport,
    stderr: () => stderr,
    close: () => client.close(),
    call: async (name, args = {}) =>
      (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as CallToolResult & { structuredContent?: Record<string, any> },
  };
}

/** An HTTP endpoint that answers every request with a 500 and counts them (proves "no AWS call"). */
export async function countingEndpoint(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server: Server = createServer((_req, res) => {
    n++;
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"counting endpoint"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, count: () => n, close: () => new Promise((r) => server.close(() => r())) };
}

/** A raw child speaking newline-delimited JSON-RPC, with every stdout and stderr byte kept. */
export interface RawServer {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  send(msg: Record<string, unknown>): void;
  /** Resolves with the response to request `id`. */
  response(id: number, timeoutMs?: number): Promise<Record<string, any>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

export function spawnRaw(args: string[], env: Record<string, string>): RawServer {
  const child = spawn(process.execPath, [BIN, 'mcp', ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters = new Map<number, (m: Record<string, any>) => void>();
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    pending += d;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      try {
        const msg = JSON.parse(line) as Record<string, any>;
        if (typeof msg.id === 'number' && waiters.has(msg.id)) waiters.get(msg.id)!(msg);
      } catch {
        // not JSON: the test that reads stdout() fails on it
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((r) =>
    child.on('exit', (code, signal) => r({ code, signal, at: Date.now() })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    send: (msg) => child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`),
    response: (id, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no response to ${id}; stderr:\n${err}`)), timeoutMs);
        waiters.set(id, (m) => {
          clearTimeout(t);
          resolve(m);
        });
      }),
    exited,
  };
}

export const INITIALIZE = {
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-test', version: '0' } },
};
