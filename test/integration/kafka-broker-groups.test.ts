// Consumer-group behaviour of the sandbox broker with kafkajs: two members share the partitions of a topic,
// a member that leaves hands its partitions over, and committed offsets survive for the next member.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssignerProtocol, Kafka, logLevel, type Consumer } from 'kafkajs';
import { startKafkaBroker, type KafkaBroker } from '../../src/sandbox/kafka/index.js';

let broker: KafkaBroker;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startKafkaBroker({ ports: { tls: false, saslScram: false, mtls: false, iam: false }, partitions: 4 });
  kafka = new Kafka({ brokers: [broker.listeners.plaintext!], clientId: 'groups-test', logLevel: logLevel.NOTHING });
});

afterAll(async () => {
  await broker?.stop();
});

function member(groupId: string, seen: Map<string, string>, name: string): Consumer {
  const c = kafka.consumer({ groupId, maxWaitTimeInMs: 50, heartbeatInterval: 200, sessionTimeout: 6000, rebalanceTimeout: 3000 });
  void c.connect().then(async () => {
    await c.subscribe({ topic: 'shared', fromBeginning: true });
    await c.run({ eachMessage: async ({ message }) => void seen.set(message.value!.toString(), name) });
  });
  return c;
}

async function until(ok: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('consumer groups', () => {
  it('two members split the partitions, every record is consumed, and a leaver hands over', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const send = (from: number, n: number) =>
      producer.send({ topic: 'shared', messages: Array.from({ length: n }, (_, i) => ({ value: `m${from + i}`, partition: (from + i) % 4 })) });
    const seen = new Map<string, string>();
    const a = member('pair', seen, 'a');
    const b = member('pair', seen, 'b');
    const desc = kafka.admin();
    await desc.connect();
    let group = (await desc.describeGroups(['pair'])).groups[0];
    while (group.state !== 'Stable' || group.members.length !== 2) {
      await new Promise((r) => setTimeout(r, 50));
      group = (await desc.describeGroups(['pair'])).groups[0];
    }
    const partitionsOf = (m: (typeof group.members)[number]) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)!.assignment.shared ?? [];
    expect(group.members.map((m) => partitionsOf(m).length)).toEqual([2, 2]);
    await send(0, 40);
    await until(() => seen.size === 40, '40 records');
    expect(new Set(seen.values())).toEqual(new Set(['a', 'b']));

    await b.disconnect(); // LeaveGroup: a takes over b's partitions
    await send(40, 8);
    await until(() => seen.size === 48, '48 records');
    expect([...seen.entries()].filter(([k]) => Number(k.slice(1)) >= 40).every(([, who]) => who === 'a')).toBe(true);
    await a.disconnect();

    const [offsets] = await desc.fetchOffsets({ groupId: 'pair', topics: ['shared'] });
    expect(offsets.partitions.map((p) => p.offset).sort()).toEqual(['12', '12', '12', '12']);
    expect((await desc.describeGroups(['pair'])).groups[0].state).toBe('Empty');
    await desc.disconnect();
    await producer.disconnect();
  });

  it('refuses a session timeout outside group.min/max.session.timeout.ms (6 s .. 30 min) with INVALID_SESSION_TIMEOUT', async () => {
    const net = await import('node:net');
    const [host, port] = broker.listeners.plaintext!.split(':');
    const joinV0 = (sessionMs: number) => {
      const str = (x: string) => Buffer.concat([Buffer.from([0, x.length]), Buffer.from(x)]);
      const i32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
      const i16 = (n: number) => { const b = Buffer.alloc(2); b.writeInt16BE(n); return b; };
      const body = Buffer.concat([str('short-session'), i32(sessionMs), str(''), str('consumer'), i32(1), str('range'), i32(0)]);
      const header = Buffer.concat([i16(11), i16(0), i32(42), str('raw')]);
      return Buffer.concat([i32(header.length + body.length), header, body]);
    };
    const errorCode = await new Promise<number>((resolve, reject) => {
      const socket = net.connect({ host, port: Number(port) }, () => socket.write(joinV0(3000)));
      socket.on('data', (d) => {
        socket.destroy();
        resolve(d.readInt16BE(8)); // size, correlation id, then error_code
      });
      socket.on('error', reject);
    });
    expect(errorCode).toBe(26);
  });
});
