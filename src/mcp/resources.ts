// MCP resources for agents writing specs: the spec language's JSON Schema and a reference page built from
// the README's spec section and the schema's own field descriptions. Read from the package at request time.

import { readFile } from 'node:fs/promises';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export const SCHEMA_URI = 'esmctl://schema/esmctl.schema.json';
export const REFERENCE_URI = 'esmctl://docs/spec-reference';

// dist/mcp/resources.js and src/mcp/resources.ts both sit two levels below the package root.
const PACKAGE_ROOT = new URL('../../', import.meta.url);

async function readPackageFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(new URL(path, PACKAGE_ROOT), 'utf8');
  } catch {
    return undefined;
  }
}

type SchemaNode = {
  description?: string;
  type?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  $ref?: string;
  required?: string[];
  $defs?: Record<string, SchemaNode>;
  definitions?: Record<string, SchemaNode>;
};

/** One line per described field, walking properties (and $refs once) from the root. */
export function describeSchema(schema: SchemaNode): string[] {
  const defs = { ...(schema.definitions ?? {}), ...(schema.$defs ?? {}) };
  const lines: string[] = [];
  const seen = new Set<string>();
  const resolve = (node: SchemaNode): SchemaNode => {
    const ref = node.$ref;
    if (ref === undefined) return node;
    const name = ref.split('/').pop() ?? '';
    if (seen.has(name)) return {};
    seen.add(name);
    return defs[name] ?? {};
  };
  const walk = (node: SchemaNode, path: string, depth: number) => {
    if (depth > 8) return;
    const n = resolve(node);
    for (const [key, child0] of Object.entries(n.properties ?? {})) {
      const child = child0.$ref !== undefined ? { ...defs[child0.$ref.split('/').pop() ?? ''], ...child0 } : child0;
      const p = path === '' ? key : `${path}.${key}`;
      const facts: string[] = [];
      if (n.required?.includes(key)) facts.push('required');
      if (typeof child.type === 'string') facts.push(child.type);
      if (child.enum !== undefined) facts.push(`one of ${child.enum.map((v) => JSON.stringify(v)).join(', ')}`);
      if (child.minimum !== undefined || child.maximum !== undefined) facts.push(`range ${child.minimum ?? '…'}–${child.maximum ?? '…'}`);
      lines.push(`- \`${p}\`${facts.length ? ` (${facts.join('; ')})` : ''}${child.description ? `: ${child.description}` : ''}`);
      walk(child, p, depth + 1);
      if (child.items !== undefined) walk(child.items, `${p}[]`, depth + 1);
    }
  };
  walk(schema, '', 0);
  return lines;
}

/** The markdown reference: the README's spec section, then every schema field with its description. */
export async function specReference(): Promise<string> {
  const readme = (await readPackageFile('README.md')) ?? '';
  const match = /<!-- section:spec -->([\s\S]*?)<!-- \/section:spec -->/.exec(readme);
  const guide = match?.[1]?.trim() ?? '';
  const schemaText = await readPackageFile('schemas/esmctl.schema.json');
  const fields = schemaText === undefined ? [] : describeSchema(JSON.parse(schemaText) as SchemaNode);
  return [
    '# esmctl spec language reference',
    '',
    guide === '' ? '(The README section on the spec language is not available in this installation.)' : guide,
    '',
    '## Every field (from schemas/esmctl.schema.json)',
    '',
    ...(fields.length ? fields : ['(schema not found)']),
    '',
  ].join('\n');
}

export function registerResources(server: McpServer): void {
  server.registerResource(
    'spec-schema',
    SCHEMA_URI,
    {
      title: 'esmctl spec JSON Schema',
      description: 'The JSON Schema of esmctl spec files (apiVersion esmctl/v1): every field, type, enum and range, with descriptions.',
      mimeType: 'application/schema+json',
    },
    async (uri) => {
      const text = await readPackageFile('schemas/esmctl.schema.json');
      return { contents: [{ uri: uri.href, mimeType: 'application/schema+json', text: text ?? '{}' }] };
    },
  );
  server.registerResource(
    'spec-reference',
    REFERENCE_URI,
    {
      title: 'esmctl spec language reference',
      description: 'How to write an esmctl spec: the guide from the README and every field of the schema with its meaning. Read before writing a spec for plan/validate_spec.',
      mimeType: 'text/markdown',
    },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: await specReference() }] }),
  );
}
