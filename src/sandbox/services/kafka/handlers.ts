// MSK operations: ListClustersV2, DescribeClusterV2, ListClusters, DescribeCluster, GetBootstrapBrokers.
// Bodies use the Kafka API's lowerCamel JSON names (clusterInfoList, clientAuthentication, …).

import type { SandboxResponse } from '../../http/protocols.js';
import type { MskStore, StoredCluster } from './store.js';
import { badRequest } from './errors.js';

const iso = (ms: number) => new Date(ms).toISOString();

function clientAuthentication(c: StoredCluster) {
  return {
    sasl: { scram: { enabled: c.auth.has('scram') }, iam: { enabled: c.auth.has('iam') } },
    tls: c.auth.has('mtls')
      ? { certificateAuthorityArnList: [`arn:aws:acm-pca:${c.arn.split(':')[3]}:${c.arn.split(':')[4]}:certificate-authority/11111111-2222-3333-4444-555555555555`], enabled: true }
      : { certificateAuthorityArnList: [], enabled: false },
    unauthenticated: { enabled: c.auth.has('unauthenticated') },
  };
}

function encryptionInTransit(c: StoredCluster) {
  const plain = c.auth.has('unauthenticated');
  const tls = c.auth.has('tls') || c.auth.has('mtls') || c.auth.has('scram') || c.auth.has('iam');
  return { clientBroker: plain && tls ? 'TLS_PLAINTEXT' : plain ? 'PLAINTEXT' : 'TLS', inCluster: true };
}

/** DescribeCluster / ListClusters shape (ClusterInfo). */
export function clusterInfoV1(c: StoredCluster) {
  return {
    brokerNodeGroupInfo: { brokerAZDistribution: 'DEFAULT', clientSubnets: c.subnets, instanceType: 'kafka.m5.large', securityGroups: c.securityGroups, storageInfo: { ebsStorageInfo: { volumeSize: 100 } } },
    clientAuthentication: clientAuthentication(c),
    clusterArn: c.arn,
    clusterName: c.name,
    creationTime: iso(c.creationTime),
    currentBrokerSoftwareInfo: { kafkaVersion: c.kafkaVersion },
    currentVersion: c.currentVersion,
    encryptionInfo: { encryptionAtRest: { dataVolumeKMSKeyId: `arn:aws:kms:${c.arn.split(':')[3]}:${c.arn.split(':')[4]}:key/aws-msk` }, encryptionInTransit: encryptionInTransit(c) },
    enhancedMonitoring: 'DEFAULT',
    numberOfBrokerNodes: c.brokers,
    state: c.state,
    tags: c.tags,
    storageMode: 'LOCAL',
  };
}

/** DescribeClusterV2 / ListClustersV2 shape (Cluster). */
export function clusterV2(c: StoredCluster) {
  const base = { clusterType: c.type, clusterArn: c.arn, clusterName: c.name, creationTime: iso(c.creationTime), currentVersion: c.currentVersion, state: c.state, tags: c.tags };
  if (c.type === 'SERVERLESS') {
    return { ...base, serverless: { vpcConfigs: [{ subnetIds: c.subnets, securityGroupIds: c.securityGroups }], clientAuthentication: { sasl: { iam: { enabled: c.auth.has('iam') } } } } };
  }
  const v1 = clusterInfoV1(c);
  return {
    ...base,
    provisioned: {
      brokerNodeGroupInfo: v1.brokerNodeGroupInfo,
      currentBrokerSoftwareInfo: v1.currentBrokerSoftwareInfo,
      clientAuthentication: v1.clientAuthentication,
      encryptionInfo: v1.encryptionInfo,
      enhancedMonitoring: v1.enhancedMonitoring,
      numberOfBrokerNodes: c.brokers,
      storageMode: 'LOCAL',
    },
  };
}

function page<T>(items: T[], q: URLSearchParams): { items: T[]; nextToken?: string } {
  const max = q.has('maxResults') ? Number(q.get('maxResults')) : 10;
  if (!Number.isInteger(max) || max < 1 || max > 100) throw badRequest('maxResults', 'The maxResults parameter must be between 1 and 100.');
  const start = q.has('nextToken') ? Number(Buffer.from(q.get('nextToken')!, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw badRequest('nextToken', 'The nextToken parameter is invalid.');
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
  return { items: items.slice(start, start + max), nextToken: next };
}

function filtered(store: MskStore, q: URLSearchParams): StoredCluster[] {
  const name = q.get('clusterNameFilter');
  const type = q.get('clusterTypeFilter');
  return [...store.clusters.values()].filter((c) => (!name || c.name.startsWith(name)) && (!type || c.type === type));
}

export const mskHandlers = {
  ListClustersV2: (s: MskStore, q: URLSearchParams): SandboxResponse => {
    const p = page(filtered(s, q), q);
    return { status: 200, json: { clusterInfoList: p.items.map(clusterV2), ...(p.nextToken ? { nextToken: p.nextToken } : {}) } };
  },
  ListClusters: (s: MskStore, q: URLSearchParams): SandboxResponse => {
    const p = page(filtered(s, q).filter((c) => c.type === 'PROVISIONED'), q);
    return { status: 200, json: { clusterInfoList: p.items.map(clusterInfoV1), ...(p.nextToken ? { nextToken: p.nextToken } : {}) } };
  },
  DescribeClusterV2: (s: MskStore, arn: string): SandboxResponse => ({ status: 200, json: { clusterInfo: clusterV2(s.get(arn)) } }),
  DescribeCluster: (s: MskStore, arn: string): SandboxResponse => {
    const c = s.get(arn);
    if (c.type === 'SERVERLESS') throw badRequest('clusterArn', 'This operation cannot be performed on serverless clusters.');
    return { status: 200, json: { clusterInfo: clusterInfoV1(c) } };
  },
  GetBootstrapBrokers: (s: MskStore, arn: string): SandboxResponse => {
    const b = s.bootstrap(s.get(arn));
    const json: Record<string, string> = {};
    if (b.BootstrapBrokerString) json.bootstrapBrokerString = b.BootstrapBrokerString;
    if (b.BootstrapBrokerStringTls) json.bootstrapBrokerStringTls = b.BootstrapBrokerStringTls;
    if (b.BootstrapBrokerStringSaslScram) json.bootstrapBrokerStringSaslScram = b.BootstrapBrokerStringSaslScram;
    if (b.BootstrapBrokerStringSaslIam) json.bootstrapBrokerStringSaslIam = b.BootstrapBrokerStringSaslIam;
    return { status: 200, json };
  },
};
