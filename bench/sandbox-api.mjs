// Throughput of the sandbox's emulated Lambda API through the real SDK client: N creates, a full paged listing,
// N gets and N updates, then the same listing under a rate limit (the SDK's retries ride it out).
// Usage: npm run build && node bench/sandbox-api.mjs [mappings=1000]

import { performance } from 'node:perf_hooks';
import { startSandbox } from '../dist/sandbox/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { LambdaClient, CreateEventSourceMappingCommand, GetEventSourceMappingCommand, UpdateEventSourceMappingCommand, ListEventSourceMappingsCommand } = await import('@aws-sdk/client-lambda');

const N = Number(process.argv[2] ?? 1000);
const CLUSTER = 'arn:aws:kafka:us-east-1:123456789012:cluster/bench/7a1b2c3d-1111-2222-3333-444455556666-1';
const sb = await startSandbox({
  seed: { functions: [{ name: 'fn', role: 'role' }], clusters: [{ name: 'bench', uuid: '7a1b2c3d-1111-2222-3333-444455556666-1', auth: ['iam'] }] },
});
const lambda = new LambdaClient({ endpoint: sb.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 10 });

const counts = () => {
  const out = {};
  for (const e of sb.control.requestLog()) out[`${e.operation}:${e.status}`] = (out[`${e.operation}:${e.status}`] ?? 0) + 1;
  return JSON.stringify(out);
};
async function timed(label, f) {
  sb.control.clearLog();
  const t = performance.now();
  await f();
  const ms = performance.now() - t;
  const calls = sb.control.requestLog().length;
  console.log(`${label}: ${ms.toFixed(0)}ms calls=${calls} (${((calls / ms) * 1000).toFixed(0)}/s) ${counts()}`);
}
async function listAll() {
  let marker;
  let n = 0;
  do {
    const page = await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: CLUSTER, Marker: marker }));
    n += page.EventSourceMappings.length;
    marker = page.NextMarker;
  } while (marker);
  if (n !== N) throw new Error(`listed ${n}, expected ${N}`);
}

const uuids = [];
await timed(`create x${N}`, async () => {
  for (let i = 0; i < N; i++) uuids.push((await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'fn', EventSourceArn: CLUSTER, Topics: [`t-${i}`], StartingPosition: 'LATEST' }))).UUID);
});
await timed(`list all (${N} in pages of 100)`, listAll);
await timed(`get x${N}`, async () => {
  for (const UUID of uuids) await lambda.send(new GetEventSourceMappingCommand({ UUID }));
});
await timed(`update x${N}`, async () => {
  for (const UUID of uuids) await lambda.send(new UpdateEventSourceMappingCommand({ UUID, BatchSize: 200 }));
});
sb.control.setFaults({ rateLimits: { ListEventSourceMappings: 5 } });
await timed(`list all at 5 req/s (SDK retries)`, listAll);
sb.control.setFaults({ rateLimits: {}, latencyMs: 20 });
await timed(`list all with +20ms latency`, listAll);
console.log(`rss=${Math.round(process.memoryUsage().rss / 1e6)}MB`);
await sb.stop();
