// Source positions for spec problems: one parsed YAML document with its line counter, and the lookup from a
// field path to file:line:col (the value, the key, or — for a missing field — the parent), masking secret values.

import { isMap, isPair, isScalar, type Document, type LineCounter, type Node } from 'yaml';
import type { SpecProblem } from './problems.js';
import { isSensitiveKey } from './suggest.js';

export type FieldPath = Array<string | number>;

/** One YAML document of one file, with what is needed to point into it. */
export interface DocContext {
  file: string;
  lines: string[];
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

/** `mappings[0].source.bootstrapServers[1]` */
export function renderPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

export interface Position {
  line: number;
  col: number;
  span: number;
}

function nodeAt(ctx: DocContext, path: FieldPath): Node | undefined {
  if (path.length === 0) return (ctx.doc.contents as Node | null) ?? undefined;
  const n = ctx.doc.getIn(path, true) as Node | undefined;
  return n && typeof n === 'object' ? n : undefined;
}

function keyNodeAt(ctx: DocContext, path: FieldPath): Node | undefined {
  const parent = nodeAt(ctx, path.slice(0, -1));
  const last = path[path.length - 1];
  if (!isMap(parent)) return undefined;
  for (const item of parent.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(last)) return item.key;
  }
  return undefined;
}

function positionOf(ctx: DocContext, node: Node, whole: boolean): Position {
  const range = node.range ?? [0, 0, 0];
  const { line, col } = ctx.lineCounter.linePos(range[0]);
  const lineText = ctx.lines[line - 1] ?? '';
  let span = 1;
  if (whole || isScalar(node)) {
    const end = isScalar(node) ? range[1] : range[0] + 1;
    span = Math.max(1, Math.min(end - range[0], lineText.length - col + 1));
  }
  return { line, col, span };
}

/**
 * Where a field is. `value`: the value node (falls back to the key, then to the nearest existing parent);
 * `key`: the key node; `parent`: the parent node (a missing field points at its parent's line).
 */
export function locate(ctx: DocContext, path: FieldPath, mode: 'value' | 'key' | 'parent' = 'value'): Position {
  if (mode === 'key') {
    const k = keyNodeAt(ctx, path);
    if (k) return positionOf(ctx, k, true);
  }
  if (mode === 'value') {
    const n = nodeAt(ctx, path);
    if (n && (isScalar(n) || n.range)) {
      // a scalar points at itself; a collection at its key when it has one (the line a person reads)
      if (isScalar(n)) return positionOf(ctx, n, true);
      const k = keyNodeAt(ctx, path);
      return positionOf(ctx, k ?? n, true);
    }
  }
  for (let i = mode === 'parent' ? path.length - 1 : path.length; i >= 0; i--) {
    const p = path.slice(0, i);
    const n = nodeAt(ctx, p);
    if (n) return positionOf(ctx, (p.length > 0 && !isScalar(n) && keyNodeAt(ctx, p)) || n, false);
  }
  return { line: 1, col: 1, span: 1 };
}

/** The text of a line, with the value masked when the line's key looks like it holds a secret. */
export function excerptLine(ctx: DocContext, line: number): string {
  const text = ctx.lines[line - 1] ?? '';
  return maskSecrets(text);
}

export type ProblemInit = Omit<SpecProblem, 'file' | 'line' | 'col' | 'source' | 'span' | 'path'>;

/** A problem at a field of a document. */
export function problemAt(
  ctx: DocContext,
  path: FieldPath,
  init: ProblemInit,
  mode: 'value' | 'key' | 'parent' = 'value',
  shownPath: FieldPath = path,
): SpecProblem {
  const pos = locate(ctx, path, mode);
  return {
    ...init,
    file: ctx.file,
    line: pos.line,
    col: pos.col,
    path: renderPath(shownPath),
    source: excerptLine(ctx, pos.line),
    span: pos.span,
  };
}

/** Masks the value after every `key:` on a line whose key looks like it holds a secret (block or flow style). */
export function maskSecrets(text: string): string {
  return text.replace(
    /(["']?)([A-Za-z0-9_.-]+)\1(\s*:[ \t]+)([^,}\]#]*[^,}\]#\s])/g,
    (all, q: string, key: string, sep: string, value: string) =>
      isSensitiveKey(key) || (/secret/i.test(key) && !/^["']?arn:/.test(value)) ? `${q}${key}${q}${sep}****` : all,
  );
}
