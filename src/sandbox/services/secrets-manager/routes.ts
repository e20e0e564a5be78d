// Secrets Manager's awsJson1.1 API: POST / with `X-Amz-Target: secretsmanager.<Operation>`.
// Throttling answers ThrottlingException; injected failures InternalServiceError.

import { AwsError, parseJsonBody } from '../../http/protocols.js';
import type { ServiceDefinition } from '../../http/service.js';
import { secretsHandlers } from './handlers.js';
import { serviceFailure, throttling } from './errors.js';

const target = (h: string | string[] | undefined) => (typeof h === 'string' ? h : '');

export const secretsManagerService: ServiceDefinition = {
  name: 'secretsmanager',
  protocol: 'json-1.1',
  xmlNamespace: '',
  route(req, world) {
    const t = target(req.headers['x-amz-target']);
    if (req.method !== 'POST' || !t.startsWith('secretsmanager.')) return undefined;
    const op = t.slice('secretsmanager.'.length);
    const handler = secretsHandlers[op];
    if (!handler) return undefined;
    return { operation: op, run: () => handler(world.secrets, parseJsonBody(req)) };
  },
  throttled: () => throttling(),
  serverError: () => serviceFailure(),
  unknownOperation: (req) => new AwsError('UnknownOperationException', `Operation ${target(req.headers['x-amz-target'])} is not emulated by the esmctl sandbox.`, 400),
};
