// Encoding of a MappingConfig into Lambda CreateEventSourceMapping / UpdateEventSourceMapping requests.
// Updates send only the changed top-level fields and always spell resets out (FilterCriteria {}, OnFailure {}, …).

import { jsonEqual } from '../core/canonical-json.js';
import { EsmctlError } from '../core/errors.js';
import { FIELD_NAMES, FIELD_RULES, type FieldName, omittedValue, topField } from '../core/fields.js';
import type { MappingConfig } from '../core/types.js';
import { KAFKA_BOOTSTRAP } from './from-api.js';

/** Structural request shapes (the SDK's CreateEventSourceMappingRequest / UpdateEventSourceMappingRequest subset). */
export type ApiRequest = Record<string, unknown>;

function kafkaConfigKey(c: MappingConfig): 'AmazonManagedKafkaEventSourceConfig' | 'SelfManagedKafkaEventSourceConfig' {
  return c.source.kind === 'msk' ? 'AmazonManagedKafkaEventSourceConfig' : 'SelfManagedKafkaEventSourceConfig';
}

function schemaRegistryApi(c: MappingConfig): Record<string, unknown> {
  const sr = c.schemaRegistry;
  if (!sr) return {};
  const out: Record<string, unknown> = { SchemaRegistryURI: sr.uri, EventRecordFormat: sr.eventRecordFormat };
  if (sr.accessConfigs.length) out.AccessConfigs = sr.accessConfigs.map((a) => ({ Type: a.type, URI: a.uri }));
  if (sr.validate.length) out.SchemaValidationConfigs = sr.validate.map((a) => ({ Attribute: a }));
  return out;
}

function filtersApi(c: MappingConfig): Record<string, unknown> {
  // Lambda's "remove all filters" is an empty FilterCriteria object, not omission.
  return c.filters.length ? { Filters: c.filters.map((p) => ({ Pattern: p })) } : {};
}

function destinationApi(c: MappingConfig): Record<string, unknown> {
  return { OnFailure: c.onFailure ? { Destination: c.onFailure } : {} };
}

function pollersApi(c: MappingConfig): Record<string, unknown> {
  const p = c.provisionedPollers;
  if (!p) return {};
  const out: Record<string, unknown> = { MinimumPollers: p.minimum, MaximumPollers: p.maximum };
  if (p.group) out.PollerGroupName = p.group;
  return out;
}

/**
 * The request fragment that sets one top-level MappingConfig field on update, resets included.
 * Returns undefined for fields that are not sent (tags; the batching window's null, which AWS cannot restore).
 */
function updateFragment(field: FieldName, c: MappingConfig): ApiRequest | undefined {
  const mode = FIELD_RULES[field].update;
  if (mode === 'tags') return undefined;
  if (mode === 'replace') {
    throw new EsmctlError('internal.update-replace-field', `${field} cannot be updated in place; the plan should replace the mapping`, {
      source: 'internal',
    });
  }
  return fieldFragment(field, c);
}

