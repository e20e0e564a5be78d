// Lambda's rest-json API: /2015-03-31/functions…, /2015-03-31/event-source-mappings…, /2017-03-31/tags/{ARN}.
// Path labels arrive percent-encoded and are decoded per segment (ARNs contain ':').

import { AwsError, parseJsonBody, safeDecode } from '../../http/protocols.js';
import type { ServiceDefinition } from '../../http/service.js';
import { lambdaHandlers } from './handlers.js';
import { lambdaMessageKey, requestContent, serviceFailure, throttling } from './errors.js';

export const lambdaService: ServiceDefinition = {
  name: 'lambda',
  protocol: 'rest-json',
  xmlNamespace: '',
  messageKey: lambdaMessageKey,
  route(req, world) {
    const seg = req.rawPath.split('/').filter(Boolean).map(safeDecode);
    const m = req.method;
    const body = () => {
      try {
        return parseJsonBody(req);
      } catch {
        throw requestContent('Could not parse request body into json: the body is not a JSON object.');
      }
    };
    const h = lambdaHandlers;
    if (seg[0] === '2015-03-31' && seg[1] === 'functions') {
      if (seg.length === 2 && m === 'GET') return { operation: 'ListFunctions', run: () => h.ListFunctions(world, req.query) };
      if (seg.length === 3 && m === 'GET') return { operation: 'GetFunction', run: () => h.GetFunction(world, seg[2], req.query) };
      if (seg.length === 4 && seg[3] === 'configuration' && m === 'GET') return { operation: 'GetFunctionConfiguration', run: () => h.GetFunctionConfiguration(world, seg[2], req.query) };
    }
    if (seg[0] === '2015-03-31' && seg[1] === 'event-source-mappings') {
      if (seg.length === 2 && m === 'POST') return { operation: 'CreateEventSourceMapping', run: () => h.CreateEventSourceMapping(world, body()) };
      if (seg.length === 2 && m === 'GET') return { operation: 'ListEventSourceMappings', run: () => h.ListEventSourceMappings(world, req.query) };
      if (seg.length === 3 && m === 'GET') return { operation: 'GetEventSourceMapping', run: () => h.GetEventSourceMapping(world, seg[2]) };
      if (seg.length === 3 && m === 'PUT') return { operation: 'UpdateEventSourceMapping', run: () => h.UpdateEventSourceMapping(world, seg[2], body()) };
      if (seg.length === 3 && m === 'DELETE') return { operation: 'DeleteEventSourceMapping', run: () => h.DeleteEventSourceMapping(world, seg[2]) };
    }
    if (seg[0] === '2017-03-31' && seg[1] === 'tags' && seg.length === 3) {
      if (m === 'GET') return { operation: 'ListTags', run: () => h.ListTags(world, seg[2]) };
      if (m === 'POST') return { operation: 'TagResource', run: () => h.TagResource(world, seg[2], body()) };
      if (m === 'DELETE') return { operation: 'UntagResource', run: () => h.UntagResource(world, seg[2], req.query) };
    }
    return undefined;
  },
  throttled: () => throttling(),
  serverError: () => serviceFailure(),
  unknownOperation: (req) => new AwsError('UnknownOperationException', `Unknown operation ${req.method} ${req.path} (not emulated by the esmctl sandbox).`, 404, { type: 'User' }),
};
