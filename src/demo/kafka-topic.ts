// Creating a topic on the sandbox broker for the demo, as an operator would before pointing a mapping at it:
// one Kafka Metadata v4 request with allow_auto_topic_creation=true over the plaintext listener (no client library).

import { connect } from 'node:net';

/** Sends Metadata v4 for `topics` with auto-creation allowed and waits for the broker's answer. */
export function ensureTopics(hostPort: string, topics: string[], timeoutMs = 10_000): Promise<void> {
  const [host, portText] = splitHostPort(hostPort);
  const clientId = Buffer.from('esmctl-demo');
  const parts: Buffer[] = [];
  const int16 = (n: number) => {
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    return b;
  };
  const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  // request header v1: api_key 3 (Metadata), api_version 4, correlation_id, client_id
  parts.push(int16(3), int16(4), int32(1), int16(clientId.length), clientId);
  // body v4: topics [name], allow_auto_topic_creation
  parts.push(int32(topics.length));
  for (const t of topics) {
    const name = Buffer.from(t);
    parts.push(int16(name.length), name);
  }
  parts.push(Buffer.from([1]));
  const body = Buffer.concat(parts);
  const frame = Buffer.concat([int32(body.length), body]);

  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(portText) });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no Metadata answer from ${hostPort} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(frame));
    socket.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d]);
      if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
        clearTimeout(timer);
        socket.end();
        resolve();
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

function splitHostPort(hostPort: string): [string, string] {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i), hostPort.slice(i + 1)];
}
