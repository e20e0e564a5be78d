// A sandbox in its own process for the benchmarks, so the measured process's memory is esmctl's alone.
// Usage: node bench/sandbox-child.mjs SEED.json → prints one JSON line {url, env}; stops on SIGTERM or stdin end.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import { startSandbox } from '../dist/sandbox/index.js';

// The sandbox answers `Keep-Alive: timeout=1`, which Node's http.Agent takes as "do not reuse" (it keeps a socket
// only when the hint exceeds 1 s), so every SDK call would open a new TCP connection. AWS endpoints keep
// connections alive; hold the sandbox's idle timeout at 5 s here so the figures measure esmctl, not TCP set-up.
// Set BENCH_SANDBOX_KEEPALIVE=as-is to measure with the sandbox's own setting.
if (process.env.BENCH_SANDBOX_KEEPALIVE !== 'as-is') {
  Object.defineProperty(http.Server.prototype, 'keepAliveTimeout', {
    configurable: true,
    get() {
      return 5000;
    },
    set() {},
  });
}

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
