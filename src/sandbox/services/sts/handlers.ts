// STS GetCallerIdentity over the sandbox identity (store.ts); returns the XML of <GetCallerIdentityResult>.
// The access key does not matter: the sandbox has one caller.

import { xmlField, type SandboxResponse } from '../../http/protocols.js';
import type { World } from '../../world.js';
import { callerIdentity } from './store.js';

export const stsHandlers: Record<string, (world: World) => SandboxResponse> = {
  GetCallerIdentity: (world) => {
    const id = callerIdentity(world.accountId);
    return { status: 200, xmlResult: xmlField('Arn', id.Arn) + xmlField('UserId', id.UserId) + xmlField('Account', id.Account) };
  },
};
