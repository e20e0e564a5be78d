// The README's ready-to-paste MCP client configurations (Claude Desktop, VS Code, Cursor) start the server: each
// block is parsed from README.md, its path filled in, and a real MCP Client spawns exactly that command and lists tools.

import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from './cli-harness.js';

interface ServerEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('### Client configuration'), readme.indexOf('### Tools'));
const blocks = [...section.matchAll(/\*\*([^*]+)\*\*[^\n]*\n+```json\n([\s\S]*?)```/g)].map((m) => {
  const json = JSON.parse(m[2]) as { mcpServers?: Record<string, ServerEntry>; servers?: Record<string, ServerEntry> };
  return { client: m[1].trim(), entry: (json.mcpServers ?? json.servers)!.esmctl };
});

describe('README MCP client configuration', () => {
  beforeAll(() => ensureBuilt());

  it('has a block for each client', () => {
    expect(blocks.map((b) => b.client)).toEqual(['Claude Desktop', 'VS Code', 'Cursor']);
  });

  it.each(blocks)('$client: the configured command starts the server and lists its tools', async ({ entry }) => {
    const args = entry.args.map((a) => a.replace('/path/to/esmctl', ROOT));
    const transport = new StdioClientTransport({
      command: entry.command === 'node' ? process.execPath : entry.command,
      args,
      // as the client would pass it, with no AWS files of this machine; start-up must make no AWS call
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...entry.env,
        AWS_CONFIG_FILE: join(tmpdir(), 'esmctl-test-no-aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'esmctl-test-no-aws-credentials'),
      },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'readme-config-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['plan', 'apply', 'validate_spec', 'create_event_source_mapping', 'test_kafka_connection']));
    } finally {
      await client.close();
    }
  });
});
