// `esmctl mcp`: starts the MCP server for AI agents on stdio (and Streamable HTTP on 127.0.0.1 with --http).
// Read-only unless --allow-write or ESMCTL_ALLOW_WRITE=true; the server module is imported only when it runs.

import { Command, InvalidArgumentError } from 'commander';

function parseInteger(what: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${what} must be a whole number from ${min} to ${max} (got '${value}').`);
    }
    return n;
  };
}

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description('start the MCP server for AI agents on stdio (read-only unless --allow-write)')
    .option('--allow-write', 'enable the tools that change AWS (apply, create/update/delete, add_msk_permissions); also ESMCTL_ALLOW_WRITE=true')
    .option('--http <port>', 'also serve MCP Streamable HTTP on http://127.0.0.1:PORT/mcp (0 picks a free port)', parseInteger('--http', 0, 65535))
    .option('--idle-timeout <seconds>', 'exit after this many seconds without a request (0 disables)', parseInteger('--idle-timeout', 0, 31_536_000), 3600)
    .option('--region <region>', 'AWS region when a tool call and its spec name none (default: AWS_REGION or the profile)')
    .action(async (opts: { allowWrite?: boolean; http?: number; idleTimeout: number; region?: string }) => {
      const { runMcpServer } = await import('../../mcp/run.js');
      const envWrite = (process.env.ESMCTL_ALLOW_WRITE ?? '').toLowerCase();
      await runMcpServer({
        allowWrite: opts.allowWrite === true || envWrite === 'true' || envWrite === '1',
        region: opts.region,
        httpPort: opts.http,
        idleTimeoutSeconds: opts.idleTimeout,
        debug: program.opts().debug === true,
      });
    });
}