/** The request members that carry one field's value (shared by create and update). */
function fieldFragment(field: FieldName, c: MappingConfig): ApiRequest | undefined {
  switch (field) {
    case 'functionArn':
      return { FunctionName: c.functionArn };
    case 'batchSize':
      return { BatchSize: c.batchSize };
    case 'maximumBatchingWindowInSeconds':
      return c.maximumBatchingWindowInSeconds === null ? undefined : { MaximumBatchingWindowInSeconds: c.maximumBatchingWindowInSeconds };
    case 'enabled':
      return { Enabled: c.enabled };
    case 'sourceAccessConfigurations':
      return { SourceAccessConfigurations: c.sourceAccessConfigurations.map((s) => ({ Type: s.type, URI: s.uri })) };
    case 'provisionedPollers':
      return { ProvisionedPollerConfig: pollersApi(c) };
    case 'maximumRetryAttempts':
      return { MaximumRetryAttempts: c.maximumRetryAttempts };
    case 'maximumRecordAgeInSeconds':
      return { MaximumRecordAgeInSeconds: c.maximumRecordAgeInSeconds };
    case 'bisectBatchOnFunctionError':
      return { BisectBatchOnFunctionError: c.bisectBatchOnFunctionError };
    case 'reportBatchItemFailures':
      return { FunctionResponseTypes: c.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [] };
    case 'onFailure':
      return { DestinationConfig: destinationApi(c) };
    case 'filters':
      return { FilterCriteria: filtersApi(c) };
    case 'kmsKeyArn':
      return { KMSKeyArn: c.kmsKeyArn ?? '' };
    case 'schemaRegistry': {
      const cfg: Record<string, unknown> = { SchemaRegistryConfig: schemaRegistryApi(c) };
      if (c.consumerGroupId) cfg.ConsumerGroupId = c.consumerGroupId;
      return { [kafkaConfigKey(c)]: cfg };
    }
    case 'logLevel':
      return { LoggingConfig: c.logLevel ? { SystemLogLevel: c.logLevel } : {} };
    case 'metrics':
      return { MetricsConfig: { Metrics: [...c.metrics] } };
    case 'tags':
      return undefined;
    case 'source':
      return c.source.kind === 'msk'
        ? { EventSourceArn: c.source.arn }
        : { SelfManagedEventSource: { Endpoints: { [KAFKA_BOOTSTRAP]: [...c.source.bootstrapServers] } } };
    case 'topic':
      return { Topics: [c.topic] };
    case 'startingPosition':
      return { StartingPosition: c.startingPosition };
    case 'startingPositionTimestamp':
      return c.startingPositionTimestamp ? { StartingPositionTimestamp: new Date(c.startingPositionTimestamp) } : undefined;
    case 'consumerGroupId':
      return c.consumerGroupId ? { [kafkaConfigKey(c)]: { ConsumerGroupId: c.consumerGroupId } } : undefined;
    default: {
      const never: never = field;
      throw new EsmctlError('internal.unknown-field', `unknown MappingConfig field ${String(never)}`, { source: 'internal' });
    }
  }
}

/** Merges request fragments, one level deep for the Kafka config objects both the group and the registry use. */
function merge(into: ApiRequest, frag: ApiRequest | undefined): void {
  for (const [k, v] of Object.entries(frag ?? {})) {
    const cur = into[k];
    into[k] = cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' ? { ...cur, ...v } : v;
  }
}

/**
 * CreateEventSourceMapping input: every required field and every field whose value differs from AWS's default
 * (FIELD_RULES), so AWS fills its own defaults; the tags travel in the same call.
 */
export function toCreateRequest(c: MappingConfig, tags: Record<string, string>): ApiRequest {
  const req: ApiRequest = {};
  for (const field of FIELD_NAMES) {
    const rule = FIELD_RULES[field];
    if (rule.update === 'tags') continue;
    const value = c[field];
    if (value === null) continue;
    if (rule.omit !== 'required' && rule.omit !== 'keep-live' && jsonEqual(value, omittedValue(field))) continue;
    merge(req, fieldFragment(field, c));
  }
  if (Object.keys(tags).length) req.Tags = { ...tags };
  return req;
}

/**
 * UpdateEventSourceMapping input carrying only `changed` (MappingConfig paths; nested paths count for their
 * top-level field) with explicit reset values. Returns null when nothing in `changed` travels in UpdateEventSourceMapping.
 */
export function toUpdateRequest(uuid: string, c: MappingConfig, changed: string[]): ApiRequest | null {
  const req: ApiRequest = { UUID: uuid };
  let any = false;
  for (const field of new Set(changed.map(topField))) {
    const frag = updateFragment(field, c);
    if (frag) {
      Object.assign(req, frag);
      any = true;
    }
  }
  return any ? req : null;
}
