// Least-privilege IAM, CDK-style: the statements each mapping's execution role needs, merged into one inline
// policy `esmctl-<set>` per role; normalisation and equality of policy documents (order, string vs list).

import { canonicalJson, cmp } from './canonical-json.js';
import type { AuthType, LiveCluster, LiveSecret, MappingConfig, PolicyDocument, PolicyStatement } from './types.js';

export function policyName(set: string): string {
  return `esmctl-${set}`;
}

/** The role name of a role ARN (`arn:aws:iam::1:role/path/name` → `name`). */
export function roleNameOf(roleArn: string): string {
  const resource = roleArn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  return parts[parts.length - 1];
}

/** The EC2 actions Lambda needs to place network interfaces in the cluster's VPC (they take no resource ARNs). */
export const EC2_NETWORK_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeVpcs',
] as const;

export interface PolicyInput {
  /** set/mapping, for messages. */
  address: string;
  config: MappingConfig;
  /** The spec's auth type; undefined: decided from the cluster's auth modes. */
  authType?: AuthType;
}

export interface PolicyContext {
  region: string;
  accountId?: string;
  clusters: LiveCluster[];
  /** Secret metadata from DescribeSecret: a customer-managed key adds kms:Decrypt on that key. */
  secrets?: LiveSecret[];
}

/**
 * The key ARN kms:Decrypt needs for a secret's KmsKeyId: a key ARN as is, a bare key id in the secret's region and
 * account. Aliases return null (an IAM grant on an alias ARN does not cover Decrypt; name the key ARN instead).
 */
export function kmsKeyArnFor(secretArn: string, kmsKeyId: string | undefined): string | null {
  if (!kmsKeyId) return null;
  if (kmsKeyId.startsWith('arn:')) return kmsKeyId.includes(':key/') ? kmsKeyId : null;
  if (kmsKeyId.startsWith('alias/')) return null;
  const [, partition, , region, account] = secretArn.split(':');
  if (!partition || !region || !account) return null;
  return `arn:${partition}:kms:${region}:${account}:key/${kmsKeyId}`;
}

/** Cluster coordinates for kafka-cluster ARNs: from the observed cluster, else parsed from the ARN. */
export interface ClusterRef {
  clusterArn: string;
  partition: string;
  region: string;
  account: string;
  name: string;
  uuid: string;
  /** Set when the source is a cross-account VPC connection. */
  vpcConnectionArn?: string;
}

/**
 * Parses `arn:P:kafka:R:A:cluster/NAME/UUID` or a VPC connection `arn:P:kafka:R:A:vpc-connection/OWNER/NAME/UUID`
 * (the cluster lives in OWNER). null when the ARN is neither.
 */
export function parseClusterArn(arn: string): ClusterRef | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'kafka') return null;
  const [, partition, , region, account] = parts;
  const resource = parts.slice(5).join(':').split('/');
  if (resource[0] === 'cluster' && resource.length >= 3) {
    return { clusterArn: arn, partition, region, account, name: resource[1], uuid: resource[2] };
  }
  if (resource[0] === 'vpc-connection' && resource.length >= 4) {
    const [, owner, name, uuid] = resource;
    return {
      clusterArn: `arn:${partition}:kafka:${region}:${owner}:cluster/${name}/${uuid}`,
      partition,
      region,
      account: owner,
      name,
      uuid,
      vpcConnectionArn: arn,
    };
  }
  return null;
}

function clusterRef(arn: string, ctx: PolicyContext): ClusterRef | null {
  const parsed = parseClusterArn(arn);
  const live = ctx.clusters.find((c) => c.arn === (parsed?.clusterArn ?? arn) || c.arn === arn);
  if (parsed && live) return { ...parsed, name: live.name || parsed.name, uuid: live.uuid || parsed.uuid };
  return parsed;
}

function kafkaArn(c: ClusterRef, kind: 'topic' | 'group', name: string): string {
  return `arn:${c.partition}:kafka:${c.region}:${c.account}:${kind}/${c.name}/${c.uuid}/${name}`;
}

const SECRET_ACCESS_TYPES = new Set([
  'BASIC_AUTH',
  'SASL_SCRAM_512_AUTH',
  'SASL_SCRAM_256_AUTH',
  'CLIENT_CERTIFICATE_TLS_AUTH',
  'SERVER_ROOT_CA_CERTIFICATE',
]);

/** true when the mapping authenticates to MSK with IAM (explicitly, or by default on an IAM-enabled cluster). */
export function usesIamAuth(input: PolicyInput, ctx: PolicyContext): boolean {
  const c = input.config;
  if (c.source.kind !== 'msk') return false;
  if (input.authType) return input.authType === 'IAM';
  const hasSecretAuth = c.sourceAccessConfigurations.some((a) => a.type !== 'VPC_SUBNET' && a.type !== 'VPC_SECURITY_GROUP');
  if (hasSecretAuth) return false;
  const arn = c.source.arn;
  const ref = parseClusterArn(arn);
  const live = ctx.clusters.find((x) => x.arn === arn || x.arn === ref?.clusterArn);
  return live ? live.authModes.includes('IAM') : false;
}

type Grant = [action: string, resource: string];

