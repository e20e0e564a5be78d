// The CLI end to end as a user runs it: wall time of each `esmctl` command (a child process, Node start-up
// included) against the in-process sandbox, and the AWS API calls each made (from the sandbox request log).
// Usage: npm run build && node bench/cli.mjs [mappings=50] [functions=10]

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSandbox } from '../dist/sandbox/index.js';
import { seed, specYaml } from './common.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'esmctl.js');
const mappings = Number(process.argv[2] ?? 50);
const functions = Number(process.argv[3] ?? 10);

const sandbox = await startSandbox({ port: 0, seed: seed(functions), stateDelayMs: 0 });
const dir = mkdtempSync(join(tmpdir(), 'esmctl-bench-cli-'));
const spec = join(dir, 'bench.yaml');
writeFileSync(spec, specYaml('bench', mappings, functions));

function run(args) {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...sandbox.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, ms: Number(process.hrtime.bigint() - started) / 1e6, stderr }));
  });
}

function calls() {
  const by = {};
  for (const e of sandbox.control.requestLog()) by[e.operation] = (by[e.operation] ?? 0) + 1;
  return Object.entries(by)
    .sort()
    .map(([op, n]) => `${op}=${n}`)
    .join(' ');
}

const steps = [
  ['--help', ['--help']],
  ['validate', ['validate', spec]],
  ['plan (all to create)', ['plan', spec]],
  ['apply --auto-approve', ['apply', spec, '--auto-approve']],
  ['plan (no changes)', ['plan', spec, '--detailed-exitcode']],
  ['drift (no drift)', ['drift', spec]],
  ['export', ['export', '--set', 'bench']],
];
console.log(`esmctl CLI against the sandbox: ${mappings} mappings on ${functions} functions (IAM-auth MSK), node ${process.version}`);
for (const [name, args] of steps) {
  sandbox.control.clearLog();
  const r = await run(args);
  const total = sandbox.control.requestLog().length;
  console.log(`${name.padEnd(22)} exit=${r.code} wall=${r.ms.toFixed(0)}ms awsCalls=${total}${total ? ` (${calls()})` : ''}`);
  if (r.code !== 0 && !(name.startsWith('plan (all') && r.code === 2)) console.log(r.stderr);
}
await sandbox.stop();
