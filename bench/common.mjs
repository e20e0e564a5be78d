// Shared helpers of the benchmarks: a seed generator, a sandbox in a child process reached over HTTP (its
// /_sandbox/ control surface for faults and the request log), and call-count summaries.

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const CLUSTER_UUID = '7a1b2c3d-1111-2222-3333-444455556666-1';
export const CLUSTER_ARN = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/bench/${CLUSTER_UUID}`;

/** functions fn-0…, one role each, one IAM-auth MSK cluster, plus `mappings` (API shapes). */
export function seed(functions, mappings = []) {
  return {
    region: REGION,
    accountId: ACCOUNT,
    roles: Array.from({ length: functions }, (_, i) => ({ name: `role-${i}` })),
    functions: Array.from({ length: functions }, (_, i) => ({ name: `fn-${i}`, role: `role-${i}` })),
    clusters: [{ name: 'bench', uuid: CLUSTER_UUID, auth: ['iam'] }],
    mappings,
  };
}

/** A one-set spec of `n` mappings spread over `functions` functions (topic t-<i>). */
export function specYaml(set, n, functions, extra = '') {
  const lines = [
    'apiVersion: esmctl/v1',
    'kind: MappingSet',
    'metadata:',
    `  name: ${set}`,
    `  region: ${REGION}`,
    'defaults:',
    '  startingPosition: LATEST',
    '  auth:',
    '    type: IAM',
    'mappings:',
  ];
  for (let i = 0; i < n; i++) {
    lines.push(`  - name: m-${i}`, `    function: fn-${i % functions}`, '    source:', `      msk: ${CLUSTER_ARN}`, `    topic: t-${i}`);
    if (extra) lines.push(extra);
  }
  return `${lines.join('\n')}\n`;
}

/** Starts the sandbox in a child process; resolves to {url, env, control, stop}. */
export async function childSandbox(seedObject, stateDelayMs = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'esmctl-bench-'));
  const file = join(dir, 'seed.json');
  writeFileSync(file, JSON.stringify(seedObject));
  const child = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF] : []), new URL('./sandbox-child.mjs', import.meta.url).pathname, file, String(stateDelayMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const first = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', (l) => resolve(JSON.parse(l)));
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  const http = async (method, path, body) => {
    const res = await fetch(`${first.url}/_sandbox/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.json();
  };
  return {
    url: first.url,
    env: first.env,
    control: {
      setFaults: (f) => http('POST', 'faults', f),
      requestLog: async () => (await http('GET', 'requests')).requests,
      clearLog: () => http('DELETE', 'requests'),
      reset: () => http('POST', 'reset'),
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

export function countByOperation(log) {
  const out = {};
  for (const r of log) {
    const k = `${r.service}:${r.operation}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function mb(kb) {
  return `${(kb / 1024).toFixed(0)} MB`;
}
