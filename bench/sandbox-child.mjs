// A sandbox in its own process for the benchmarks, so the measured process's memory is esmctl's alone.
// Usage: node bench/sandbox-child.mjs SEED.json → prints one JSON line {url, env}; stops on SIGTERM or stdin end.

import { readFileSync } from 'node:fs';
import { startSandbox } from '../dist/sandbox/index.js';


const seed = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const sb = await startSandbox({ port: 0, seed, stateDelayMs: Number(process.argv[3] ?? 0) });
process.stdout.write(`${JSON.stringify({ url: sb.url, env: sb.env })}\n`);
const stop = async () => {
  await sb.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
