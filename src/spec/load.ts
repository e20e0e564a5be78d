// The spec loader: files, directories and multi-document YAML -> schema check -> `defaults` merged -> semantic
// rules -> typed MappingSets. Every problem is returned located (never thrown); same-named sets merge across files.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { DesiredMapping, KafkaSource, MappingSet } from '../core/types.js';
import { locate, problemAt, type DocContext, type FieldPath } from './locate.js';
import { compareProblems, type SpecProblem } from './problems.js';
import { MappingChecker, type MergedMapping } from './rules.js';
import { checkSchema } from './schema-check.js';
import { MAPPING_PROPERTIES, type MappingKey } from './schema-source.js';

export interface SpecLoadResult {
  /** The sets read. Only trustworthy when `problems` is empty. */
  sets: MappingSet[];
  /** Every problem found, sorted by file, line, column. */
  problems: SpecProblem[];
}

export interface SpecLoadOptions {
  /** "Now" for the not-in-the-future check of starting timestamps (default: the wall clock). */
  now?: Date;
}

interface LoadedMapping {
  merged: MergedMapping;
  desired?: DesiredMapping;
}

interface LoadedDoc {
  ctx: DocContext;
  setName?: string;
  region?: string;
  mappings: LoadedMapping[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The optional DesiredMapping fields copied as written, in a stable order. */
const OPTIONAL_KEYS = (Object.keys(MAPPING_PROPERTIES) as MappingKey[]).filter(
  (k) => !['name', 'function', 'source', 'topic', 'permissions'].includes(k),
) as Array<Exclude<MappingKey, 'name' | 'function' | 'source' | 'topic' | 'permissions'>>;

function toSource(v: unknown): KafkaSource | undefined {
  if (!isObject(v)) return undefined;
  if (typeof v.msk === 'string' && v.bootstrapServers === undefined) return { kind: 'msk', arn: v.msk };
  if (Array.isArray(v.bootstrapServers) && v.msk === undefined)
    return { kind: 'self-managed', bootstrapServers: v.bootstrapServers.map(String) };
  return undefined;
}

function looksLikeSpec(js: unknown): boolean {
  return (
    isObject(js) &&
    typeof js.apiVersion === 'string' &&
    js.apiVersion.startsWith('esmctl/') &&
    (js.kind === undefined || js.kind === 'MappingSet')
  );
}

/** Parse one file's text into documents and their problems. `explicit`: the user named this file. */
function parseFile(text: string, file: string, explicit: boolean, now: Date): { docs: LoadedDoc[]; problems: SpecProblem[] } {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, merge: true, uniqueKeys: true });
  const lines = text.split(/\r?\n/);
  const docs: LoadedDoc[] = [];
  const problems: SpecProblem[] = [];
  const list = Array.isArray(parsed) ? parsed : [];
  for (const doc of list) {
    const ctx: DocContext = { file, lines, doc, lineCounter };
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const [start] = err.linePos ?? [{ line: 1, col: 1 }];
        const message =
          err.code === 'DUPLICATE_KEY'
            ? 'duplicate key: each key may appear only once in a mapping'
            : `YAML syntax error: ${err.message.split(/ at line \d+, column \d+/)[0].split('\n')[0]}`;
        problems.push({ code: 'yaml.syntax', file, line: start.line, col: start.col, path: '', message, source: lines[start.line - 1] ?? '', span: 1 });
      }
      continue;
    }
    if (doc.contents === null) continue; // an empty document (e.g. a trailing ---)
    let js: unknown;
    try {
      js = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      // e.g. an alias bomb (too many alias expansions)
      const first = problemAt(ctx, [], { code: 'yaml.syntax', message: `YAML error: ${(e as Error).message.split('\n')[0]}` });
      problems.push(first);
      continue;
    }
    if (!looksLikeSpec(js)) {
      if (!explicit) continue; // a directory may hold other YAML (CI workflows, seeds): only esmctl specs are read
      const claimsEsmctl = isObject(js) && ((typeof js.apiVersion === 'string' && js.apiVersion.startsWith('esmctl/')) || js.kind === 'MappingSet');
      if (!claimsEsmctl) {
        const what = isObject(js) && typeof js.apiVersion === 'string' ? ` (apiVersion: ${js.apiVersion}${typeof js.kind === 'string' ? `, kind: ${js.kind}` : ''})` : '';
        problems.push(
          problemAt(ctx, [], {
            code: 'spec.not-a-spec',
            message: `this document is not an esmctl spec${what}; it needs apiVersion: esmctl/v1 and kind: MappingSet`,
          }),
        );
        continue;
      }
    }
    const schemaProblems = checkSchema(ctx, js);
    problems.push(...schemaProblems);
    if (!isObject(js)) continue;
    const schemaLines = new Set(schemaProblems.map((p) => p.line));

    const meta = isObject(js.metadata) ? js.metadata : {};
    const setName = typeof meta.name === 'string' ? meta.name : undefined;
    const loaded: LoadedDoc = { ctx, setName, region: typeof meta.region === 'string' ? meta.region : undefined, mappings: [] };
    const defaults = isObject(js.defaults) ? js.defaults : {};
    const items = Array.isArray(js.mappings) ? js.mappings : [];
    items.forEach((item, index) => {
      if (!isObject(item)) return;
      const value: Record<string, unknown> = {};
      const origin: Record<string, FieldPath> = {};
      for (const [k, v] of Object.entries(defaults)) {
        if (Object.hasOwn(MAPPING_PROPERTIES, k) && k !== 'name' && !Object.hasOwn(item, k)) {
          value[k] = structuredClone(v);
          origin[k] = ['defaults', k];
        }
      }
      for (const [k, v] of Object.entries(item)) {
        if (Object.hasOwn(MAPPING_PROPERTIES, k)) {
          value[k] = v;
          origin[k] = ['mappings', index, k];
        }
      }
      const merged: MergedMapping = { ctx, index, itemPath: ['mappings', index], value, origin };
      const semantic = new MappingChecker(merged, now, loaded.region).run().filter((p) => !schemaLines.has(p.line));
      problems.push(...semantic);
      loaded.mappings.push({ merged, desired: setName ? buildDesired(merged, setName) : undefined });
    });
    docs.push(loaded);
  }
  return { docs, problems };
}

