// Secrets Manager errors (awsJson1.1 `__type`), worded as Secrets Manager words them.
// Messages never carry a secret's value.

import { AwsError } from '../../http/protocols.js';

export const notFound = () => new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.", 400);
export const exists = (name: string) => new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`, 400);
export const invalidParameter = (msg: string) => new AwsError('InvalidParameterException', msg, 400);
export const invalidRequest = (msg: string) => new AwsError('InvalidRequestException', msg, 400);
export const throttling = () => new AwsError('ThrottlingException', 'Rate exceeded', 400);
export const serviceFailure = () => new AwsError('InternalServiceError', 'Internal service error (injected by the sandbox).', 500);
