// Benchmark of the pure core alone (no AWS calls): buildPlan + renders over synthetic accounts of N Kafka mappings
// on 100 functions (a third in sync, a third drifted, the rest new), to show the core is not the plan bottleneck.
// Usage: npm run build && node bench/core-plan.mjs [mappings=1000,10000]
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { buildPlan } = await import(join(ROOT, 'dist/core/plan.js'));
const { normalizeDesired } = await import(join(ROOT, 'dist/core/normalize.js'));
const { configHash } = await import(join(ROOT, 'dist/core/fingerprint.js'));
const { managedTags } = await import(join(ROOT, 'dist/core/tags.js'));
const { renderPlanText, renderPlanJson, renderPlanMarkdown } = await import(join(ROOT, 'dist/render/index.js'));

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const CLUSTER = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/bench/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee-1`;
const sizes = (process.argv[2] ?? '1000,10000').split(',').map(Number);

function scenario(n) {
  const functions = Array.from({ length: 100 }, (_, i) => ({
    ref: `fn-${i}`,
    functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:fn-${i}`,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/role-${i % 20}`,
  }));
  const mappings = Array.from({ length: n }, (_, i) => ({
    set: 'bench', name: `m-${i}`, address: `bench/m-${i}`, function: `fn-${i % 100}`,
    source: { kind: 'msk', arn: CLUSTER }, topic: `topic-${i}`, auth: { type: 'IAM' }, permissions: 'auto',
    batchSize: 100 + (i % 7), tags: { team: `t${i % 5}` },
  }));
  const ctx = { region: REGION, accountId: ACCOUNT, functions };
  const live = mappings.filter((_, i) => i % 3 !== 2).map((d, i) => {
    const config = normalizeDesired(d, ctx);
    const uuid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    return {
      uuid, arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:${uuid}`, state: 'Enabled',
      lastModified: '2026-11-25T10:00:00.000Z',
      config: i % 3 === 1 ? { ...config, batchSize: 999 } : config,
      tags: managedTags('bench', d.name, configHash(config), config.tags),
    };
  });
  const sets = [{ apiVersion: 'esmctl/v1', name: 'bench', region: REGION, files: ['bench.yaml'], mappings }];
  const observed = { region: REGION, accountId: ACCOUNT, mappings: live, functions, policies: [], readAt: '2026-11-25T11:00:00.000Z',
    clusters: [{ arn: CLUSTER, name: 'bench', uuid: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee-1', authModes: ['IAM'] }] };
  return { sets, observed };
}

for (const n of sizes) {
  const { sets, observed } = scenario(n);
  const t0 = performance.now();
  const plan = buildPlan(sets, observed);
  const t1 = performance.now();
  const text = renderPlanText(plan);
  const t2 = performance.now();
  const json = renderPlanJson(plan);
  const t3 = performance.now();
  renderPlanMarkdown(plan);
  const t4 = performance.now();
  const rss = Math.round(process.memoryUsage().rss / 1e6);
  console.log(
    `mappings=${n} actions=${plan.actions.length} buildPlan=${(t1 - t0).toFixed(0)}ms text=${(t2 - t1).toFixed(0)}ms ` +
      `(${(text.length / 1e6).toFixed(1)} MB) json=${(t3 - t2).toFixed(0)}ms (${(json.length / 1e6).toFixed(1)} MB) ` +
      `markdown=${(t4 - t3).toFixed(0)}ms rss=${rss}MB awsCalls=0`,
  );
}
