// Benchmark of the sandbox Kafka broker and emulated poller: kafkajs produce/consume throughput against the
// broker, then how long the poller takes to drain a backlog through one mapping, with request and AWS call counts.
// Usage: npm run build && node bench/sandbox-kafka.mjs [records=20000] [batchSize=100]

import { Kafka, logLevel } from 'kafkajs';
import { LambdaClient, CreateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { startKafkaBroker } from '../dist/sandbox/kafka/index.js';
import { startSandbox } from '../dist/sandbox/index.js';

const records = Number(process.argv[2] ?? 20000);
const batchSize = Number(process.argv[3] ?? 100);
const payload = 'x'.repeat(200);
const ms = (t0) => Math.round(performance.now() - t0);

async function produceAll(producer, topic) {
  const t0 = performance.now();
  for (let i = 0; i < records; i += 500) {
    const n = Math.min(500, records - i);
    await producer.send({ topic, messages: Array.from({ length: n }, (_, j) => ({ key: String(i + j), value: payload })) });
  }
  return ms(t0);
}

// 1. broker alone: kafkajs producer then a consumer group reading everything back
{
  const broker = await startKafkaBroker({ ports: { tls: false, saslScram: false, mtls: false, iam: false }, partitions: 3 });
  const k = new Kafka({ brokers: [broker.listeners.plaintext], clientId: 'bench', logLevel: logLevel.NOTHING });
  const producer = k.producer();
  await producer.connect();
  const produceMs = await produceAll(producer, 'bench');
  const consumer = k.consumer({ groupId: 'bench', maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'bench', fromBeginning: true });
  const t0 = performance.now();
  let seen = 0;
  await new Promise((resolve) => consumer.run({ eachBatch: async ({ batch }) => { seen += batch.messages.length; if (seen >= records) resolve(); } }));
  const consumeMs = ms(t0);
  await consumer.disconnect();
  await producer.disconnect();
  const counts = broker.requestCounts();
  await broker.stop();
  console.log(
    `broker: records=${records} (200 B) produce=${produceMs}ms (${Math.round(records / (produceMs / 1000))}/s) consume=${consumeMs}ms (${Math.round(records / (consumeMs / 1000))}/s) ` +
      `requests=${JSON.stringify(counts)} rss=${Math.round(process.memoryUsage().rss / 1e6)}MB`,
  );
}

// 2. poller: a backlog on a topic, one mapping created through the sandbox Lambda API, time until drained
{
  const sandbox = await startSandbox({ seed: { functions: [{ name: 'bench-fn', role: 'bench-role' }] }, kafka: { partitions: 1 } });
  const k = new Kafka({ brokers: [sandbox.kafka.listeners.plaintext], clientId: 'bench', logLevel: logLevel.NOTHING });
  const producer = k.producer();
  await producer.connect();
  await produceAll(producer, 'backlog');
  const lambda = new LambdaClient({ endpoint: sandbox.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  sandbox.control.clearLog();
  const t0 = performance.now();
  const { UUID } = await lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: 'bench-fn',
      SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: [sandbox.kafka.listeners.plaintext] } },
      Topics: ['backlog'],
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: batchSize,
      MaximumBatchingWindowInSeconds: 0,
    }),
  );
  const total = () => sandbox.control.invocations(UUID).reduce((n, i) => n + i.records, 0);
  while (total() < records) await new Promise((r) => setTimeout(r, 10));
  const drainMs = ms(t0);
  const invocations = sandbox.control.invocations(UUID).length;
  const awsCalls = sandbox.control.requestLog().length;
  await producer.disconnect();
  lambda.destroy();
  await sandbox.stop();
  console.log(`poller: backlog=${records} batchSize=${batchSize} drained=${drainMs}ms invocations=${invocations} awsCalls=${awsCalls} (CreateEventSourceMapping only)`);
}
