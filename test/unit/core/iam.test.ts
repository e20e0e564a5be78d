// Least-privilege IAM: exact statements and ARNs per source/auth/destination, never "*" on kafka-cluster actions,
// normalisation and equality of policy documents.

import { describe, expect, it } from 'vitest';
import {
  desiredPolicyDocument,
  normalizePolicy,
  parseClusterArn,
  policiesEqual,
  policyName,
  roleNameOf,
  type PolicyInput,
} from '../../../src/core/iam.js';
import type { DesiredMapping, PolicyDocument } from '../../../src/core/types.js';
import { ACCOUNT, CLUSTER, CLUSTER_ARN, configOf, desired, REGION, SECRET_ARN } from './builders.js';

const ctx = { region: REGION, accountId: ACCOUNT, clusters: [CLUSTER] };
const input = (d: DesiredMapping): PolicyInput => ({ address: d.address, config: configOf(d), authType: d.auth?.type });
const EC2 = [
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeVpcs',
];
const T = `arn:aws:kafka:${REGION}:${ACCOUNT}:topic/orders-cluster/${CLUSTER.uuid}`;
const G = `arn:aws:kafka:${REGION}:${ACCOUNT}:group/orders-cluster/${CLUSTER.uuid}`;

describe('desiredPolicyDocument', () => {
  it('IAM-auth MSK: exact statements and ARNs (default group → group/<name>/<uuid>/*)', () => {
    const doc = desiredPolicyDocument([input(desired({ auth: { type: 'IAM' } }))], ctx);
    expect(doc).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: EC2, Resource: ['*'] },
        { Effect: 'Allow', Action: ['kafka-cluster:AlterGroup', 'kafka-cluster:DescribeGroup'], Resource: [`${G}/*`] },
        { Effect: 'Allow', Action: ['kafka-cluster:Connect', 'kafka-cluster:DescribeClusterDynamicConfiguration', 'kafka:DescribeClusterV2', 'kafka:GetBootstrapBrokers'], Resource: [CLUSTER_ARN] },
        { Effect: 'Allow', Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData'], Resource: [`${T}/orders`] },
      ],
    });
  });

  it('IAM-auth MSK with a custom group and a Kafka DLQ topic', () => {
    const doc = desiredPolicyDocument([input(desired({ auth: { type: 'IAM' }, consumerGroupId: 'settle-g', onFailure: 'kafka://orders-dlq' }))], ctx)!;
    const flat = doc.Statement.flatMap((s) => (s.Action as string[]).flatMap((a) => (s.Resource as string[]).map((r) => `${a} ${r}`)));
    expect(flat).toContain(`kafka-cluster:AlterGroup ${G}/settle-g`);
    expect(flat).toContain(`kafka-cluster:WriteData ${T}/orders-dlq`);
    expect(flat).toContain(`kafka-cluster:DescribeTopic ${T}/orders-dlq`);
    expect(flat).not.toContain(`kafka-cluster:WriteData ${T}/orders`);
  });

  it('auth left out on an IAM-only cluster means IAM; on an unauthenticated cluster it does not', () => {
    const iamDoc = desiredPolicyDocument([input(desired())], ctx)!;
    expect(JSON.stringify(iamDoc)).toContain('kafka-cluster:ReadData');
    const open = desiredPolicyDocument([input(desired())], { ...ctx, clusters: [{ ...CLUSTER, authModes: ['UNAUTHENTICATED'] }] })!;
    expect(JSON.stringify(open)).not.toContain('kafka-cluster:');
  });

  it('SCRAM on MSK: the secret, the cluster reads and the network interfaces, no kafka-cluster actions', () => {
    const doc = desiredPolicyDocument([input(desired({ auth: { type: 'SASL_SCRAM_512', secretArn: SECRET_ARN } }))], ctx)!;
    expect(doc.Statement).toEqual([
      { Effect: 'Allow', Action: EC2, Resource: ['*'] },
      { Effect: 'Allow', Action: ['kafka:DescribeClusterV2', 'kafka:GetBootstrapBrokers'], Resource: [CLUSTER_ARN] },
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [SECRET_ARN] },
    ]);
  });

  it('self-managed in a VPC with mTLS and a root CA: EC2 and both secrets', () => {
    const d = desired({
      source: { kind: 'self-managed', bootstrapServers: ['b1:9094'] },
      auth: { type: 'MTLS', secretArn: SECRET_ARN, serverRootCaSecretArn: `${SECRET_ARN}-ca` },
      vpc: { subnets: ['subnet-1'], securityGroups: ['sg-1'] },
    });
    expect(desiredPolicyDocument([input(d)], ctx)!.Statement).toEqual([
      { Effect: 'Allow', Action: EC2, Resource: ['*'] },
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [SECRET_ARN, `${SECRET_ARN}-ca`] },
    ]);
  });

  it('self-managed without VPC or secrets needs nothing', () => {
    expect(desiredPolicyDocument([input(desired({ source: { kind: 'self-managed', bootstrapServers: ['b:9092'] } }))], ctx)).toBeNull();
    expect(desiredPolicyDocument([], ctx)).toBeNull();
  });

  it.each([
    ['SQS', `arn:aws:sqs:${REGION}:${ACCOUNT}:dlq`, [['sqs:SendMessage', `arn:aws:sqs:${REGION}:${ACCOUNT}:dlq`]]],
    ['SNS', `arn:aws:sns:${REGION}:${ACCOUNT}:alerts`, [['sns:Publish', `arn:aws:sns:${REGION}:${ACCOUNT}:alerts`]]],
    ['S3', 'arn:aws:s3:::failed-batches', [['s3:ListBucket', 'arn:aws:s3:::failed-batches'], ['s3:PutObject', 'arn:aws:s3:::failed-batches/*']]],
  ])('on-failure destination %s gets its write permission', (_n, dest, grants) => {
    const d = desired({ source: { kind: 'self-managed', bootstrapServers: ['b:9092'] }, onFailure: dest });
    const doc = desiredPolicyDocument([input(d)], ctx)!;
    const flat = doc.Statement.flatMap((s) => (s.Action as string[]).flatMap((a) => (s.Resource as string[]).map((r) => [a, r])));
    expect(flat).toEqual(grants);
  });

  it('cross-account MSK through a VPC connection: DescribeVpcConnection and cluster ARNs in the owner account', () => {
    const vpcConn = `arn:aws:kafka:${REGION}:${ACCOUNT}:vpc-connection/999988887777/remote/abcd-1234-5`;
    const doc = desiredPolicyDocument([input(desired({ source: { kind: 'msk', arn: vpcConn }, auth: { type: 'IAM' } }))], ctx)!;
    const text = JSON.stringify(doc);
    expect(text).toContain('kafka:DescribeVpcConnection');
    expect(text).toContain(vpcConn);
    expect(text).toContain(`arn:aws:kafka:${REGION}:999988887777:topic/remote/abcd-1234-5/orders`);
  });

  it('merges mappings of one role and never puts "*" on a kafka-cluster action', () => {
    const docs: Array<PolicyDocument | null> = [
      desiredPolicyDocument([input(desired({ auth: { type: 'IAM' } })), input(desired({ name: 'b', topic: 'refunds', auth: { type: 'IAM' }, consumerGroupId: 'g' }))], ctx),
    ];
    const doc = docs[0]!;
    for (const s of doc.Statement) {
      const actions = s.Action as string[];
      if ((s.Resource as string[]).includes('*')) expect(actions.every((a) => a.startsWith('ec2:'))).toBe(true);
    }
    expect(JSON.stringify(doc)).toContain(`${T}/refunds`);
    expect(JSON.stringify(doc)).toContain(`${G}/g`);
  });
});

