// IAM's Query API: POST / with a form body (Action=…&Version=2010-05-08); the Action names the operation.
// Throttling answers `Throttling`, injected failures `ServiceFailure`, as IAM does.

import { AwsError, parseFormBody } from '../../http/protocols.js';
import type { ServiceDefinition } from '../../http/service.js';
import { iamHandlers } from './handlers.js';
import { serviceFailure, throttling } from './errors.js';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

export const iamService: ServiceDefinition = {
  name: 'iam',
  protocol: 'query',
  xmlNamespace: IAM_NAMESPACE,
  route(req, world) {
    if (req.method !== 'POST') return undefined;
    const params = parseFormBody(req);
    const action = params.get('Action') ?? '';
    const handler = iamHandlers[action];
    if (!handler) return undefined;
    return { operation: action, run: () => handler(world.iam, params) };
  },
  throttled: () => throttling(),
  serverError: () => serviceFailure(),
  unknownOperation: (req) => {
    const action = req.method === 'POST' ? (parseFormBody(req).get('Action') ?? '(none)') : '(none)';
    return new AwsError('InvalidAction', `Could not find operation ${action} for version 2010-05-08 (not emulated by the esmctl sandbox).`, 400);
  },
};
