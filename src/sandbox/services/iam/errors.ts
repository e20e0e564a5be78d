// IAM errors as IAM's Query API spells them (`<Code>NoSuchEntity</Code>` becomes the SDK's NoSuchEntityException).
// Messages follow the wording IAM uses.

import { AwsError } from '../../http/protocols.js';

export const noSuchRole = (name: string) => new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
export const noSuchRolePolicy = (role: string, policy: string) =>
  new AwsError('NoSuchEntity', `The role policy with name ${policy} cannot be found.`, 404, { fields: { role } });
export const noSuchPolicy = (arn: string) => new AwsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);
export const policyNotAttached = (arn: string) => new AwsError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
export const noSuchPolicyVersion = (arn: string, v: string) => new AwsError('NoSuchEntity', `Policy ${arn} version ${v} does not exist or is not attachable.`, 404);
export const malformedPolicy = (why: string) => new AwsError('MalformedPolicyDocument', why, 400);
export const invalidInput = (msg: string) => new AwsError('InvalidInput', msg, 400);
export const validationError = (msg: string) => new AwsError('ValidationError', msg, 400);
export const limitExceeded = (msg: string) => new AwsError('LimitExceeded', msg, 409);
export const throttling = () => new AwsError('Throttling', 'Rate exceeded', 400);
export const serviceFailure = () => new AwsError('ServiceFailure', 'Service failure (injected by the sandbox).', 500);
