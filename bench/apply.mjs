// bench/apply: 200 creates against a sandbox (own process) that accepts 10 CreateEventSourceMapping calls per second
// and takes 1 s to settle each mapping. The throttle bounds the run at 20 s; target < 23 s with zero failures.
// Prints wall time, statuses, AWS calls per operation (and how many were throttled), at parallelism 8 and 1.
// Usage: npm run bench:apply -- [--mappings 200] [--functions 20] [--rate 10] [--delay 1000] [--parallelism 8,1]

import { parseArgs } from 'node:util';
import { childSandbox, countByOperation, seed, specYaml } from './common.mjs';

const { values } = parseArgs({
  options: {
    mappings: { type: 'string', default: '200' },
    functions: { type: 'string', default: '20' },
    rate: { type: 'string', default: '10' },
    delay: { type: 'string', default: '1000' },
    parallelism: { type: 'string', default: '8,1' },
    'retry-mode': { type: 'string', default: 'adaptive' },
  },
});
const N = Number(values.mappings);
const F = Number(values.functions);
const RATE = Number(values.rate);

const sb = await childSandbox(seed(F));
Object.assign(process.env, sb.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
try {
  const [{ createAwsPorts, readObserved }, { buildPlan }, { loadSpecText }, { applyPlan }] = await Promise.all([
    import('../dist/aws/index.js'),
    import('../dist/core/plan.js'),
    import('../dist/spec/index.js'),
    import('../dist/apply/index.js'),
  ]);
  const loaded = loadSpecText(specYaml('bench', N, F), 'bench.yaml');
  if (loaded.problems.length) throw new Error(JSON.stringify(loaded.problems.slice(0, 3)));
  const host = { emit() {}, async confirm() { return false; } };
  console.log(`${N} creates over ${F} functions; sandbox: ${RATE} CreateEventSourceMapping/s, ${values.delay} ms state delay; bound ${(N / RATE).toFixed(0)} s`);
  for (const parallelism of values.parallelism.split(',').map(Number)) {
    await sb.control.reset();
    // a fresh client per run: the SDK's adaptive rate limiter must not carry over what it learned
    const ports = await createAwsPorts({ region: 'us-east-1', retryMode: values['retry-mode'] });
    const plan = buildPlan(loaded.sets, await readObserved(ports, loaded.sets));
    await sb.control.setFaults({ rateLimits: { CreateEventSourceMapping: RATE }, stateDelayMs: Number(values.delay) });
    await sb.control.clearLog();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const report = await applyPlan(plan, ports, host, { parallelism });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const log = await sb.control.requestLog();
    const statuses = {};
    for (const r of report.results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    const throttled = log.filter((r) => r.status === 429 || (r.status === 400 && r.service === 'iam')).length;
    const failed = report.results.filter((r) => r.status === 'failed');
    console.log(`\nparallelism ${parallelism}: wall ${wall.toFixed(2)} s (target < ${(1.15 * N / RATE).toFixed(0)} s) ${wall < 1.15 * N / RATE && failed.length === 0 ? 'OK' : 'OVER'}`);
    console.log(`  actions ${JSON.stringify(plan.summary)} → ${JSON.stringify(statuses)}`);
    console.log(`  throttled answers ${throttled}; esmctl CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`);
    for (const [k, v] of Object.entries(countByOperation(log))) console.log(`  ${k.padEnd(38)} ${v}`);
    if (process.env.BENCH_TIMELINE) {
      const start = Date.parse(log[0].at);
      const hist = {};
      for (const r of log.filter((x) => x.operation === 'CreateEventSourceMapping')) {
        const sec = Math.floor((Date.parse(r.at) - start) / 1000);
        hist[sec] ??= { ok: 0, throttled: 0 };
        hist[sec][r.status === 429 ? 'throttled' : 'ok']++;
      }
      console.log(`  creates per second: ${Object.entries(hist).map(([k, v]) => `${k}:${v.ok}${v.throttled ? `/${v.throttled}t` : ''}`).join(' ')}`);
    }
    for (const f of failed.slice(0, 3)) console.log(`  failed ${f.address}: ${f.error?.message}`);
  }
} finally {
  await sb.stop();
}
