// The sandbox Kafka side: a standalone broker for tests (startKafkaBroker) and the broker plus the emulated
// Lambda poller wired to the AWS emulation through KafkaHost (startKafkaSandbox).

import type { KafkaHost, KafkaSandbox } from '../kafka-bridge.js';
import { startKafkaBroker, type KafkaBroker, type KafkaBrokerOptions } from './broker.js';
import { Poller } from './poller.js';
import type { SaslUser } from './sasl.js';

export { startKafkaBroker, LISTENER_KINDS, type KafkaBroker, type KafkaBrokerOptions, type ListenerKind } from './broker.js';
export { RESULT as POLLER_RESULTS } from './poller.js';

export interface KafkaSandboxOptions extends Omit<KafkaBrokerOptions, 'userLookup'> {
  /** Poller tick (default 100 ms). */
  pollIntervalMs?: number;
}

export interface RunningKafkaSandbox extends KafkaSandbox {
  broker: KafkaBroker;
  issueClientCertificate(commonName: string): Promise<{ certificatePem: string; privateKeyPem: string }>;
  /** Runs one poller pass now (tests). */
  pollNow(): void;
}

/** SCRAM/PLAIN users from the host's secrets: every secret whose JSON has string `username` and `password`. */
function usersFromHost(host: KafkaHost): (username: string) => SaslUser | undefined {
  const secretTexts = (): string[] => {
    if (host.listSecrets) return host.listSecrets().flatMap((s) => (s.secretString === undefined ? [] : [s.secretString]));
    // without listSecrets: the secrets the mappings reference
    const arns = new Set(host.listMappings().flatMap((m) => (m.sourceAccessConfigurations ?? []).map((c) => c.URI)));
    return [...arns].flatMap((arn) => {
      const t = host.getSecretString(arn);
      return t === undefined ? [] : [t];
    });
  };
  return (username) => {
    for (const text of secretTexts()) {
      try {
        const v = JSON.parse(text);
        if (v && typeof v.username === 'string' && typeof v.password === 'string' && v.username === username) return { username: v.username, password: v.password };
      } catch {
        // not JSON: not a user secret
      }
    }
    return undefined;
  };
}

/** Starts the broker and the emulated poller for the AWS sandbox. */
export async function startKafkaSandbox(host: KafkaHost, opts: KafkaSandboxOptions = {}): Promise<RunningKafkaSandbox> {
  const { pollIntervalMs, ...brokerOpts } = opts;
  const broker = await startKafkaBroker({ ...brokerOpts, userLookup: usersFromHost(host) });
  const poller = new Poller(host, broker, { intervalMs: pollIntervalMs });
  poller.start();
  return {
    broker,
    listeners: broker.listeners,
    caPem: broker.caPem,
    invocations: (uuid) => poller.invocations(uuid),
    issueClientCertificate: (cn) => broker.issueClientCertificate(cn),
    pollNow: () => poller.tick(),
    reset() {
      poller.reset();
      broker.log.topics.clear();
      broker.groups.clear();
    },
    async stop() {
      poller.stop();
      await broker.stop();
    },
  };
}
