// MSK errors (rest-json, body `{ message, invalidParameter }`), as the Kafka API shapes them.
// Throttling answers TooManyRequestsException (429).

import { AwsError } from '../../http/protocols.js';

export const clusterNotFound = (arn: string) =>
  new AwsError('NotFoundException', `The resource ${arn} was not found.`, 404, { fields: { invalidParameter: 'clusterArn' } });
export const badRequest = (param: string, msg: string) => new AwsError('BadRequestException', msg, 400, { fields: { invalidParameter: param } });
export const throttling = () => new AwsError('TooManyRequestsException', 'Too Many Requests', 429, { headers: { 'retry-after': '1' } });
export const serviceFailure = () => new AwsError('InternalServerErrorException', 'Internal server error (injected by the sandbox).', 500);
