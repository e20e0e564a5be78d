// Secrets Manager operations: GetSecretValue, DescribeSecret, CreateSecret (awsJson1.1 bodies in and out).
// Dates are epoch seconds, as the JSON protocol sends timestamps.

import type { SandboxResponse } from '../../http/protocols.js';
import type { SecretsStore, StoredSecret } from './store.js';
import { invalidParameter, invalidRequest } from './errors.js';

type Body = Record<string, unknown>;

const secs = (ms: number) => ms / 1000;

function secretId(b: Body): string {
  if (typeof b.SecretId !== 'string' || b.SecretId === '') throw invalidParameter('Invalid SecretId: the SecretId parameter is required.');
  return b.SecretId;
}

function describe(s: StoredSecret): Body {
  return {
    ARN: s.arn,
    Name: s.name,
    ...(s.description !== undefined ? { Description: s.description } : {}),
    ...(s.kmsKeyId !== undefined ? { KmsKeyId: s.kmsKeyId } : {}),
    LastChangedDate: secs(s.lastChangedDate),
    ...(s.tags.length ? { Tags: s.tags } : {}),
    VersionIdsToStages: { [s.versionId]: ['AWSCURRENT'] },
    CreatedDate: secs(s.createdDate),
  };
}

export const secretsHandlers: Record<string, (store: SecretsStore, b: Body) => SandboxResponse> = {
  GetSecretValue: (st, b) => {
    const s = st.get(secretId(b));
    if (b.VersionStage !== undefined && b.VersionStage !== 'AWSCURRENT') throw invalidRequest(`Secrets Manager can't find the specified secret value for staging label: ${String(b.VersionStage)}`);
    if (b.VersionId !== undefined && b.VersionId !== s.versionId) throw invalidRequest(`Secrets Manager can't find the specified secret value for VersionId: ${String(b.VersionId)}`);
    if (s.secretString === undefined) throw invalidRequest("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
    return { status: 200, json: { ARN: s.arn, Name: s.name, VersionId: s.versionId, SecretString: s.secretString, VersionStages: ['AWSCURRENT'], CreatedDate: secs(s.createdDate) } };
  },

  DescribeSecret: (st, b) => ({ status: 200, json: describe(st.get(secretId(b))) }),

  CreateSecret: (st, b) => {
    if (typeof b.Name !== 'string' || !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(b.Name)) throw invalidParameter('Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
    if (b.SecretString !== undefined && typeof b.SecretString !== 'string') throw invalidParameter('SecretString must be a string.');
    if (b.SecretBinary !== undefined) throw invalidParameter('SecretBinary is not supported by the esmctl sandbox; use SecretString.');
    const tags = Array.isArray(b.Tags) ? (b.Tags as Array<{ Key: string; Value: string }>) : [];
    const token = typeof b.ClientRequestToken === 'string' && b.ClientRequestToken.length >= 32 ? b.ClientRequestToken : undefined;
    const s = st.create(b.Name, b.SecretString as string | undefined, { description: b.Description as string | undefined, kmsKeyId: b.KmsKeyId as string | undefined, tags, versionId: token });
    return { status: 200, json: { ARN: s.arn, Name: s.name, ...(s.secretString !== undefined ? { VersionId: s.versionId } : {}) } };
  },
};
