// Lambda errors as the Lambda API sends them: `x-amzn-errortype` + `{ Type, message | Message }`, with the
// status codes and message wording of the API reference (409 conflicts carry the existing mapping's UUID).

import { AwsError } from '../../http/protocols.js';

/** Lambda error shapes whose message member is `Message` (the others use `message`). */
const CAPITAL_MESSAGE = new Set(['ResourceInUseException', 'ResourceNotFoundException', 'ServiceException']);
export const lambdaMessageKey = (code: string) => (CAPITAL_MESSAGE.has(code) ? 'Message' : 'message');

export const invalidParameter = (msg: string) => new AwsError('InvalidParameterValueException', msg, 400, { type: 'User' });
export const notFound = (msg = 'The resource you requested does not exist.') => new AwsError('ResourceNotFoundException', msg, 404, { type: 'User' });
export const functionNotFound = (arn: string) => notFound(`Function not found: ${arn}`);
export const conflict = (msg: string) => new AwsError('ResourceConflictException', msg, 409, { type: 'User' });
export const inUse = (msg: string) => new AwsError('ResourceInUseException', msg, 400, { type: 'User' });
export const requestContent = (msg: string) => new AwsError('InvalidRequestContentException', msg, 400, { type: 'User' });
export const throttling = () =>
  new AwsError('TooManyRequestsException', 'Rate exceeded', 429, { type: 'User', headers: { 'retry-after': '1' }, fields: { Reason: 'CallerRateLimitExceeded' } });
export const serviceFailure = () => new AwsError('ServiceException', 'Lambda was unable to process the request (failure injected by the sandbox).', 500, { type: 'Service' });

/** `1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: …`, naming the field. */
/** API member path as the service names it in messages: `ProvisionedPollerConfig.MaximumPollers` -> `provisionedPollerConfig.maximumPollers`. */
export const memberPath = (field: string) => field.split('.').map((s) => s[0].toLowerCase() + s.slice(1)).join('.');

export function outOfRange(field: string, value: unknown, min: number, max: number): AwsError {
  const camel = memberPath(field);
  const rule = Number(value) < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`;
  return invalidParameter(`1 validation error detected: Value '${String(value)}' at '${camel}' failed to satisfy constraint: Member must have value ${rule}`);
}

export const unsupported = (field: string) => invalidParameter(`Unsupported '${memberPath(field)}' parameter for given event source mapping type.`);
