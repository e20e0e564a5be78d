// STS errors as its Query API spells them.
// Only throttling and injected failures can occur: GetCallerIdentity has no user errors.

import { AwsError } from '../../http/protocols.js';

export const throttling = () => new AwsError('Throttling', 'Rate exceeded', 400);
export const serviceFailure = () => new AwsError('InternalFailure', 'Internal failure (injected by the sandbox).', 500);
