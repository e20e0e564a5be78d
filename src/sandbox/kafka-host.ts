// The AWS emulation's side of the Kafka bridge: what the sandbox broker and emulated poller may read and
// write (mappings as the poller sees them, secrets, sandbox-backed clusters, failing functions).

import type { KafkaHost, KafkaListeners, PollerMappingView } from './kafka-bridge.js';
import type { Runtime } from './runtime.js';

/** The stored mapping fields the poller reads (API field names). */
interface ApiMapping {
  FunctionArn: string;
  EventSourceArn?: string;
  SelfManagedEventSource?: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: string[] } };
  Topics: string[];
  StartingPosition: PollerMappingView['startingPosition'];
  StartingPositionTimestamp?: number;
  BatchSize: number;
  MaximumBatchingWindowInSeconds?: number;
  SourceAccessConfigurations?: Array<{ Type: string; URI: string }>;
  AmazonManagedKafkaEventSourceConfig?: { ConsumerGroupId?: string };
  SelfManagedKafkaEventSourceConfig?: { ConsumerGroupId?: string };
  MaximumRetryAttempts?: number;
}

export function createKafkaHost(runtime: Runtime): KafkaHost {
  return {
    listMappings(): PollerMappingView[] {
      const lambda = runtime.world.lambda;
      lambda.settle();
      return [...lambda.mappings.values()].map((m) => {
        const api = m.api as unknown as ApiMapping;
        const cfg = api.AmazonManagedKafkaEventSourceConfig ?? api.SelfManagedKafkaEventSourceConfig ?? {};
        return {
          uuid: m.uuid,
          functionArn: api.FunctionArn,
          eventSourceArn: api.EventSourceArn,
          bootstrapServers: api.SelfManagedEventSource?.Endpoints?.KAFKA_BOOTSTRAP_SERVERS,
          topic: api.Topics[0],
          consumerGroupId: cfg.ConsumerGroupId && cfg.ConsumerGroupId !== m.uuid ? cfg.ConsumerGroupId : undefined,
          startingPosition: api.StartingPosition,
          startingPositionTimestamp: api.StartingPositionTimestamp,
          batchSize: api.BatchSize,
          maximumBatchingWindowInSeconds: api.MaximumBatchingWindowInSeconds,
          state: m.state,
          sourceAccessConfigurations: api.SourceAccessConfigurations ?? [],
          createdAt: new Date(m.createdAt).toISOString(),
          maximumRetryAttempts: api.MaximumRetryAttempts,
        };
      });
    },
    setLastProcessingResult(uuid: string, text: string): void {
      const m = runtime.world.lambda.mappings.get(uuid);
      if (m) m.lastProcessingResult = text;
    },
    getSecretString(arn: string): string | undefined {
      return runtime.world.secrets.find(arn)?.secretString;
    },
    clusterBootstrap(clusterArn: string): KafkaListeners | undefined {
      const c = runtime.world.msk.clusters.get(clusterArn);
      const l = runtime.kafka?.listeners;
      if (!c || !c.sandboxBroker || !l) return undefined;
      const out: KafkaListeners = {};
      if (c.auth.has('unauthenticated')) out.plaintext = l.plaintext;
      if (c.auth.has('tls')) out.tls = l.tls;
      if (c.auth.has('mtls')) out.mtls = l.mtls;
      if (c.auth.has('scram')) out.saslScram = l.saslScram;
      if (c.auth.has('iam')) out.iam = l.iam;
      return out;
    },
    listSecrets() {
      return [...runtime.world.secrets.secrets.values()].map((s) => ({ arn: s.arn, name: s.name, secretString: s.secretString }));
    },
    isFunctionFailing(functionArn: string): boolean {
      const name = functionArn.split(':')[6] ?? functionArn;
      return runtime.world.lambda.functions.get(name)?.failing === true;
    },
  };
}
