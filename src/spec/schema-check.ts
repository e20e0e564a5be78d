// Runs schemas/esmctl.schema.json (ajv, all errors) over one parsed document and turns ajv's errors into located
// SpecProblems with plain messages: ranges with both bounds, enums with their values, "did you mean" for unknown keys.

import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { problemAt, type DocContext, type FieldPath } from './locate.js';
import type { SpecProblem } from './problems.js';
import { closest, isSensitiveKey, NOT_FOR_KAFKA, RENAMED } from './suggest.js';

/** Where the published schema lives, relative to this module (same depth from src/spec and dist/spec). */
export const SPEC_SCHEMA_URL = new URL('../../schemas/esmctl.schema.json', import.meta.url);

let compiled: ValidateFunction | undefined;

export function specValidator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(SPEC_SCHEMA_URL, 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

function pointerToPath(pointer: string): FieldPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 60 ? value.slice(0, 57) + '…' : value}"`;
  return String(value);
}

function typeName(t: string): string {
  return t === 'object' ? 'a mapping (key: value)' : t === 'array' ? 'a list' : t === 'integer' ? 'a whole number' : `a ${t}`;
}

/** Keys that sit at the mapping level (mappings[i] or defaults): only there do Kinesis/SQS fields get their own message. */
function isMappingLevel(path: FieldPath): boolean {
  return (path.length === 2 && path[0] === 'mappings' && typeof path[1] === 'number') || (path.length === 1 && path[0] === 'defaults');
}

function unknownKey(ctx: DocContext, parent: FieldPath, key: string, allowed: string[]): SpecProblem {
  const path = [...parent, key];
  const isFilterItem =
    (parent.length === 4 && parent[0] === 'mappings' && parent[2] === 'filters') ||
    (parent.length === 3 && parent[0] === 'defaults' && parent[1] === 'filters');
  if (isFilterItem) {
    return problemAt(
      ctx,
      path,
      {
        code: 'spec.filter-pattern',
        keys: [key],
        allowed: ['value'],
        message: `Kafka event source mappings filter on the record \`value\` only (not \`${key}\`)`,
        hint: 'write the pattern under value:',
      },
      'key',
    );
  }
  const lower = key.toLowerCase();
  const foreign = Object.hasOwn(NOT_FOR_KAFKA, lower) ? NOT_FOR_KAFKA[lower] : undefined;
  if (foreign && isMappingLevel(parent)) {
    return problemAt(
      ctx,
      path,
      {
        code: 'spec.not-for-kafka',
        keys: [key],
        message: `\`${key}\` applies to ${foreign.appliesTo} only; Kafka event source mappings do not support it`,
        hint: 'remove it',
      },
      'key',
    );
  }
  const near = allowed.includes(key) ? undefined : closest(key, allowed);
  const renamed = Object.hasOwn(RENAMED, lower) ? RENAMED[lower] : undefined;
  const suggestion = near ?? (renamed && (isMappingLevel(parent) || !renamed.use.includes('.')) ? renamed.use : undefined);
  const note = !near && renamed?.note ? ` (${renamed.note})` : '';
  return problemAt(
    ctx,
    path,
    {
      code: 'spec.unknown-key',
      keys: [key],
      allowed,
      ...(suggestion ? { suggestion } : {}),
      message: `unknown field \`${key}\`` + (suggestion ? `; did you mean \`${suggestion}\`?${note}` : ''),
      hint: suggestion ? undefined : `allowed here: ${allowed.join(', ')}`,
    },
    'key',
  );
}

