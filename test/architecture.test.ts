// Fails when a module imports across the allowed dependency directions of DESIGN.md:
// core is pure; only aws/ imports the AWS SDK; only kafka/ (and the sandbox) import kafkajs; the sandbox stands apart.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

interface ImportSite {
  file: string; // relative to src/, posix
  line: number;
  spec: string;
  /** For relative imports: the src/ top-level area it lands in (e.g. 'core'). */
  targetArea?: string;
}

function listTs(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return listTs(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT_RE = /(?:^|[^.\w])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function importsOf(file: string): ImportSite[] {
  const text = readFileSync(file, 'utf8');
  const rel = relative(SRC, file).split(sep).join('/');
  const out: ImportSite[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const line = text.slice(0, m.index).split('\n').length;
    let targetArea: string | undefined;
    if (spec.startsWith('.')) {
      const target = relative(SRC, resolve(dirname(file), spec)).split(sep).join('/');
      targetArea = target.startsWith('..') ? '(outside src)' : target.split('/')[0];
    }
    out.push({ file: rel, line, spec, targetArea });
  }
  return out;
}

const SITES = listTs(SRC).flatMap(importsOf);
const areaOf = (s: ImportSite) => s.file.split('/')[0];
const show = (s: ImportSite) => `src/${s.file}:${s.line} imports '${s.spec}'`;

/** Which src/ areas each area may import (relative imports). */
const ALLOWED_AREAS: Record<string, string[]> = {
  core: ['core'],
  spec: ['spec', 'core'],
  render: ['render', 'core'],
  apply: ['apply', 'core'],
  aws: ['aws', 'core'],
  kafka: ['kafka', 'core'],
  service: ['service', 'core', 'spec', 'apply', 'render', 'aws', 'kafka'],
  cli: ['cli', 'service', 'render', 'core', 'spec', 'aws', 'kafka', 'mcp', 'sandbox'],
  mcp: ['mcp', 'service', 'render', 'core', 'spec', 'aws', 'kafka'],
  demo: ['demo', 'sandbox'],
  sandbox: ['sandbox'],
};

describe('architecture', () => {
  it('finds the source tree', () => {
    expect(SITES.length).toBeGreaterThan(0);
  });

  it('keeps every import within the allowed directions', () => {
    const bad = SITES.filter((s) => s.targetArea !== undefined)
      .filter((s) => {
        const allowed = ALLOWED_AREAS[areaOf(s)];
        return allowed !== undefined && !allowed.includes(s.targetArea!);
      })
      .map(show);
    expect(bad).toEqual([]);
  });

  it('keeps the core pure: no packages, no node I/O, no environment, no wall clock', () => {
    const core = listTs(join(SRC, 'core'));
    const bad = SITES.filter((s) => areaOf(s) === 'core' && !s.spec.startsWith('.') && s.spec !== 'node:crypto' && s.spec !== 'deep-diff').map(show);
    for (const file of core) {
      const text = readFileSync(file, 'utf8');
      if (/process\.env|Date\.now\(|new Date\(\)/.test(text)) bad.push(`src/${relative(SRC, file)} reads the environment or the wall clock`);
    }
    expect(bad).toEqual([]);
  });

  it('imports the AWS SDK only in src/aws (and the MSK IAM signer in src/kafka)', () => {
    const bad = SITES.filter((s) => s.spec.startsWith('@aws-sdk/') && areaOf(s) !== 'aws' && areaOf(s) !== 'kafka').map(show);
    expect(bad).toEqual([]);
  });

  it('imports kafkajs only in src/kafka and the sandbox', () => {
    const bad = SITES.filter((s) => /^kafkajs|kafkajs-msk-iam/.test(s.spec) && !['kafka', 'sandbox'].includes(areaOf(s))).map(show);
    expect(bad).toEqual([]);
  });

  it('keeps the sandbox beside the product: it imports nothing else from src/, and only the CLI and demo start it', () => {
    const out = SITES.filter((s) => areaOf(s) === 'sandbox' && s.targetArea && s.targetArea !== 'sandbox').map(show);
    const into = SITES.filter((s) => s.targetArea === 'sandbox' && !['sandbox', 'cli', 'demo'].includes(areaOf(s))).map(show);
    expect([...out, ...into]).toEqual([]);
  });

  it('never writes to stdout from the MCP server', () => {
    const bad = listTs(join(SRC, 'mcp'))
      .filter((f) => /console\.log\(|process\.stdout\.write\(/.test(readFileSync(f, 'utf8')))
      .map((f) => `src/${relative(SRC, f)}`);
    expect(bad).toEqual([]);
  });
});
