// The sandbox's IAM, STS, MSK and Secrets Manager emulation through the real AWS SDK v3 clients: every operation
// esmctl uses, their error paths, and the shapes (URL-encoded policy documents, bootstrap strings per auth mode).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttachRolePolicyCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DescribeClusterCommand, DescribeClusterV2Command, GetBootstrapBrokersCommand, KafkaClient, ListClustersCommand, ListClustersV2Command } from '@aws-sdk/client-kafka';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startSandbox, type RunningSandbox, type SandboxSeed } from '../../src/sandbox/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const MSK_ROLE = 'arn:aws:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole';
const SCRAM_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:AmazonMSK_payments-AbCdEf`;

const SEED: SandboxSeed = {
  policies: [{ name: 'custom-read', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } }],
  roles: [
    {
      name: 'payments-role',
      attachedPolicies: [MSK_ROLE],
      inlinePolicies: { zeta: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kafka-cluster:Connect', Resource: '*' }] }, alpha: '{"Version":"2012-10-17","Statement":[]}' },
    },
  ],
  clusters: [
    { name: 'payments', uuid: '0f1e2d3c-aaaa-bbbb-cccc-123456789abc-2', auth: ['iam', 'scram'] },
    { name: 'open', uuid: '11111111-2222-3333-4444-555555555555-1', auth: ['unauthenticated', 'tls'], brokers: 2 },
    { name: 'serverless', uuid: '99999999-2222-3333-4444-555555555555-1', type: 'SERVERLESS', auth: ['iam'] },
  ],
  secrets: [{ name: 'AmazonMSK_payments', arn: SCRAM_SECRET, value: { username: 'u', password: 'p-secret-value' }, description: 'scram' }],
};

const creds = { accessKeyId: 'test', secretAccessKey: 'test' };

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

describe('sandbox IAM and STS', () => {
  let sb: RunningSandbox;
  let iam: IAMClient;
  beforeAll(async () => {
    sb = await startSandbox({ seed: SEED });
    iam = new IAMClient({ endpoint: sb.url, region: REGION, credentials: creds, maxAttempts: 1 });
  });
  afterAll(async () => sb.stop());

  it('GetRole returns the role with its ARN and URL-encoded trust policy; unknown roles are NoSuchEntity', async () => {
    const r = await iam.send(new GetRoleCommand({ RoleName: 'payments-role' }));
    expect(r.Role).toMatchObject({ RoleName: 'payments-role', Arn: `arn:aws:iam::${ACCOUNT}:role/payments-role`, Path: '/' });
    expect(JSON.parse(decodeURIComponent(r.Role!.AssumeRolePolicyDocument!)).Statement[0].Principal).toEqual({ Service: 'lambda.amazonaws.com' });
    expect(await failure(iam.send(new GetRoleCommand({ RoleName: 'ghost' })))).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: 'The role with name ghost cannot be found.' });
  });

  it('lists, reads, puts and deletes inline policies (documents URL-encoded as IAM returns them)', async () => {
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'payments-role' }))).PolicyNames).toEqual(['alpha', 'zeta']);
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kafka-cluster:Connect', 'kafka-cluster:DescribeGroup'], Resource: 'arn:aws:kafka:us-east-1:123456789012:cluster/payments/*' }] };
    await iam.send(new PutRolePolicyCommand({ RoleName: 'payments-role', PolicyName: 'esmctl-payments', PolicyDocument: JSON.stringify(doc) }));
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'payments-role', PolicyName: 'esmctl-payments' }));
    expect(got.PolicyDocument).toBe(encodeURIComponent(JSON.stringify(doc)));
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument!))).toEqual(doc);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'payments-role', MaxItems: 2 }))).IsTruncated).toBe(true);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'payments-role', PolicyName: 'esmctl-payments' }));
    expect(await failure(iam.send(new GetRolePolicyCommand({ RoleName: 'payments-role', PolicyName: 'esmctl-payments' })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role policy with name esmctl-payments cannot be found.',
    });
    expect((await failure(iam.send(new DeleteRolePolicyCommand({ RoleName: 'payments-role', PolicyName: 'esmctl-payments' })))).name).toBe('NoSuchEntityException');
    expect((await failure(iam.send(new PutRolePolicyCommand({ RoleName: 'payments-role', PolicyName: 'bad', PolicyDocument: '{not json' })))).name).toBe('MalformedPolicyDocumentException');
    expect((await failure(iam.send(new PutRolePolicyCommand({ RoleName: 'ghost', PolicyName: 'p', PolicyDocument: JSON.stringify(doc) })))).name).toBe('NoSuchEntityException');
  });

  it('refuses inline policies over the role limit of 10,240 characters with LimitExceeded', async () => {
    const big = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kafka-cluster:Connect', Resource: Array.from({ length: 200 }, (_, i) => `arn:aws:kafka:us-east-1:123456789012:topic/c/x/${i}`) }] };
    expect((await failure(iam.send(new PutRolePolicyCommand({ RoleName: 'payments-role', PolicyName: 'big', PolicyDocument: JSON.stringify(big) })))).name).toBe('LimitExceededException');
  });

  it('attaches and detaches managed policies; lists them; GetPolicy and GetPolicyVersion return AWSLambdaMSKExecutionRole as AWS publishes it', async () => {
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'payments-role' }))).AttachedPolicies).toEqual([{ PolicyName: 'AWSLambdaMSKExecutionRole', PolicyArn: MSK_ROLE }]);
    const custom = `arn:aws:iam::${ACCOUNT}:policy/custom-read`;
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'payments-role', PolicyArn: custom }));
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'payments-role' }))).AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['AWSLambdaMSKExecutionRole', 'custom-read']);
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'payments-role', PolicyArn: custom }));
    expect((await failure(iam.send(new DetachRolePolicyCommand({ RoleName: 'payments-role', PolicyArn: custom })))).name).toBe('NoSuchEntityException');
    expect((await failure(iam.send(new AttachRolePolicyCommand({ RoleName: 'payments-role', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/none` })))).name).toBe('NoSuchEntityException');

    const p = await iam.send(new GetPolicyCommand({ PolicyArn: MSK_ROLE }));
    expect(p.Policy).toMatchObject({ PolicyName: 'AWSLambdaMSKExecutionRole', DefaultVersionId: 'v2', AttachmentCount: 1 });
    const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: MSK_ROLE, VersionId: 'v2' }));
    const statement = JSON.parse(decodeURIComponent(v.PolicyVersion!.Document!)).Statement;
    expect(statement).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'kafka:DescribeCluster',
          'kafka:DescribeClusterV2',
          'kafka:GetBootstrapBrokers',
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeVpcs',
          'ec2:DeleteNetworkInterface',
          'ec2:DescribeSubnets',
          'ec2:DescribeSecurityGroups',
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
        ],
        Resource: '*',
      },
    ]);
    expect((await failure(iam.send(new GetPolicyVersionCommand({ PolicyArn: MSK_ROLE, VersionId: 'v9' })))).name).toBe('NoSuchEntityException');
    expect((await failure(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/Nope' })))).name).toBe('NoSuchEntityException');
  });

  it('STS GetCallerIdentity names the sandbox account (told apart from IAM by the SigV4 scope)', async () => {
    const sts = new STSClient({ endpoint: sb.url, region: REGION, credentials: creds });
    const id = await sts.send(new GetCallerIdentityCommand({}));
    expect(id).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/esmctl-sandbox` });
    expect(sb.control.requestLog().at(-1)).toMatchObject({ service: 'sts', operation: 'GetCallerIdentity', status: 200 });
  });
});

describe('sandbox MSK and Secrets Manager', () => {
  let sb: RunningSandbox;
  let kafka: KafkaClient;
  let sm: SecretsManagerClient;
  const PAYMENTS = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/payments/0f1e2d3c-aaaa-bbbb-cccc-123456789abc-2`;
  const OPEN = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/open/11111111-2222-3333-4444-555555555555-1`;
  const SERVERLESS = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/serverless/99999999-2222-3333-4444-555555555555-1`;
  beforeAll(async () => {
    sb = await startSandbox({ seed: SEED });
    kafka = new KafkaClient({ endpoint: sb.url, region: REGION, credentials: creds, maxAttempts: 1 });
    sm = new SecretsManagerClient({ endpoint: sb.url, region: REGION, credentials: creds, maxAttempts: 1 });
  });
  afterAll(async () => sb.stop());

  it('ListClustersV2 / DescribeClusterV2 show each cluster with its ClientAuthentication', async () => {
    const list = await kafka.send(new ListClustersV2Command({}));
    expect(list.ClusterInfoList?.map((c) => [c.ClusterName, c.ClusterType])).toEqual([
      ['payments', 'PROVISIONED'],
      ['open', 'PROVISIONED'],
      ['serverless', 'SERVERLESS'],
    ]);
    const d = await kafka.send(new DescribeClusterV2Command({ ClusterArn: PAYMENTS }));
    expect(d.ClusterInfo).toMatchObject({ ClusterArn: PAYMENTS, State: 'ACTIVE' });
    expect(d.ClusterInfo?.Provisioned?.ClientAuthentication).toEqual({
      Sasl: { Scram: { Enabled: true }, Iam: { Enabled: true } },
      Tls: { CertificateAuthorityArnList: [], Enabled: false },
      Unauthenticated: { Enabled: false },
    });
    const s = await kafka.send(new DescribeClusterV2Command({ ClusterArn: SERVERLESS }));
    expect(s.ClusterInfo?.Serverless?.ClientAuthentication).toEqual({ Sasl: { Iam: { Enabled: true } } });
    const page = await kafka.send(new ListClustersV2Command({ MaxResults: 2 }));
    expect(page.ClusterInfoList).toHaveLength(2);
    expect((await kafka.send(new ListClustersV2Command({ MaxResults: 2, NextToken: page.NextToken }))).ClusterInfoList?.map((c) => c.ClusterName)).toEqual(['serverless']);
    expect((await kafka.send(new ListClustersV2Command({ ClusterNameFilter: 'op' }))).ClusterInfoList?.map((c) => c.ClusterName)).toEqual(['open']);
  });

  it('ListClusters / DescribeCluster (v1) show provisioned clusters with their encryption in transit', async () => {
    expect((await kafka.send(new ListClustersCommand({}))).ClusterInfoList?.map((c) => c.ClusterName)).toEqual(['payments', 'open']);
    const d = await kafka.send(new DescribeClusterCommand({ ClusterArn: OPEN }));
    expect(d.ClusterInfo).toMatchObject({ ClusterName: 'open', NumberOfBrokerNodes: 2, EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS_PLAINTEXT' } } });
    expect(d.ClusterInfo?.ClientAuthentication?.Unauthenticated).toEqual({ Enabled: true });
  });

  it('GetBootstrapBrokers returns one string per auth mode, with MSK ports', async () => {
    const p = await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: PAYMENTS }));
    expect(p.BootstrapBrokerString).toBeUndefined();
    expect(p.BootstrapBrokerStringTls).toBeUndefined();
    expect(p.BootstrapBrokerStringSaslScram?.split(',')).toHaveLength(3);
    expect(p.BootstrapBrokerStringSaslScram).toMatch(/^b-1\.payments\.[a-z0-9]+\.c2\.kafka\.us-east-1\.amazonaws\.com:9096,/);
    expect(p.BootstrapBrokerStringSaslIam).toMatch(/:9098$/);
    const o = await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: OPEN }));
    expect(o.BootstrapBrokerString).toMatch(/:9092$/);
    expect(o.BootstrapBrokerStringTls).toMatch(/:9094$/);
    expect(o.BootstrapBrokerStringSaslIam).toBeUndefined();
  });

  it('answers NotFoundException (404) for an unknown cluster', async () => {
    const missing = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/none/00000000-0000-0000-0000-000000000000-1`;
    for (const cmd of [new DescribeClusterV2Command({ ClusterArn: missing }), new DescribeClusterCommand({ ClusterArn: missing }), new GetBootstrapBrokersCommand({ ClusterArn: missing })]) {
      expect(await failure(kafka.send(cmd as never))).toMatchObject({ name: 'NotFoundException', status: 404 });
    }
  });

  it('Secrets Manager finds a secret by name, full ARN and partial ARN; values only through GetSecretValue', async () => {
    const byName = await sm.send(new DescribeSecretCommand({ SecretId: 'AmazonMSK_payments' }));
    expect(byName).toMatchObject({ ARN: SCRAM_SECRET, Name: 'AmazonMSK_payments', Description: 'scram' });
    expect(JSON.stringify(byName)).not.toContain('p-secret-value');
    const v = await sm.send(new GetSecretValueCommand({ SecretId: SCRAM_SECRET.slice(0, -7) }));
    expect(JSON.parse(v.SecretString!)).toEqual({ username: 'u', password: 'p-secret-value' });
    expect(v.VersionStages).toEqual(['AWSCURRENT']);
    expect(await failure(sm.send(new GetSecretValueCommand({ SecretId: 'nope' })))).toMatchObject({ name: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
  });

  it('CreateSecret makes a secret with a suffixed ARN and refuses a second one of the same name', async () => {
    const c = await sm.send(new CreateSecretCommand({ Name: 'created/one', SecretString: '{"username":"a","password":"b"}' }));
    expect(c.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:created/one-[A-Za-z0-9]{6}$`));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: c.ARN }))).SecretString).toBe('{"username":"a","password":"b"}');
    expect(await failure(sm.send(new CreateSecretCommand({ Name: 'created/one', SecretString: 'x' })))).toMatchObject({ name: 'ResourceExistsException' });
    expect(sb.control.requestLog().every((e) => !JSON.stringify(e).includes('p-secret-value'))).toBe(true);
  });
});
