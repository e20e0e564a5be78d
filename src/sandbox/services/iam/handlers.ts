// IAM operations over the IamStore: each takes the form parameters and returns the XML of its <OpResult>
// (documents URL-encoded as IAM returns them), or throws a typed IAM error.

import { xmlEscape, xmlField, xmlList, type SandboxResponse } from '../../http/protocols.js';
import type { IamStore, StoredPolicy, StoredRole } from './store.js';
import { invalidInput, noSuchPolicyVersion, validationError } from './errors.js';

type Params = URLSearchParams;

const ok = (xmlResult?: string): SandboxResponse => ({ status: 200, xmlResult });

function required(p: Params, name: string): string {
  const v = p.get(name);
  if (v === null || v === '') throw validationError(`1 validation error detected: Value null at '${name[0].toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return v;
}

function paging<T>(p: Params, items: T[]): { page: T[]; truncated: boolean; marker?: string } {
  const maxItems = p.has('MaxItems') ? Number(p.get('MaxItems')) : 100;
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) throw invalidInput('MaxItems must be between 1 and 1000.');
  const start = p.has('Marker') ? Number(Buffer.from(p.get('Marker')!, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw invalidInput('Invalid Marker.');
  const page = items.slice(start, start + maxItems);
  const truncated = start + maxItems < items.length;
  return { page, truncated, marker: truncated ? Buffer.from(String(start + maxItems)).toString('base64url') : undefined };
}

const pagingXml = (r: { truncated: boolean; marker?: string }) => xmlField('IsTruncated', r.truncated) + xmlField('Marker', r.marker);

/** IAM returns policy documents URL-encoded (RFC 3986). */
export const encodeDocument = (doc: string) => encodeURIComponent(doc);

function roleXml(r: StoredRole): string {
  return `<Role>${xmlField('Path', r.path)}${xmlField('RoleName', r.name)}${xmlField('RoleId', r.roleId)}${xmlField('Arn', r.arn)}${xmlField('CreateDate', r.createDate)}${xmlField('AssumeRolePolicyDocument', encodeDocument(r.assumeRolePolicy))}${xmlField('MaxSessionDuration', 3600)}<RoleLastUsed/></Role>`;
}

function policyXml(p: StoredPolicy, attachments: number): string {
  return `<Policy>${xmlField('PolicyName', p.name)}${xmlField('PolicyId', p.policyId)}${xmlField('Arn', p.arn)}${xmlField('Path', p.path)}${xmlField('DefaultVersionId', p.defaultVersionId)}${xmlField('AttachmentCount', attachments)}${xmlField('PermissionsBoundaryUsageCount', 0)}${xmlField('IsAttachable', true)}${xmlField('Description', p.description)}${xmlField('CreateDate', p.createDate)}${xmlField('UpdateDate', p.updateDate)}</Policy>`;
}

export const iamHandlers: Record<string, (store: IamStore, p: Params) => SandboxResponse> = {
  GetRole: (s, p) => ok(roleXml(s.role(required(p, 'RoleName')))),

  ListRolePolicies: (s, p) => {
    const role = s.role(required(p, 'RoleName'));
    const r = paging(p, [...role.inline.keys()].sort());
    return ok(xmlList('PolicyNames', r.page.map(xmlEscape)) + pagingXml(r));
  },

  GetRolePolicy: (s, p) => {
    const roleName = required(p, 'RoleName');
    const policyName = required(p, 'PolicyName');
    const doc = s.getRolePolicy(roleName, policyName);
    return ok(xmlField('RoleName', s.role(roleName).name) + xmlField('PolicyName', policyName) + xmlField('PolicyDocument', encodeDocument(doc)));
  },

  PutRolePolicy: (s, p) => {
    s.putRolePolicy(required(p, 'RoleName'), required(p, 'PolicyName'), required(p, 'PolicyDocument'));
    return ok();
  },

  DeleteRolePolicy: (s, p) => {
    s.deleteRolePolicy(required(p, 'RoleName'), required(p, 'PolicyName'));
    return ok();
  },

  ListAttachedRolePolicies: (s, p) => {
    const role = s.role(required(p, 'RoleName'));
    const prefix = p.get('PathPrefix') ?? '/';
    const all = role.attached.map((arn) => s.policy(arn)).filter((pol) => pol.path.startsWith(prefix));
    const r = paging(p, all);
    return ok(`<AttachedPolicies>${r.page.map((pol) => `<member>${xmlField('PolicyName', pol.name)}${xmlField('PolicyArn', pol.arn)}</member>`).join('')}</AttachedPolicies>` + pagingXml(r));
  },

  AttachRolePolicy: (s, p) => {
    s.attach(required(p, 'RoleName'), required(p, 'PolicyArn'));
    return ok();
  },

  DetachRolePolicy: (s, p) => {
    s.detach(required(p, 'RoleName'), required(p, 'PolicyArn'));
    return ok();
  },

  GetPolicy: (s, p) => {
    const pol = s.policy(required(p, 'PolicyArn'));
    return ok(policyXml(pol, s.attachmentCount(pol.arn)));
  },

  GetPolicyVersion: (s, p) => {
    const arn = required(p, 'PolicyArn');
    const versionId = required(p, 'VersionId');
    const pol = s.policy(arn);
    if (versionId !== pol.defaultVersionId) throw noSuchPolicyVersion(arn, versionId);
    return ok(
      `<PolicyVersion>${xmlField('Document', encodeDocument(pol.document))}${xmlField('VersionId', pol.defaultVersionId)}${xmlField('IsDefaultVersion', true)}${xmlField('CreateDate', pol.updateDate)}</PolicyVersion>`,
    );
  },
};
