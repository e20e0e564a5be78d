// Spec problems as data: a code with its facts and a position (file:line:col + field path), and the formatter
// that prints them as `file:line:col: path: message` with a caret excerpt of the offending line.

import pc from 'picocolors';

export type SpecProblemCode =
  | 'yaml.syntax'
  | 'spec.io' // a path cannot be read
  | 'spec.no-specs' // nothing to load under the given paths
  | 'spec.not-a-spec' // an explicitly named file holds a document that is not an esmctl spec
  | 'spec.api-version'
  | 'spec.kind'
  | 'spec.required'
  | 'spec.unknown-key'
  | 'spec.not-for-kafka'
  | 'spec.type'
  | 'spec.range'
  | 'spec.enum'
  | 'spec.pattern'
  | 'spec.length'
  | 'spec.items'
  | 'spec.unique-items'
  | 'spec.empty'
  | 'spec.source-both'
  | 'spec.source-missing'
  | 'spec.needs-provisioned'
  | 'spec.pollers-min-max'
  | 'spec.timestamp-without-at-timestamp'
  | 'spec.at-timestamp-without-timestamp'
  | 'spec.timestamp-future'
  | 'spec.timestamp-invalid'
  | 'spec.on-failure-source-topic'
  | 'spec.auth-for-source'
  | 'spec.auth-secret-required'
  | 'spec.auth-secret-unused'
  | 'spec.msk-scram-secret-name'
  | 'spec.root-ca-for-msk'
  | 'spec.vpc-for-msk'
  | 'spec.region-mismatch'
  | 'spec.cross-account-cluster'
  | 'spec.registry-access-for-glue'
  | 'spec.filter-pattern'
  | 'spec.reserved-tag'
  | 'spec.duplicate-name'
  | 'spec.duplicate-mapping'
  | 'spec.duplicate-consumer-group'
  | 'spec.set-region-conflict';

/** One problem in a spec. Facts (allowed, minimum, keys …) are set per code; `source`/`span` drive the excerpt. */
export interface SpecProblem {
  code: SpecProblemCode;
  file: string;
  /** 1-based; 0 when the problem has no position (e.g. an unreadable path). */
  line: number;
  col: number;
  /** Dotted field path, e.g. `mappings[0].batchSize`; empty for whole-file problems. */
  path: string;
  message: string;
  hint?: string;
  // ── facts ──
  /** The key or keys concerned (unknown key, both source kinds, the two duplicate mappings …). */
  keys?: string[];
  allowed?: Array<string | number>;
  minimum?: number;
  maximum?: number;
  suggestion?: string;
  // ── excerpt (never holds secret values: sensitive values are masked) ──
  /** The text of the offending line. */
  source?: string;
  /** Caret width at `col`. */
  span?: number;
}

export type SpecProblemJson = Omit<SpecProblem, 'source' | 'span'>;

/** Problems without the excerpt fields, for --json and MCP. */
export function problemsToJson(problems: SpecProblem[]): SpecProblemJson[] {
  return problems.map(({ source: _s, span: _p, code, file, line, col, path, message, hint, ...facts }) => ({
    code,
    file,
    line,
    col,
    path,
    message,
    ...(hint !== undefined ? { hint } : {}),
    ...facts,
  }));
}

export function compareProblems(a: SpecProblem, b: SpecProblem): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** Longer source lines are shown as a window around the caret. */
const MAX_EXCERPT = 120;

/** `file:line:col: path: message`, then the line with a caret under the offending text and the hint. */
export function formatProblems(problems: SpecProblem[], opts: { color?: boolean } = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const out: string[] = [];
  for (const p of problems) {
    const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file;
    const path = p.path ? `${c.bold(p.path)}: ` : '';
    out.push(`${c.cyan(where)}: ${path}${c.red(p.message)}`);
    if (p.source !== undefined && p.line > 0) {
      const gutter = String(p.line);
      const pad = ' '.repeat(gutter.length);
      let text = p.source.replace(/\t/g, ' ');
      let caretCol = Math.max(1, Math.min(p.col, text.length + 1));
      if (text.length > MAX_EXCERPT) {
        // show a window around the caret: …text…
        const start = Math.max(0, Math.min(caretCol - 1 - 20, text.length - MAX_EXCERPT));
        const end = start + MAX_EXCERPT;
        text = (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
        caretCol = caretCol - start + (start > 0 ? 1 : 0);
      }
      out.push(`  ${c.dim(gutter + ' |')} ${text}`);
      const width = Math.max(1, Math.min(p.span ?? 1, text.length - caretCol + 1 || 1));
      out.push(`  ${c.dim(pad + ' |')} ${' '.repeat(caretCol - 1)}${c.red('^'.repeat(width))}`);
    }
    if (p.hint) out.push(`  ${c.dim('hint:')} ${p.hint}`);
  }
  return out.join('\n') + (out.length ? '\n' : '');
}
