// bench/plan: the cost of reading an account and planning against it. A sandbox (own process) with 20 ms added
// latency per call holds N Kafka mappings over F functions, all owned by the spec's set; prints wall time, AWS calls
// per operation (from the sandbox request log), the targets, and peak RSS of this process.
// Usage: npm run bench:plan -- [--mappings 1000] [--functions 100] [--latency 20] [--concurrency 32]

import { parseArgs } from 'node:util';
import { CLUSTER_ARN, childSandbox, countByOperation, mb, seed, specYaml } from './common.mjs';

const { values } = parseArgs({
  options: {
    mappings: { type: 'string', default: '1000' },
    functions: { type: 'string', default: '100' },
    latency: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '32' },
  },
});
const N = Number(values.mappings);
const F = Number(values.functions);
const SET = 'bench';

const mappings = Array.from({ length: N }, (_, i) => ({
  FunctionName: `fn-${i % F}`,
  EventSourceArn: CLUSTER_ARN,
  Topics: [`t-${i}`],
  StartingPosition: 'LATEST',
  Tags: { 'esmctl:set': SET, 'esmctl:mapping': `m-${i}` },
}));

process.stderr.write(`starting the sandbox with ${N} mappings over ${F} functions…\n`);
const sb = await childSandbox(seed(F, mappings));
Object.assign(process.env, sb.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
try {
  const [{ createAwsPorts, readObserved }, { buildPlan }, { loadSpecText }] = await Promise.all([
    import('../dist/aws/index.js'),
    import('../dist/core/plan.js'),
    import('../dist/spec/index.js'),
  ]);
  const loaded = loadSpecText(specYaml(SET, N, F), 'bench.yaml');
  if (loaded.problems.length) throw new Error(JSON.stringify(loaded.problems.slice(0, 3)));
  const ports = await createAwsPorts({ region: 'us-east-1', concurrency: Number(values.concurrency) });
  await sb.control.setFaults({ latencyMs: Number(values.latency) });
  await sb.control.clearLog();

  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const observed = await readObserved(ports, loaded.sets, { concurrency: Number(values.concurrency) });
  const t1 = performance.now();
  const plan = buildPlan(loaded.sets, observed);
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);

  const log = await sb.control.requestLog();
  const calls = countByOperation(log);
  const lambda = Object.entries(calls).filter(([k]) => k.startsWith('lambda:')).reduce((s, [, v]) => s + v, 0);
  const iam = Object.entries(calls).filter(([k]) => k.startsWith('iam:')).reduce((s, [, v]) => s + v, 0);
  const lambdaBound = Math.ceil(N / 100) + N + F;
  const rss = process.resourceUsage().maxRSS;
  const wall = (t2 - t0) / 1000;
  console.log(`mappings ${N}, functions ${F}, latency ${values.latency} ms/call, read concurrency ${values.concurrency}`);
  console.log(`read ${((t1 - t0) / 1000).toFixed(2)} s + plan ${((t2 - t1) / 1000).toFixed(2)} s = wall ${wall.toFixed(2)} s`);
  console.log(`esmctl CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (user+system; the wall time also depends on the machine's load)`);
  console.log(`plan: ${JSON.stringify(plan.summary)}`);
  console.log('AWS calls by operation:');
  for (const [k, v] of Object.entries(calls)) console.log(`  ${k.padEnd(36)} ${v}`);
  console.log(`Lambda calls ${lambda} (bound ${lambdaBound} = ceil(N/100) + N + F) ${lambda <= lambdaBound ? 'OK' : 'OVER'}`);
  console.log(`IAM calls ${iam} (bound ${F}, one per role) ${iam <= F ? 'OK' : 'OVER'}`);
  const wallTarget = N <= 1000 ? 3 : 25;
  console.log(`wall ${wall.toFixed(2)} s (target < ${wallTarget} s) ${wall < wallTarget ? 'OK' : 'OVER'}`);
  console.log(`peak RSS ${mb(rss)}${N <= 1000 ? ` (target < 250 MB) ${rss / 1024 < 250 ? 'OK' : 'OVER'}` : ''}`);
} finally {
  await sb.stop();
}
