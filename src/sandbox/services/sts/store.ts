// STS state of the sandbox: the one caller identity every access key maps to, in the seed's account.
// (The sandbox does not verify signatures; any access key is this user.)

export const SANDBOX_USER = 'esmctl-sandbox';

export interface CallerIdentity {
  Account: string;
  Arn: string;
  UserId: string;
}

export function callerIdentity(accountId: string): CallerIdentity {
  return { Account: accountId, Arn: `arn:aws:iam::${accountId}:user/${SANDBOX_USER}`, UserId: 'AIDASANDBOXESMCTL0001' };
}
