// STS's Query API: POST / with Action=…&Version=2011-06-15 (told apart from IAM by the SigV4 scope or Version).
// Throttling answers `Throttling`.

import { AwsError, parseFormBody } from '../../http/protocols.js';
import type { ServiceDefinition } from '../../http/service.js';
import { stsHandlers } from './handlers.js';
import { serviceFailure, throttling } from './errors.js';

export const stsService: ServiceDefinition = {
  name: 'sts',
  protocol: 'query',
  xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
  route(req, world) {
    const params = req.method === 'POST' ? parseFormBody(req) : req.query;
    const action = params.get('Action') ?? '';
    const handler = stsHandlers[action];
    if (!handler) return undefined;
    return { operation: action, run: () => handler(world) };
  },
  throttled: () => throttling(),
  serverError: () => serviceFailure(),
  unknownOperation: () => new AwsError('InvalidAction', 'Could not find operation (not emulated by the esmctl sandbox).', 400),
};
