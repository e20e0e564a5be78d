// `esmctl validate` as a user runs it: the built CLI as a child process, with no AWS credentials, region or
// endpoint. Covers the "Done when" cases: examples pass; batchSize 10001 and msk+bootstrapServers fail, located.

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, runCli } from './cli-harness.js';

const FIXTURES = join(ROOT, 'test/fixtures/specs');
/** No credentials, no region, no endpoint: validate must not need AWS. */
const NO_AWS = { env: { AWS_REGION: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, NO_COLOR: '1' } };
const validate = (...args: string[]) => runCli(['validate', ...args], {}, NO_AWS);

beforeAll(() => ensureBuilt());

describe('esmctl validate', () => {
  it('exits 0 on examples/ and prints one summary line per set', async () => {
    const r = await validate('examples/');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines).toContain('payments: 2 mappings valid (region us-east-1; examples/msk-scram.yaml)');
    expect(lines).toContain('telemetry: 1 mapping valid (region us-east-1; examples/msk-mtls.yaml)');
  });

  it('batchSize: 10001 exits 1 naming the file, line, field and the range 1–10000', async () => {
    const r = await validate('test/fixtures/specs/invalid/batch-size-too-large.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'test/fixtures/specs/invalid/batch-size-too-large.yaml:12:16: mappings[0].batchSize: must be between 1 and 10000 (got 10001)',
    );
    expect(r.stderr).toContain('  12 |     batchSize: 10001\n     |                ^^^^^\n');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('msk and bootstrapServers together exits 1 naming both', async () => {
    const r = await validate('test/fixtures/specs/invalid/both-sources.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('both-sources.yaml:8:5: mappings[0].source: has both `msk` and `bootstrapServers`; choose one');
  });

  it('reports every problem of several files at once', async () => {
    const r = await validate(join(FIXTURES, 'invalid'));
    expect(r.code).toBe(1);
    const located = r.stderr.split('\n').filter((l) => /^\S+\.yaml:\d+:\d+: /.test(l));
    expect(located.length).toBe(6);
    expect(r.stderr).toContain('6 problems in the spec');
  });

  it('--json prints the problems as a JSON array on stdout', async () => {
    const bad = await validate('--json', 'test/fixtures/specs/invalid/batch-size-too-large.yaml');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual([
      {
        code: 'spec.range',
        file: 'test/fixtures/specs/invalid/batch-size-too-large.yaml',
        line: 12,
        col: 16,
        path: 'mappings[0].batchSize',
        message: 'must be between 1 and 10000 (got 10001)',
        minimum: 1,
        maximum: 10000,
      },
    ]);
    const good = await validate('--json', 'examples/');
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual([]);
  });

  it('- reads one spec from stdin', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(join(FIXTURES, 'invalid/both-sources.yaml'), 'utf8');
    const bad = await runCli(['validate', '-'], {}, { ...NO_AWS, input: text });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('<stdin>:8:5: mappings[0].source: has both `msk` and `bootstrapServers`');
    const good = await runCli(['validate', '-'], {}, { ...NO_AWS, input: readFileSync(join(ROOT, 'examples/msk-iam.yaml'), 'utf8') });
    expect(good.code).toBe(0);
    expect(good.stdout).toBe('orders: 2 mappings valid (region us-east-1; <stdin>)\n');
  });

  it('a missing path is a located error, not a crash', async () => {
    const r = await validate('no/such/spec.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no/such/spec.yaml: no such file or directory');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