describe('policy helpers', () => {
  it('names, role names and cluster ARNs', () => {
    expect(policyName('payments')).toBe('esmctl-payments');
    expect(roleNameOf(`arn:aws:iam::${ACCOUNT}:role/service/settle-role`)).toBe('settle-role');
    expect(parseClusterArn(CLUSTER_ARN)).toMatchObject({ name: 'orders-cluster', uuid: CLUSTER.uuid, account: ACCOUNT });
    expect(parseClusterArn('arn:aws:sqs:us-east-1:1:q')).toBeNull();
  });

  it('equality ignores statement order, action order and string vs list', () => {
    const a: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN },
        { Effect: 'Allow', Action: ['kafka:GetBootstrapBrokers', 'kafka:DescribeClusterV2'], Resource: [CLUSTER_ARN] },
      ],
    };
    const b: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['kafka:DescribeClusterV2', 'kafka:GetBootstrapBrokers'], Resource: CLUSTER_ARN },
        { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [SECRET_ARN] },
      ],
    };
    expect(policiesEqual(a, b)).toBe(true);
    expect(normalizePolicy(a)).toEqual(normalizePolicy(b));
    expect(policiesEqual(a, { ...b, Statement: b.Statement.slice(1) })).toBe(false);
    expect(policiesEqual(a, null)).toBe(false);
  });
});

describe('secrets encrypted with a customer-managed key', () => {
  const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0f1e2d3c-aaaa-bbbb-cccc-111122223333`;
  it.each([
    ['a key ARN', KEY, [KEY]],
    ['a bare key id (secret region and account)', '0f1e2d3c-aaaa-bbbb-cccc-111122223333', [KEY]],
    ['the AWS managed key (no KmsKeyId)', undefined, []],
    ['an alias (cannot be granted on; left out)', 'alias/kafka', []],
  ])('%s', (_n, kmsKeyId, keys) => {
    const d = desired({ auth: { type: 'SASL_SCRAM_512', secretArn: SECRET_ARN } });
    const doc = desiredPolicyDocument([input(d)], { ...ctx, secrets: [{ arn: SECRET_ARN, kmsKeyId }] })!;
    const decrypt = doc.Statement.filter((s) => (s.Action as string[]).includes('kms:Decrypt')).flatMap((s) => s.Resource as string[]);
    expect(decrypt).toEqual(keys);
  });
});
