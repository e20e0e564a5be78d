// The IAM state of the sandbox: roles with inline and attached policies, customer managed policies, and the
// AWS managed policies Lambda's Kafka mappings use (with their real statements and version ids).

import { createHash } from 'node:crypto';
import type { SeedPolicy, SeedRole } from '../../seed.js';
import { limitExceeded, malformedPolicy, noSuchPolicy, noSuchRole, noSuchRolePolicy, policyNotAttached } from './errors.js';

export interface StoredRole {
  name: string;
  path: string;
  arn: string;
  roleId: string;
  createDate: string;
  assumeRolePolicy: string; // JSON text
  inline: Map<string, string>; // policy name -> JSON text as put
  attached: string[]; // policy ARNs in attach order
}

export interface StoredPolicy {
  name: string;
  arn: string;
  path: string;
  policyId: string;
  defaultVersionId: string;
  document: string; // JSON text
  createDate: string;
  updateDate: string;
  description?: string;
}

const LAMBDA_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** AWS managed policies as AWS publishes them (docs.aws.amazon.com/aws-managed-policy/latest/reference/). */
export const AWS_MANAGED_POLICIES: StoredPolicy[] = [
  {
    name: 'AWSLambdaMSKExecutionRole',
    arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaMSKExecutionRole',
    path: '/service-role/',
    policyId: 'ANPAZKAPJZG4KZ3GGFJMF',
    defaultVersionId: 'v2',
    createDate: '2020-08-11T17:35:44Z',
    updateDate: '2022-08-02T20:08:40Z',
    description:
      'Provides permissions required to access MSK Cluster within a VPC, manage ENIs (create, describe, delete) in the VPC and write permissions to CloudWatch Logs.',
    document: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
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
      ],
    }),
  },
  {
    name: 'AWSLambdaBasicExecutionRole',
    arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    path: '/service-role/',
    policyId: 'ANPAJNCQGXC42545SKXIK',
    defaultVersionId: 'v1',
    createDate: '2015-04-09T15:03:43Z',
    updateDate: '2015-04-09T15:03:43Z',
    description: 'Provides write permissions to CloudWatch Logs.',
    document: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
    }),
  },
];

/** Inline policies of one role may total at most this many characters (whitespace excluded), as IAM enforces. */
export const ROLE_INLINE_POLICY_LIMIT = 10240;

const idFor = (prefix: string, s: string) => prefix + createHash('sha1').update(s).digest('hex').slice(0, 17).toUpperCase();

export class IamStore {
  roles = new Map<string, StoredRole>(); // key: lower-case name (IAM names are case-insensitive)
  policies = new Map<string, StoredPolicy>(); // key: ARN

  constructor(
    readonly accountId: string,
    private readonly clock: () => number,
  ) {
    for (const p of AWS_MANAGED_POLICIES) this.policies.set(p.arn, { ...p });
  }

  addPolicy(p: SeedPolicy): StoredPolicy {
    const path = p.path ?? '/';
    const arn = `arn:aws:iam::${this.accountId}:policy${path}${p.name}`;
    const now = new Date(this.clock()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const stored: StoredPolicy = { name: p.name, arn, path, policyId: idFor('ANPA', arn), defaultVersionId: 'v1', document: JSON.stringify(p.document), createDate: now, updateDate: now };
    this.policies.set(arn, stored);
    return stored;
  }

  addRole(r: SeedRole): StoredRole {
    const path = r.path ?? '/';
    const arn = `arn:aws:iam::${this.accountId}:role${path}${r.name}`;
    const role: StoredRole = {
      name: r.name,
      path,
      arn,
      roleId: idFor('AROA', arn),
      createDate: new Date(this.clock()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      assumeRolePolicy: JSON.stringify(r.assumeRolePolicy ?? LAMBDA_TRUST),
      inline: new Map(),
      attached: [],
    };
    this.roles.set(r.name.toLowerCase(), role);
    for (const [name, doc] of Object.entries(r.inlinePolicies ?? {})) this.putRolePolicy(r.name, name, typeof doc === 'string' ? doc : JSON.stringify(doc));
    for (const arn of r.attachedPolicies ?? []) this.attach(r.name, arn);
    return role;
  }

  /** A role by name, or by ARN (as function seeds may give it). */
  findRole(nameOrArn: string): StoredRole | undefined {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
    return this.roles.get(name.toLowerCase());
  }

  role(name: string): StoredRole {
    const r = this.roles.get(name.toLowerCase());
    if (!r) throw noSuchRole(name);
    return r;
  }

  getRolePolicy(roleName: string, policyName: string): string {
    const doc = this.role(roleName).inline.get(policyName);
    if (doc === undefined) throw noSuchRolePolicy(roleName, policyName);
    return doc;
  }

  putRolePolicy(roleName: string, policyName: string, document: string): void {
    const role = this.role(roleName);
    let parsed: unknown;
    try {
      parsed = JSON.parse(document);
    } catch {
      throw malformedPolicy('Syntax errors in policy.');
    }
    if (parsed === null || typeof parsed !== 'object' || !('Statement' in (parsed as object))) throw malformedPolicy('Syntax errors in policy.');
    const size = (doc: string) => doc.replace(/\s/g, '').length;
    let total = size(document);
    for (const [n, d] of role.inline) if (n !== policyName) total += size(d);
    if (total > ROLE_INLINE_POLICY_LIMIT) throw limitExceeded(`Maximum policy size of ${ROLE_INLINE_POLICY_LIMIT} bytes exceeded for role ${role.name}`);
    role.inline.set(policyName, document);
  }

  deleteRolePolicy(roleName: string, policyName: string): void {
    const role = this.role(roleName);
    if (!role.inline.delete(policyName)) throw noSuchRolePolicy(roleName, policyName);
  }

  attach(roleName: string, arn: string): void {
    const role = this.role(roleName);
    if (!this.policies.has(arn)) throw noSuchPolicy(arn);
    if (!role.attached.includes(arn)) role.attached.push(arn);
  }

  detach(roleName: string, arn: string): void {
    const role = this.role(roleName);
    const i = role.attached.indexOf(arn);
    if (i < 0) throw policyNotAttached(arn);
    role.attached.splice(i, 1);
  }

  policy(arn: string): StoredPolicy {
    const p = this.policies.get(arn);
    if (!p) throw noSuchPolicy(arn);
    return p;
  }

  attachmentCount(arn: string): number {
    let n = 0;
    for (const r of this.roles.values()) if (r.attached.includes(arn)) n++;
    return n;
  }
}