/** The (action, resource) grants one mapping needs. */
export function grantsFor(input: PolicyInput, ctx: PolicyContext): Grant[] {
  const c = input.config;
  const grants: Grant[] = [];
  const ec2 = () => EC2_NETWORK_ACTIONS.forEach((a) => grants.push([a, '*']));
  let cluster: ClusterRef | null = null;

  if (c.source.kind === 'msk') {
    cluster = clusterRef(c.source.arn, ctx);
    const clusterArn = cluster?.clusterArn ?? c.source.arn;
    if (cluster?.vpcConnectionArn) grants.push(['kafka:DescribeVpcConnection', cluster.vpcConnectionArn]);
    grants.push(['kafka:DescribeClusterV2', clusterArn], ['kafka:GetBootstrapBrokers', clusterArn]);
    ec2();
    if (cluster && usesIamAuth(input, ctx)) {
      grants.push(['kafka-cluster:Connect', clusterArn], ['kafka-cluster:DescribeClusterDynamicConfiguration', clusterArn]);
      const topic = kafkaArn(cluster, 'topic', c.topic);
      grants.push(['kafka-cluster:DescribeTopic', topic], ['kafka-cluster:ReadData', topic]);
      const group = kafkaArn(cluster, 'group', c.consumerGroupId ?? '*');
      grants.push(['kafka-cluster:DescribeGroup', group], ['kafka-cluster:AlterGroup', group]);
      if (c.onFailure?.startsWith('kafka://')) {
        const dlq = kafkaArn(cluster, 'topic', c.onFailure.slice('kafka://'.length));
        grants.push(['kafka-cluster:DescribeTopic', dlq], ['kafka-cluster:WriteData', dlq]);
      }
    }
  } else if (c.sourceAccessConfigurations.some((a) => a.type === 'VPC_SUBNET')) {
    ec2();
  }

  const secret = (arn: string) => {
    grants.push(['secretsmanager:GetSecretValue', arn]);
    const key = kmsKeyArnFor(arn, ctx.secrets?.find((s) => s.arn === arn)?.kmsKeyId);
    if (key) grants.push(['kms:Decrypt', key]);
  };
  for (const a of c.sourceAccessConfigurations) {
    if (SECRET_ACCESS_TYPES.has(a.type)) secret(a.uri);
  }
  if (c.schemaRegistry) {
    for (const a of c.schemaRegistry.accessConfigs) {
      if (a.uri.startsWith('arn:') && a.uri.includes(':secretsmanager:')) secret(a.uri);
    }
    const glue = parseGlueRegistry(c.schemaRegistry.uri);
    if (glue) {
      grants.push(['glue:GetRegistry', glue.registryArn], ['glue:GetSchemaVersion', glue.registryArn]);
      grants.push(['glue:GetSchemaVersion', glue.schemasArn]);
    }
  }
  if (c.onFailure && c.onFailure.startsWith('arn:')) {
    const service = c.onFailure.split(':')[2];
    if (service === 'sqs') grants.push(['sqs:SendMessage', c.onFailure]);
    else if (service === 'sns') grants.push(['sns:Publish', c.onFailure]);
    else if (service === 's3') grants.push(['s3:ListBucket', c.onFailure], ['s3:PutObject', `${c.onFailure}/*`]);
  }
  return grants;
}

function parseGlueRegistry(uri: string): { registryArn: string; schemasArn: string } | null {
  const parts = uri.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'glue') return null;
  const resource = parts.slice(5).join(':');
  if (!resource.startsWith('registry/')) return null;
  const name = resource.slice('registry/'.length);
  return { registryArn: uri, schemasArn: `${parts.slice(0, 5).join(':')}:schema/${name}/*` };
}

/**
 * The inline policy a role needs for these mappings (callers leave out `permissions: none` mappings), or null
 * when they need nothing. Resources with the same actions share a statement; everything is sorted.
 */
export function desiredPolicyDocument(mappings: PolicyInput[], ctx: PolicyContext): PolicyDocument | null {
  const byResource = new Map<string, Set<string>>();
  for (const m of mappings) {
    for (const [action, resource] of grantsFor(m, ctx)) {
      if (!byResource.has(resource)) byResource.set(resource, new Set());
      byResource.get(resource)!.add(action);
    }
  }
  if (byResource.size === 0) return null;
  const byActions = new Map<string, { actions: string[]; resources: string[] }>();
  for (const [resource, actions] of byResource) {
    const list = [...actions].sort(cmp);
    const key = list.join(',');
    if (!byActions.has(key)) byActions.set(key, { actions: list, resources: [] });
    byActions.get(key)!.resources.push(resource);
  }
  const statements: PolicyStatement[] = [...byActions.values()].map((g) => ({
    Effect: 'Allow',
    Action: g.actions,
    Resource: g.resources.sort(cmp),
  }));
  return normalizePolicy({ Version: '2012-10-17', Statement: statements });
}

/** Canonical form: Action/Resource as sorted unique lists, statements sorted; equal policies print equal. */
export function normalizePolicy(doc: PolicyDocument): PolicyDocument {
  const list = (v: string | string[] | undefined) => [...new Set(Array.isArray(v) ? v : v === undefined ? [] : [v])].sort(cmp);
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement as unknown as PolicyStatement]).map((s) => {
    const out: PolicyStatement = { Effect: s.Effect, Action: list(s.Action), Resource: list(s.Resource) };
    if (s.Sid) out.Sid = s.Sid;
    if (s.Condition && Object.keys(s.Condition).length > 0) out.Condition = s.Condition;
    return out;
  });
  statements.sort((a, b) => cmp(canonicalJson(a), canonicalJson(b)));
  return { Version: '2012-10-17', Statement: statements };
}

export function policiesEqual(a: PolicyDocument | null, b: PolicyDocument | null): boolean {
  if (a === null || b === null) return a === b;
  return canonicalJson(normalizePolicy(a)) === canonicalJson(normalizePolicy(b));
}
