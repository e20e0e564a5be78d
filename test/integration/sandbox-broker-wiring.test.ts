// The AWS emulation wired to the sandbox Kafka broker (startSandbox({ kafka })): GetBootstrapBrokers answers with
// the broker's listeners for `broker: sandbox` clusters, and a mapping created through the SDK is polled.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetBootstrapBrokersCommand, KafkaClient } from '@aws-sdk/client-kafka';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const DEMO = 'arn:aws:kafka:us-east-1:123456789012:cluster/demo/de3c0de0-0000-4000-8000-000000000001-1';
const AWS_ONLY = 'arn:aws:kafka:us-east-1:123456789012:cluster/remote/11111111-0000-4000-8000-000000000001-1';
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('sandbox AWS emulation + Kafka broker', () => {
  let sb: RunningSandbox;
  let lambda: LambdaClient;
  beforeAll(async () => {
    sb = await startSandbox({
      kafka: { partitions: 1 },
      seed: {
        functions: [
          { name: 'consumer', role: 'r' },
          { name: 'broken', role: 'r', failing: true },
        ],
        clusters: [
          { name: 'demo', uuid: 'de3c0de0-0000-4000-8000-000000000001-1', auth: ['unauthenticated', 'iam'], broker: 'sandbox' },
          { name: 'remote', uuid: '11111111-0000-4000-8000-000000000001-1', auth: ['iam'] },
        ],
      },
    });
    lambda = new LambdaClient({ endpoint: sb.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
    const kafka = new Kafka({ clientId: 'wiring-test', brokers: [sb.kafka!.listeners.plaintext!], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic: 'wire', messages: Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: JSON.stringify({ i }) })) });
    } finally {
      await producer.disconnect();
    }
  }, 30_000);
  afterAll(async () => sb?.stop());

  it('GetBootstrapBrokers returns the broker listeners for sandbox-backed clusters, MSK host names otherwise', async () => {
    const msk = new KafkaClient({ endpoint: sb.url, region: 'us-east-1', credentials: creds });
    const demo = await msk.send(new GetBootstrapBrokersCommand({ ClusterArn: DEMO }));
    expect(demo.BootstrapBrokerString).toBe(sb.kafka!.listeners.plaintext);
    expect(demo.BootstrapBrokerStringSaslIam).toBe(sb.kafka!.listeners.iam);
    expect(demo.BootstrapBrokerStringTls).toBeUndefined();
    expect(demo.BootstrapBrokerStringSaslScram).toBeUndefined();
    const remote = await msk.send(new GetBootstrapBrokersCommand({ ClusterArn: AWS_ONLY }));
    expect(remote.BootstrapBrokerStringSaslIam).toMatch(/\.kafka\.us-east-1\.amazonaws\.com:9098/);
  });

  async function until<T>(f: () => Promise<T> | T, ok: (v: T) => boolean): Promise<T> {
    let v = await f();
    for (let i = 0; i < 200 && !ok(v); i++) {
      await new Promise((r) => setTimeout(r, 50));
      v = await f();
    }
    return v;
  }

  it('polls a mapping created through the Lambda API and records its invocations and LastProcessingResult', async () => {
    const c = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'consumer', EventSourceArn: DEMO, Topics: ['wire'], StartingPosition: 'TRIM_HORIZON' }));
    const inv = await until(() => sb.control.invocations(c.UUID!), (v) => v.reduce((n, x) => n + x.records, 0) >= 5);
    expect(inv.reduce((n, x) => n + x.records, 0)).toBe(5);
    expect(inv.every((x) => !x.failed)).toBe(true);
    const m = await until(() => lambda.send(new GetEventSourceMappingCommand({ UUID: c.UUID })), (v) => v.LastProcessingResult === 'OK');
    expect(m.LastProcessingResult).toBe('OK');
  });

  it('reports function errors for functions the seed marks as failing', async () => {
    const c = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'broken', EventSourceArn: DEMO, Topics: ['wire'], StartingPosition: 'TRIM_HORIZON' }));
    const inv = await until(() => sb.control.invocations(c.UUID!), (v) => v.length > 0);
    expect(inv[0].failed).toBe(true);
    const m = await until(() => lambda.send(new GetEventSourceMappingCommand({ UUID: c.UUID })), (v) => v.LastProcessingResult !== 'No records processed');
    expect(m.LastProcessingResult).toBe('PROBLEM: Function call failed.');
  });
});
