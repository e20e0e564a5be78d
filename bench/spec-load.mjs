// Spec loading figures: time to load and validate N mappings spread over files (cold: first load, with the schema
// compile; warm: again in the same process), the CLI's `validate` wall time, memory, and AWS API calls (always 0).
// Run: npm run build && node bench/spec-load.mjs [mappings=2000] [files=20]

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const total = Number(process.argv[2] ?? 2000);
const fileCount = Number(process.argv[3] ?? 20);
const perFile = Math.ceil(total / fileCount);
const dir = mkdtempSync(join(tmpdir(), 'esmctl-bench-spec-'));

const MSK = 'arn:aws:kafka:us-east-1:123456789012:cluster/payments/0f1e2d3c-aaaa-bbbb-cccc-123456789abc-2';
for (let f = 0; f < fileCount; f++) {
  const lines = [
    '# yaml-language-server: $schema=../schemas/esmctl.schema.json',
    'apiVersion: esmctl/v1',
    'kind: MappingSet',
    'metadata:',
    '  name: bench',
    '  region: us-east-1',
    'defaults:',
    '  startingPosition: TRIM_HORIZON',
    '  auth: { type: IAM }',
    '  provisionedPollers: { minimum: 1, maximum: 10, group: bench }',
    '  errorHandling: { maximumRetryAttempts: 3, bisectBatchOnFunctionError: true }',
    'mappings:',
  ];
  for (let i = 0; i < perFile && f * perFile + i < total; i++) {
    const n = f * perFile + i;
    lines.push(
      `  - name: m${n}`,
      `    function: fn-${n % 50}`,
      `    source: { msk: ${MSK} }`,
      `    topic: topic.${n}`,
      `    consumerGroupId: group-${n}`,
      `    batchSize: ${1 + (n % 1000)}`,
      `    onFailure: kafka://topic.${n}.dlq`,
      `    filters: [{ value: { kind: [a${n % 7}] } }]`,
      `    tags: { team: t${n % 9} }`,
    );
  }
  writeFileSync(join(dir, `set-${String(f).padStart(3, '0')}.yaml`), lines.join('\n') + '\n');
}

try {
  const { loadSpecPaths } = await import(join(ROOT, 'dist/spec/index.js'));
  const heap0 = process.memoryUsage().heapUsed;
  let t = performance.now();
  const cold = await loadSpecPaths([dir]);
  const coldMs = performance.now() - t;
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1e6;
  t = performance.now();
  const warm = await loadSpecPaths([dir]);
  const warmMs = performance.now() - t;
  if (cold.problems.length || warm.sets[0].mappings.length !== total) throw new Error(`unexpected result: ${cold.problems.length} problems`);

  t = performance.now();
  execFileSync(process.execPath, [join(ROOT, 'bin/esmctl.js'), 'validate', dir], {
    env: { PATH: process.env.PATH, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const cliMs = performance.now() - t;

  console.log(`spec load: ${total} mappings in ${fileCount} files`);
  console.log(`  cold (incl. schema compile): ${coldMs.toFixed(0)} ms  (${((total / coldMs) * 1000).toFixed(0)} mappings/s, heap +${heapMb.toFixed(1)} MB)`);
  console.log(`  warm:                        ${warmMs.toFixed(0)} ms  (${((total / warmMs) * 1000).toFixed(0)} mappings/s)`);
  console.log(`  esmctl validate (process):   ${cliMs.toFixed(0)} ms wall`);
  console.log(`  AWS API calls:               0 (validate needs no credentials or network)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
