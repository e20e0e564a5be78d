// The JSON Schema and the TypeScript types agree: the committed schemas/esmctl.schema.json is exactly what the typed
// source (src/spec/schema-source.ts, `satisfies Record<keyof …>`) builds, its property sets and enums equal the typed
// lists, and tsc accepts the typed source (so a field added to a type without the schema fails here).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AUTH_PROPERTIES,
  AUTH_TYPES,
  ERROR_HANDLING_PROPERTIES,
  EVENT_RECORD_FORMATS,
  LOG_LEVELS,
  MAPPING_PROPERTIES,
  METRIC_NAMES,
  PERMISSIONS,
  PROVISIONED_POLLERS_PROPERTIES,
  REGISTRY_ACCESS_CONFIG_PROPERTIES,
  SCHEMA_REGISTRY_PROPERTIES,
  STARTING_POSITIONS,
  VPC_PROPERTIES,
  specSchemaText,
} from '../../../src/spec/schema-source.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const committedText = readFileSync(join(ROOT, 'schemas/esmctl.schema.json'), 'utf8');
type S = { properties: Record<string, S>; items: S; enum?: string[]; description?: string };
const schema = JSON.parse(committedText) as S;
const mapping = schema.properties.mappings.items;
const keys = (o: object) => Object.keys(o).sort();

describe('schemas/esmctl.schema.json', () => {
  it('is exactly what the typed source builds (regenerate: npm run build && node dist/spec/write-schema.js)', () => {
    expect(committedText).toBe(specSchemaText());
  });

  it('has the property sets of the TypeScript types', () => {
    expect(keys(mapping.properties)).toEqual(keys(MAPPING_PROPERTIES));
    expect(keys(schema.properties.defaults.properties)).toEqual(keys(MAPPING_PROPERTIES).filter((k) => k !== 'name'));
    expect(keys(mapping.properties.auth.properties)).toEqual(keys(AUTH_PROPERTIES));
    expect(keys(mapping.properties.vpc.properties)).toEqual(keys(VPC_PROPERTIES));
    expect(keys(mapping.properties.provisionedPollers.properties)).toEqual(keys(PROVISIONED_POLLERS_PROPERTIES));
    expect(keys(mapping.properties.errorHandling.properties)).toEqual(keys(ERROR_HANDLING_PROPERTIES));
    expect(keys(mapping.properties.schemaRegistry.properties)).toEqual(keys(SCHEMA_REGISTRY_PROPERTIES));
    expect(keys(mapping.properties.schemaRegistry.properties.accessConfigs.items.properties)).toEqual(keys(REGISTRY_ACCESS_CONFIG_PROPERTIES));
    expect(keys(mapping.properties.source.properties)).toEqual(['bootstrapServers', 'msk']);
  });

  it('has the enums of the TypeScript unions', () => {
    expect(mapping.properties.auth.properties.type.enum).toEqual([...AUTH_TYPES]);
    expect(mapping.properties.startingPosition.enum).toEqual([...STARTING_POSITIONS]);
    expect(mapping.properties.logLevel.enum).toEqual([...LOG_LEVELS]);
    expect(mapping.properties.metrics.items.enum).toEqual([...METRIC_NAMES]);
    expect(mapping.properties.permissions.enum).toEqual([...PERMISSIONS]);
    expect(mapping.properties.schemaRegistry.properties.eventRecordFormat.enum).toEqual([...EVENT_RECORD_FORMATS]);
  });

  it('documents every field (descriptions are the reference docs)', () => {
    const missing: string[] = [];
    const walk = (s: S, path: string) => {
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        if (!v.description) missing.push(`${path}${k}`);
        walk(v, `${path}${k}.`);
        if (v.items?.properties) walk(v.items, `${path}${k}[].`);
      }
    };
    walk(schema, '');
    expect(missing).toEqual([]);
  });

  it('the typed source type-checks against src/core/types.ts (tsc)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'esmctl-schema-tsc-'));
    try {
      const config = join(dir, 'tsconfig.json');
      writeFileSync(
        config,
        JSON.stringify({
          extends: join(ROOT, 'tsconfig.json'),
          compilerOptions: { noEmit: true, rootDir: ROOT, types: [] },
          include: [join(ROOT, 'src/spec/schema-source.ts')],
        }),
      );
      const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', config], { encoding: 'utf8' });
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