function buildDesired(m: MergedMapping, set: string): DesiredMapping | undefined {
  const v = m.value;
  const source = toSource(v.source);
  if (typeof v.name !== 'string' || typeof v.function !== 'string' || typeof v.topic !== 'string' || !source) return undefined;
  const pos = locate(m.ctx, [...m.itemPath, 'name'], 'key');
  const d: DesiredMapping = {
    set,
    name: v.name,
    address: `${set}/${v.name}`,
    function: v.function,
    source,
    topic: v.topic,
    permissions: v.permissions === 'none' ? 'none' : 'auto',
    location: { file: m.ctx.file, line: pos.line, col: pos.col },
  };
  const target = d as unknown as Record<string, unknown>;
  for (const k of OPTIONAL_KEYS) if (v[k] !== undefined) target[k] = structuredClone(v[k]);
  return d;
}

/** The other mapping's name, or its address when it belongs to another set. */
function label(other: DesiredMapping, d: DesiredMapping): string {
  return other.set === d.set ? other.name : other.address;
}

function sourceKey(s: KafkaSource): string {
  return s.kind === 'msk' ? `msk:${s.arn}` : `kafka:${[...s.bootstrapServers].sort().join(',')}`;
}

/** Group documents into sets by name (across files), and run the checks that need the whole set. */
function assemble(docs: LoadedDoc[], problems: SpecProblem[]): SpecLoadResult {
  const bySet = new Map<string, LoadedDoc[]>();
  for (const d of docs) {
    if (d.setName === undefined) continue;
    const list = bySet.get(d.setName) ?? [];
    list.push(d);
    bySet.set(d.setName, list);
  }
  const sets: MappingSet[] = [];
  // AWS refuses a second mapping with the same function + source + topic, or the same source + consumer group,
  // whichever sets they belong to: checked across every set loaded together.
  const byNaturalKey = new Map<string, LoadedMapping>();
  const byGroup = new Map<string, LoadedMapping>();
  for (const [name, group] of bySet) {
    let region: string | undefined;
    let regionDoc: LoadedDoc | undefined;
    for (const d of group) {
      if (d.region === undefined) continue;
      if (region === undefined) {
        region = d.region;
        regionDoc = d;
      } else if (d.region !== region && regionDoc) {
        const first = locate(regionDoc.ctx, ['metadata', 'region']);
        problems.push(
          problemAt(d.ctx, ['metadata', 'region'], {
            code: 'spec.set-region-conflict',
            message: `set \`${name}\` is already in region ${region} (${regionDoc.ctx.file}:${first.line}); one set has one region`,
          }),
        );
      }
    }
    const all = group.flatMap((d) => d.mappings);
    const byName = new Map<string, LoadedMapping>();
    const where = (m: LoadedMapping, path: FieldPath, mode: 'value' | 'key' = 'value') => {
      const p = locate(m.merged.ctx, path, mode);
      return `${m.merged.ctx.file}:${p.line}`;
    };
    for (const lm of all) {
      const v = lm.merged.value;
      const { ctx, itemPath } = lm.merged;
      if (typeof v.name === 'string') {
        const first = byName.get(v.name);
        if (first) {
          problems.push(
            problemAt(ctx, [...itemPath, 'name'], {
              code: 'spec.duplicate-name',
              keys: [v.name],
              message: `duplicate mapping name \`${v.name}\` in set \`${name}\` (first at ${where(first, [...first.merged.itemPath, 'name'])})`,
              hint: 'names are unique within a set: they become the esmctl:mapping tag',
            }),
          );
          continue;
        }
        byName.set(v.name, lm);
      }
      const d = lm.desired;
      if (!d) continue;
      const natural = `${d.function}|${sourceKey(d.source)}|${d.topic}`;
      const twin = byNaturalKey.get(natural);
      if (twin?.desired) {
        problems.push(
          problemAt(ctx, [...itemPath, 'name'], {
            code: 'spec.duplicate-mapping',
            keys: [twin.desired.name, d.name],
            message: `\`${d.name}\` has the same function, source and topic as \`${label(twin.desired, d)}\` (${where(twin, [...twin.merged.itemPath, 'name'])}); AWS allows only one such mapping`,
          }),
        );
      } else byNaturalKey.set(natural, lm);
      if (d.consumerGroupId !== undefined) {
        const groupKey = `${sourceKey(d.source)}|${d.consumerGroupId}`;
        const other = byGroup.get(groupKey);
        if (other?.desired) {
          const origin = lm.merged.origin.consumerGroupId ?? [...itemPath, 'consumerGroupId'];
          problems.push(
            problemAt(ctx, origin, {
              code: 'spec.duplicate-consumer-group',
              keys: [other.desired.name, d.name],
              message: `consumer group \`${d.consumerGroupId}\` on this cluster is already used by \`${label(other.desired, d)}\` (${where(other, [...other.merged.itemPath, 'name'])}); AWS rejects a second mapping in the same group`,
              hint: 'give each mapping its own consumerGroupId',
            }, 'value', [...itemPath, 'consumerGroupId']),
          );
        } else byGroup.set(groupKey, lm);
      }
    }
    const files = [...new Set(group.map((d) => d.ctx.file))];
    const mappings = all.flatMap((m) => (m.desired ? [m.desired] : []));
    sets.push({ apiVersion: 'esmctl/v1', name, ...(region !== undefined ? { region } : {}), files, mappings });
  }
  return { sets, problems: problems.sort(compareProblems) };
}

