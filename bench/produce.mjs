// Benchmark of the Kafka test-message producer: N messages of S bytes through `esmctl kafka produce` (a child
// process) vs a plain kafkajs producer script (a child process too) on the same sandbox broker listener, one run each.
// Usage: npm run build && node bench/produce.mjs [messages=50000] [bytes=1024] [listener=plaintext|tls]  (CONC=n sets --concurrency)

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startKafkaBroker } from '../dist/sandbox/kafka/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const messages = Number(process.argv[2] ?? 50000);
const bytes = Number(process.argv[3] ?? 1024);
const listener = process.argv[4] ?? 'plaintext';

// The plain script: one kafkajs producer, batches of 500, awaited one after the other (acks=-1, keyed messages).
const PLAIN = `
import { Kafka, logLevel } from 'kafkajs';
const [broker, topic, n, size, ca] = process.argv.slice(2);
const cfg = { brokers: [broker], clientId: 'plain', logLevel: logLevel.NOTHING };
if (ca) cfg.ssl = { ca: [ca] };
const t0 = performance.now();
const producer = new Kafka(cfg).producer({ allowAutoTopicCreation: false });
await producer.connect();
const value = 'x'.repeat(Number(size));
for (let i = 0; i < Number(n); i += 500) {
  const m = Math.min(500, Number(n) - i);
  await producer.send({ topic, acks: -1, messages: Array.from({ length: m }, (_, j) => ({ key: String(i + j), value })) });
}
await producer.disconnect();
console.log(JSON.stringify({ ms: Math.round(performance.now() - t0) }));
`;

function runChild(args, env = {}) {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise({ wallMs: Math.round(performance.now() - t0), out }) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

const broker = await startKafkaBroker({ partitions: 3 });
const address = broker.listeners[listener];
const dir = mkdtempSync(join(tmpdir(), 'esmctl-bench-produce-'));
const caFile = join(dir, 'ca.pem');
writeFileSync(caFile, broker.caPem);
const plainFile = join(ROOT, 'bench', '.produce-plain.mjs');
writeFileSync(plainFile, PLAIN);

const admin = new Kafka({ brokers: [broker.listeners.plaintext], logLevel: logLevel.NOTHING }).admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: 'bench-plain', numPartitions: 3 }, { topic: 'bench-esmctl', numPartitions: 3 }] });
await admin.disconnect();

const tlsArgs = listener === 'plaintext' ? [] : ['--auth', 'TLS', '--ca-file', caFile];
const produceCount = () => broker.requestCounts().Produce ?? 0;
async function runPlain() {
  const before = produceCount();
  const r = await runChild([plainFile, address, 'bench-plain', String(messages), String(bytes), listener === 'plaintext' ? '' : broker.caPem]);
  return { wallMs: r.wallMs, ms: JSON.parse(r.out).ms, requests: produceCount() - before };
}
async function runEsmctl() {
  const before = produceCount();
  const r = await runChild([join(ROOT, 'bin', 'esmctl.js'), 'kafka', 'produce', '--bootstrap-servers', address, '--topic', 'bench-esmctl', '-n', String(messages), '--size', String(bytes), '--json', '--concurrency', process.env.CONC ?? '2', ...tlsArgs]);
  const report = JSON.parse(r.out).report;
  if (report.failed > 0) throw new Error(`esmctl produce failed ${report.failed} messages`);
  return { wallMs: r.wallMs, ms: report.durationMs, requests: produceCount() - before };
}
try {
  // ABBA order, so a load trend on the shared machine does not favour either side
  const plain = [];
  const tool = [];
  plain.push(await runPlain());
  tool.push(await runEsmctl());
  tool.push(await runEsmctl());
  plain.push(await runPlain());
  const mb = (messages * bytes) / 1_048_576;
  const rate = (ms) => Math.round((messages * 1000) / ms);
  const mean = (xs, f) => xs.reduce((n, x) => n + f(x), 0) / xs.length;
  console.log(`listener=${listener} messages=${messages} bytes=${bytes} (${mb.toFixed(1)} MB) awsCalls=0 order=plain,esmctl,esmctl,plain`);
  for (const [name, runs] of [['plain kafkajs script', plain], ['esmctl kafka produce', tool]]) {
    console.log(`${name}: ${runs.map((r) => `${rate(r.ms)} msg/s (produce ${r.ms}ms, wall ${r.wallMs}ms, ${r.requests} Produce requests)`).join('; ')}`);
  }
  const ratio = mean(tool, (r) => rate(r.ms)) / mean(plain, (r) => rate(r.ms));
  console.log(`ratio (mean esmctl msg/s / mean plain msg/s): ${ratio.toFixed(2)}x; wall-clock incl. process start: ${(mean(plain, (r) => r.wallMs) / mean(tool, (r) => r.wallMs)).toFixed(2)}x`);
} finally {
  await broker.stop();
  const { rmSync } = await import('node:fs');
  rmSync(plainFile, { force: true });
  rmSync(dir, { recursive: true, force: true });
}
