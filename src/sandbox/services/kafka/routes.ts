// MSK's rest-json API: GET /api/v2/clusters[/{arn}], GET /v1/clusters[/{arn}[/bootstrap-brokers]].
// Cluster ARNs arrive percent-encoded as one path label.

import { AwsError, safeDecode } from '../../http/protocols.js';
import type { ServiceDefinition } from '../../http/service.js';
import { mskHandlers } from './handlers.js';
import { serviceFailure, throttling } from './errors.js';

export const kafkaService: ServiceDefinition = {
  name: 'kafka',
  protocol: 'rest-json',
  xmlNamespace: '',
  route(req, world) {
    if (req.method !== 'GET') return undefined;
    const seg = req.rawPath.split('/').filter(Boolean).map(safeDecode);
    const s = world.msk;
    if (seg[0] === 'api' && seg[1] === 'v2' && seg[2] === 'clusters') {
      if (seg.length === 3) return { operation: 'ListClustersV2', run: () => mskHandlers.ListClustersV2(s, req.query) };
      if (seg.length === 4) return { operation: 'DescribeClusterV2', run: () => mskHandlers.DescribeClusterV2(s, seg[3]) };
    }
    if (seg[0] === 'v1' && seg[1] === 'clusters') {
      if (seg.length === 2) return { operation: 'ListClusters', run: () => mskHandlers.ListClusters(s, req.query) };
      if (seg.length === 3) return { operation: 'DescribeCluster', run: () => mskHandlers.DescribeCluster(s, seg[2]) };
      if (seg.length === 4 && seg[3] === 'bootstrap-brokers') return { operation: 'GetBootstrapBrokers', run: () => mskHandlers.GetBootstrapBrokers(s, seg[2]) };
    }
    return undefined;
  },
  throttled: () => throttling(),
  serverError: () => serviceFailure(),
  unknownOperation: (req) => new AwsError('NotFoundException', `No emulated MSK operation for ${req.method} ${req.path} (esmctl sandbox).`, 404),
};
