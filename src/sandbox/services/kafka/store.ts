// MSK state: clusters by ARN with their client authentication modes, and the bootstrap broker strings for
// each mode (the sandbox broker's listeners for clusters seeded with `broker: sandbox`).

import { randomUUID } from 'node:crypto';
import type { ClusterAuthMode, SeedCluster } from '../../seed.js';
import type { KafkaListeners } from '../../kafka-bridge.js';
import { clusterNotFound } from './errors.js';

export interface StoredCluster {
  arn: string;
  name: string;
  type: 'PROVISIONED' | 'SERVERLESS';
  auth: Set<ClusterAuthMode>;
  sandboxBroker: boolean;
  state: string;
  kafkaVersion: string;
  brokers: number;
  subnets: string[];
  securityGroups: string[];
  tags: Record<string, string>;
  creationTime: number; // epoch ms
  currentVersion: string;
}

/** The bootstrap strings GetBootstrapBrokers returns (API field names). */
export interface BootstrapStrings {
  BootstrapBrokerString?: string;
  BootstrapBrokerStringTls?: string;
  BootstrapBrokerStringSaslScram?: string;
  BootstrapBrokerStringSaslIam?: string;
}

export class MskStore {
  clusters = new Map<string, StoredCluster>();
  /** Set when the sandbox Kafka broker runs. */
  listeners?: KafkaListeners;

  constructor(
    readonly region: string,
    readonly accountId: string,
    private readonly clock: () => number,
  ) {}

  add(c: SeedCluster): StoredCluster {
    const uuid = c.uuid ?? `${randomUUID()}-1`;
    const arn = `arn:aws:kafka:${this.region}:${this.accountId}:cluster/${c.name}/${uuid}`;
    const cluster: StoredCluster = {
      arn,
      name: c.name,
      type: c.type ?? 'PROVISIONED',
      auth: new Set(c.auth),
      sandboxBroker: c.broker === 'sandbox',
      state: c.state ?? 'ACTIVE',
      kafkaVersion: c.kafkaVersion ?? '3.6.0',
      brokers: c.brokers ?? 3,
      subnets: c.subnets ?? ['subnet-0a1b2c3d4e5f60718', 'subnet-0b2c3d4e5f6071829', 'subnet-0c3d4e5f607182930'],
      securityGroups: c.securityGroups ?? ['sg-0123456789abcdef0'],
      tags: c.tags ?? {},
      creationTime: this.clock(),
      currentVersion: 'K3AEGXETSR30VB',
    };
    this.clusters.set(arn, cluster);
    return cluster;
  }

  get(arn: string): StoredCluster {
    const c = this.clusters.get(arn);
    if (!c) throw clusterNotFound(arn);
    return c;
  }

  /** Broker strings for each auth mode the cluster has, MSK's ports and host names, or the sandbox listeners. */
  bootstrap(c: StoredCluster): BootstrapStrings {
    const out: BootstrapStrings = {};
    if (c.sandboxBroker) {
      const l = this.listeners;
      if (!l) return out;
      if (c.auth.has('unauthenticated') && l.plaintext) out.BootstrapBrokerString = l.plaintext;
      // one TLS string, as MSK has one TLS port: the TLS listener when TLS without client auth is on, else mTLS
      const tls = c.auth.has('tls') ? l.tls : c.auth.has('mtls') ? (l.mtls ?? l.tls) : undefined;
      if (tls) out.BootstrapBrokerStringTls = tls;
      if (c.auth.has('scram') && l.saslScram) out.BootstrapBrokerStringSaslScram = l.saslScram;
      if (c.auth.has('iam') && l.iam) out.BootstrapBrokerStringSaslIam = l.iam;
      return out;
    }
    const id = c.arn.split('/')[2].slice(0, 6).toLowerCase();
    const hosts = (port: number) =>
      Array.from({ length: c.type === 'SERVERLESS' ? 1 : c.brokers }, (_, i) =>
        c.type === 'SERVERLESS' ? `boot-${id}.c1.kafka-serverless.${this.region}.amazonaws.com:${port}` : `b-${i + 1}.${c.name}.${id}.c2.kafka.${this.region}.amazonaws.com:${port}`,
      ).join(',');
    if (c.auth.has('unauthenticated')) out.BootstrapBrokerString = hosts(9092);
    if (c.auth.has('tls') || c.auth.has('mtls')) out.BootstrapBrokerStringTls = hosts(9094);
    if (c.auth.has('scram')) out.BootstrapBrokerStringSaslScram = hosts(9096);
    if (c.auth.has('iam')) out.BootstrapBrokerStringSaslIam = hosts(9098);
    return out;
  }
}