/** Load one spec text (all its documents). `file` names it in problems. */
export function loadSpecText(text: string, file = '<input>', options: SpecLoadOptions = {}): SpecLoadResult {
  const { docs, problems } = parseFile(text, file, true, options.now ?? new Date());
  const result = assemble(docs, problems);
  if (docs.length === 0 && result.problems.length === 0) {
    result.problems.push({ code: 'spec.no-specs', file, line: 0, col: 0, path: '', message: 'no esmctl spec found (the text is empty)' });
  }
  return result;
}

/**
 * Load files and directories. A directory contributes its *.yaml / *.yml files (not recursive), and from them only
 * documents that declare `apiVersion: esmctl/…`; a file named explicitly must hold only esmctl specs.
 */
export async function loadSpecPaths(paths: string[], options: SpecLoadOptions = {}): Promise<SpecLoadResult> {
  const now = options.now ?? new Date();
  const problems: SpecProblem[] = [];
  const files: Array<{ file: string; explicit: boolean }> = [];
  const seen = new Set<string>();
  const add = (file: string, explicit: boolean) => {
    if (!seen.has(file)) {
      seen.add(file);
      files.push({ file, explicit });
    }
  };
  if (paths.length === 0) {
    problems.push({ code: 'spec.no-specs', file: '.', line: 0, col: 0, path: '', message: 'no spec paths given' });
  }
  for (const p of paths) {
    try {
      const st = await stat(p);
      if (st.isDirectory()) {
        const names = (await readdir(p)).filter((n) => /\.ya?ml$/i.test(n)).sort();
        for (const n of names) add(join(p, n), false);
      } else add(p, true);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push({
        code: 'spec.io',
        file: p,
        line: 0,
        col: 0,
        path: '',
        message: code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code ?? 'error'})`,
      });
    }
  }
  const docs: LoadedDoc[] = [];
  for (const { file, explicit } of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      problems.push({ code: 'spec.io', file, line: 0, col: 0, path: '', message: `cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    const r = parseFile(text, file, explicit, now);
    docs.push(...r.docs);
    problems.push(...r.problems);
  }
  const result = assemble(docs, problems);
  if (docs.length === 0 && result.problems.length === 0) {
    result.problems.push({
      code: 'spec.no-specs',
      file: paths.join(', '),
      line: 0,
      col: 0,
      path: '',
      message: 'no esmctl specs found (documents with apiVersion: esmctl/v1 and kind: MappingSet)',
    });
  }
  return result;
}