function convert(ctx: DocContext, e: ErrorObject): SpecProblem | undefined {
  const path = pointerToPath(e.instancePath);
  const ps = (e.parentSchema ?? {}) as Record<string, unknown>;
  const custom = typeof ps['x-message'] === 'string' ? (ps['x-message'] as string) : undefined;
  const last = path[path.length - 1];
  // values under secret-looking keys are never echoed
  const hidden = path.some((k) => typeof k === 'string' && (isSensitiveKey(k) || /secret/i.test(k)));
  const describe = (v: unknown) => (hidden ? 'a hidden value' : describeValue(v));
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return problemAt(ctx, [...path, missing], { code: 'spec.required', keys: [missing], message: `missing required field \`${missing}\`` }, 'parent');
    }
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      return unknownKey(ctx, path, key, Object.keys((ps.properties as object) ?? {}));
    }
    case 'type': {
      const expected = String((e.params as { type: string }).type);
      const hint =
        expected === 'string' && (typeof e.data === 'number' || typeof e.data === 'boolean')
          ? 'quote the value to make it a string'
          : expected === 'boolean'
            ? 'use true or false'
            : undefined;
      return problemAt(ctx, path, { code: 'spec.type', message: `must be ${typeName(expected)} (got ${describe(e.data)})`, hint });
    }
    case 'minimum':
    case 'maximum': {
      const minimum = ps.minimum as number | undefined;
      const maximum = ps.maximum as number | undefined;
      const range =
        minimum !== undefined && maximum !== undefined
          ? `between ${minimum} and ${maximum}`
          : minimum !== undefined
            ? `at least ${minimum}`
            : `at most ${maximum}`;
      return problemAt(ctx, path, {
        code: 'spec.range',
        minimum,
        maximum,
        message: `must be ${range} (got ${describe(e.data)})`,
      });
    }
    case 'enum': {
      const allowed = (ps.enum as string[]) ?? [];
      const near = typeof e.data === 'string' ? closest(e.data, allowed) : undefined;
      return problemAt(ctx, path, {
        code: 'spec.enum',
        allowed,
        ...(near ? { suggestion: near } : {}),
        message: `must be one of ${allowed.join(', ')} (got ${describe(e.data)})` + (near ? `; did you mean ${near}?` : ''),
      });
    }
    case 'const': {
      const want = String((e.params as { allowedValue: unknown }).allowedValue);
      const code = last === 'apiVersion' ? 'spec.api-version' : last === 'kind' ? 'spec.kind' : 'spec.enum';
      return problemAt(ctx, path, { code, allowed: [want], message: `must be ${want} (got ${describe(e.data)})` });
    }
    case 'pattern':
      return problemAt(ctx, path, { code: 'spec.pattern', message: custom ?? `must match ${String((e.params as { pattern: string }).pattern)}` + ` (got ${describe(e.data)})` });
    case 'anyOf':
    case 'oneOf':
      return problemAt(ctx, path, { code: 'spec.range', message: `${custom ?? 'is not valid here'} (got ${describe(e.data)})` });
    case 'minLength':
    case 'maxLength': {
      const minimum = ps.minLength as number | undefined;
      const maximum = ps.maxLength as number | undefined;
      const propertyName = e.propertyName;
      if (propertyName !== undefined) {
        const range = minimum !== undefined && maximum !== undefined ? `${minimum}–${maximum}` : minimum !== undefined ? `at least ${minimum}` : `at most ${maximum}`;
        return problemAt(ctx, [...path, propertyName], { code: 'spec.length', minimum, maximum, message: `key must be ${range} characters long (got ${propertyName.length})` }, 'key');
      }
      if (custom && typeof e.data === 'string' && e.data.length > 0) return problemAt(ctx, path, { code: 'spec.length', minimum, maximum, message: custom });
      const range = minimum !== undefined && maximum !== undefined ? `${minimum}–${maximum}` : minimum !== undefined ? `at least ${minimum}` : `at most ${maximum}`;
      return problemAt(ctx, path, { code: 'spec.length', minimum, maximum, message: `must be ${range} characters long (got ${String(e.data).length})` });
    }
    case 'minItems':
    case 'maxItems': {
      const minimum = ps.minItems as number | undefined;
      const maximum = ps.maxItems as number | undefined;
      const n = Array.isArray(e.data) ? e.data.length : 0;
      if (n === 0) return problemAt(ctx, path, { code: 'spec.empty', minimum, maximum, message: 'must not be an empty list', hint: 'remove the field or add an item' });
      const range = minimum !== undefined && maximum !== undefined ? `${minimum}–${maximum}` : minimum !== undefined ? `at least ${minimum}` : `at most ${maximum}`;
      return problemAt(ctx, path, { code: 'spec.items', minimum, maximum, message: `must have ${range} items (got ${n})` });
    }
    case 'uniqueItems': {
      const { i, j } = e.params as { i: number; j: number };
      const arr = e.data as unknown[];
      return problemAt(ctx, [...path, i], { code: 'spec.unique-items', message: `repeats ${describe(arr[i])} (also item ${j + 1})` });
    }
    case 'minProperties':
      if (last === 'source')
        return problemAt(ctx, path, {
          code: 'spec.source-missing',
          keys: ['msk', 'bootstrapServers'],
          message: 'needs one of `msk` (an MSK cluster ARN) or `bootstrapServers` (self-managed Kafka brokers)',
        });
      return problemAt(ctx, path, { code: 'spec.empty', message: 'must not be empty', hint: 'remove the field or set one of its keys' });
    case 'maxProperties':
      if (last === 'source')
        return problemAt(ctx, path, {
          code: 'spec.source-both',
          keys: ['msk', 'bootstrapServers'],
          message: 'has both `msk` and `bootstrapServers`; choose one: `msk` for Amazon MSK, `bootstrapServers` for self-managed Kafka',
        });
      return problemAt(ctx, path, { code: 'spec.items', maximum: ps.maxProperties as number, message: `must have at most ${String(ps.maxProperties)} entries` });
    case 'propertyNames':
      return undefined; // its nested error (the key's length) is reported on its own
    default:
      return problemAt(ctx, path, { code: 'spec.type', message: e.message ?? 'is not valid' });
  }
}

/** Schema problems of one document's plain value, located in its YAML. */
export function checkSchema(ctx: DocContext, value: unknown): SpecProblem[] {
  const validate = specValidator();
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  // anyOf/oneOf: report the alternative's own message once, not each failed branch
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath + '/');
  const kept = errors.filter((e) => !alternatives.some((prefix) => e.schemaPath.startsWith(prefix)));
  const out: SpecProblem[] = [];
  const seen = new Set<string>();
  for (const e of kept) {
    const p = convert(ctx, e);
    if (!p) continue;
    const id = `${p.line}:${p.col}:${p.path}:${p.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(p);
  }
  return out;
}
