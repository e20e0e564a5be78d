// Runs the MCP server: stdio always (stdout carries JSON-RPC only: console and stray stdout writes go to stderr),
// Streamable HTTP on 127.0.0.1 with --http, and the idle clock that every request and response resets.

import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpServerDeps } from './context.js';
import { startIdleClock, type IdleClock } from './idle.js';
import { createMcpServer, type McpSession } from './server.js';

export interface RunMcpOptions {
  allowWrite: boolean;
  region?: string;
  /** Also serve Streamable HTTP on 127.0.0.1:PORT (0 picks a free port). */
  httpPort?: number;
  /** Seconds without a request before exiting; 0 disables. */
  idleTimeoutSeconds: number;
  debug?: boolean;
}

const stderrLine = (line: string) => void process.stderr.write(`${line}\n`);

/** Keeps stdout for the protocol: anything else that writes to stdout or console lands on stderr. */
function reserveStdout(): NodeJS.WritableStream {
  const stdout = process.stdout;
  const realWrite = stdout.write.bind(stdout);
  const protocolOut = {
    write: (chunk: string | Uint8Array) => realWrite(chunk),
    once: (event: string, listener: () => void) => stdout.once(event, listener),
    on: (event: string, listener: () => void) => stdout.on(event, listener),
  } as unknown as NodeJS.WritableStream;
  stdout.write = ((chunk: string | Uint8Array, encoding?: unknown, cb?: unknown) =>
    (process.stderr.write as (...a: unknown[]) => boolean)(chunk, encoding, cb)) as typeof stdout.write;
  for (const method of ['log', 'info', 'debug'] as const) console[method] = console.error;
  return protocolOut;
}

/** Resets the idle clock on every message in either direction. */
function watch(transport: Transport, idle: IdleClock): void {
  const onmessage = transport.onmessage;
  transport.onmessage = (message, extra) => {
    idle.touch();
    onmessage?.(message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    idle.touch();
    return send(message, options);
  };
}

function rootDeps(opts: RunMcpOptions): McpServerDeps {
  return { allowWrite: opts.allowWrite, region: opts.region, log: stderrLine, debug: opts.debug };
}

/** Starts the server and resolves once it is listening; the process exits on idle, stdin end or a signal. */
export async function runMcpServer(opts: RunMcpOptions): Promise<{ httpPort?: number }> {
  const protocolOut = reserveStdout();
  const sessions: McpSession[] = [];
  let httpServer: HttpServer | undefined;
  let stopping = false;

  const shutdown = async (line: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    idle.stop();
    stderrLine(line);
    httpServer?.close();
    await Promise.allSettled(sessions.map((s) => s.server.close()));
    process.exit(code);
  };

  const idle = startIdleClock(opts.idleTimeoutSeconds, () => {
    void shutdown(`esmctl mcp: no request for ${opts.idleTimeoutSeconds} s; shutting down.`);
  });

  const stdio = createMcpServer(rootDeps(opts));
  sessions.push(stdio);
  const stdioTransport = new StdioServerTransport(process.stdin, protocolOut as never);
  await stdio.server.connect(stdioTransport);
  watch(stdioTransport, idle);
  process.stdin.on('end', () => void shutdown('esmctl mcp: stdin closed; shutting down.'));
  // A stray rejection (a socket closing late, say) is logged, not allowed to take the session down.
  process.on('unhandledRejection', (reason) => stderrLine(`esmctl mcp: warning: unhandled rejection: ${(reason as Error)?.message ?? String(reason)}`));
  process.on('SIGINT', () => void shutdown('esmctl mcp: interrupted; shutting down.', 130));
  process.on('SIGTERM', () => void shutdown('esmctl mcp: terminated; shutting down.', 143));

  let httpPort: number | undefined;
  if (opts.httpPort !== undefined) {
    const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
    const byId = new Map<string, InstanceType<typeof StreamableHTTPServerTransport>>();
    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      idle.touch();
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      // DNS-rebinding and cross-site protection: only this loopback address, by name or number.
      const local = [`127.0.0.1:${httpPort}`, `localhost:${httpPort}`];
      const origin = req.headers.origin;
      if (!local.includes(req.headers.host ?? '') || (origin !== undefined && !local.some((h) => origin === `http://${h}`))) {
        res.writeHead(403, { 'content-type': 'application/json' }).end(
          JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Forbidden: esmctl mcp only answers http://127.0.0.1 and http://localhost' }, id: null }),
        );
        return;
      }
      if (url.pathname !== '/mcp') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found: use /mcp' }));
        return;
      }
      const sessionId = req.headers['mcp-session-id'];
      let transport = typeof sessionId === 'string' ? byId.get(sessionId) : undefined;
      if (transport === undefined) {
        if (req.method !== 'POST' || sessionId !== undefined) {
          res.writeHead(404, { 'content-type': 'application/json' }).end(
            JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }),
          );
          return;
        }
        const session = createMcpServer(rootDeps(opts));
        const forget = (id: string | undefined) => {
          if (id !== undefined) byId.delete(id);
          const i = sessions.indexOf(session);
          if (i >= 0) sessions.splice(i, 1);
        };
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => void byId.set(id, created),
          onsessionclosed: (id) => forget(id),
        });
        created.onclose = () => forget(created.sessionId);
        sessions.push(session);
        await session.server.connect(created);
        watch(created, idle);
        transport = created;
      }
      await transport.handleRequest(req, res);
    };
    httpServer = createServer((req, res) => {
      handle(req, res).catch((e: unknown) => {
        stderrLine(`esmctl mcp: http: ${(e as Error).message}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      httpServer!.once('error', reject);
      httpServer!.listen(opts.httpPort, '127.0.0.1', () => resolve());
    });
    const address = httpServer.address();
    httpPort = typeof address === 'object' && address !== null ? address.port : opts.httpPort;
    stderrLine(`esmctl mcp: Streamable HTTP on http://127.0.0.1:${httpPort}/mcp`);
  }
  stderrLine(
    `esmctl mcp: ready on stdio (${opts.allowWrite ? 'read-write' : 'read-only'}; idle timeout ${opts.idleTimeoutSeconds > 0 ? `${opts.idleTimeoutSeconds} s` : 'off'}).`,
  );
  return { httpPort };
}
