// STS GetCallerIdentity: the sandbox caller is one IAM user in the seed's account, whatever the access key.
// Returns the XML of <GetCallerIdentityResult>.

import { xmlField, type SandboxResponse } from '../../http/protocols.js';
import type { World } from '../../world.js';

export const SANDBOX_USER = 'esmctl-sandbox';

export const stsHandlers: Record<string, (world: World, accessKeyId: string) => SandboxResponse> = {
  GetCallerIdentity: (world) => ({
    status: 200,
    xmlResult:
      xmlField('Arn', `arn:aws:iam::${world.accountId}:user/${SANDBOX_USER}`) +
      xmlField('UserId', 'AIDASANDBOXESMCTL0001') +
      xmlField('Account', world.accountId),
  }),
};
