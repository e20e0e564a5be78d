// The public face of src/aws: AWS ports over the SDK (lazily imported), the observed-state reader,
// request encoding / response decoding and error classification. The only place that imports @aws-sdk/*.

export { createAwsPorts, getCallerIdentity, resolveRegion, SYSTEM_CLOCK, LIST_PAGE_SIZE } from './clients.js';
export type { AwsPortsOptions } from './clients.js';
export { readObserved } from './read-observed.js';
export type { ReadObservedOptions } from './read-observed.js';
export { toCreateRequest, toUpdateRequest } from './to-api.js';
export { fromApiMapping, configFromApi, clusterFromApi, decodePolicyDocument, isKafkaApiMapping } from './from-api.js';
export type { ApiMapping } from './from-api.js';
export { classifyAwsError, isNotFound } from './errors.js';
export { mapLimit } from './concurrency.js';
