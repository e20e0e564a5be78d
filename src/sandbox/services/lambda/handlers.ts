// Lambda operations: functions (Get/GetConfiguration/List), Kafka event source mappings (Create/Get/Update/
// Delete/List with AWS's validation, states, conflicts and paging) and tags. Typed in, API JSON out or a Lambda error.

import { randomUUID } from 'node:crypto';
import type { SandboxResponse } from '../../http/protocols.js';
import type { World } from '../../world.js';
import type { LambdaStore, MappingState, ResolvedFunction, StoredFunction, StoredMapping } from './store.js';
import { TRANSITIONAL } from './store.js';
import { conflict, inUse, invalidParameter, memberPath, outOfRange, unsupported } from './errors.js';

type Body = Record<string, unknown>;

const present = (v: unknown) => v !== undefined && v !== null;
const isObj = (v: unknown): v is Body => v !== null && typeof v === 'object' && !Array.isArray(v);
/** A schema registry is set; an empty `SchemaRegistryConfig: {}` clears it, as `FilterCriteria: {}` clears filters. */
const hasRegistry = (v: unknown) => present(v) && !(isObj(v) && Object.keys(v).length === 0);
const secs = (ms: number) => Math.round(ms) / 1000;

// ───────────────────────────── Functions ─────────────────────────────

function functionConfiguration(store: LambdaStore, r: ResolvedFunction): Body {
  const fn: StoredFunction = r.fn;
  return {
    FunctionName: fn.name,
    FunctionArn: r.arn,
    Runtime: fn.runtime,
    Role: fn.roleArn,
    Handler: fn.handler,
    CodeSize: 1024,
    Description: '',
    Timeout: fn.timeout,
    MemorySize: fn.memorySize,
    LastModified: fn.lastModified,
    CodeSha256: fn.codeSha256,
    Version: store.versionOf(r),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: '00000000-0000-4000-8000-' + fn.codeSha256.replace(/[^a-f0-9]/gi, '0').slice(0, 12).toLowerCase(),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
}

// ───────────────────────────── Mappings: response shape ─────────────────────────────

const RESPONSE_ORDER = [
  'StartingPosition',
  'StartingPositionTimestamp',
  'BatchSize',
  'MaximumBatchingWindowInSeconds',
  'EventSourceArn',
  'FilterCriteria',
  'FunctionArn',
];
const RESPONSE_TAIL = [
  'DestinationConfig',
  'Topics',
  'SourceAccessConfigurations',
  'SelfManagedEventSource',
  'MaximumRecordAgeInSeconds',
  'BisectBatchOnFunctionError',
  'MaximumRetryAttempts',
  'FunctionResponseTypes',
  'AmazonManagedKafkaEventSourceConfig',
  'SelfManagedKafkaEventSourceConfig',
  'KMSKeyArn',
  'MetricsConfig',
  'LoggingConfig',
  'ProvisionedPollerConfig',
];

export function mappingResponse(store: LambdaStore, m: StoredMapping): Body {
  const out: Body = { UUID: m.uuid };
  for (const k of RESPONSE_ORDER) if (present(m.api[k])) out[k] = m.api[k];
  out.LastModified = secs(m.lastModified);
  out.LastProcessingResult = m.lastProcessingResult;
  out.State = m.state;
  out.StateTransitionReason = m.stateTransitionReason;
  for (const k of RESPONSE_TAIL) if (present(m.api[k])) out[k] = m.api[k];
  // out-of-band fields (editMapping) that are not part of the usual shape
  for (const [k, v] of Object.entries(m.api)) if (!(k in out) && present(v)) out[k] = v;
  out.EventSourceMappingArn = store.mappingArn(m.uuid);
  return out;
}

// ───────────────────────────── Mappings: validation ─────────────────────────────

const UNSUPPORTED = ['TumblingWindowInSeconds', 'ParallelizationFactor', 'ScalingConfig', 'Queues', 'DocumentDBEventSourceConfig'];
const PROVISIONED_ONLY = ['MaximumRetryAttempts', 'MaximumRecordAgeInSeconds', 'BisectBatchOnFunctionError', 'FunctionResponseTypes', 'MetricsConfig', 'LoggingConfig'];
const MSK_AUTH = ['SASL_SCRAM_512_AUTH', 'CLIENT_CERTIFICATE_TLS_AUTH'];
const SELF_MANAGED_ACCESS = ['BASIC_AUTH', 'SASL_SCRAM_256_AUTH', 'SASL_SCRAM_512_AUTH', 'CLIENT_CERTIFICATE_TLS_AUTH', 'SERVER_ROOT_CA_CERTIFICATE', 'VPC_SUBNET', 'VPC_SECURITY_GROUP'];
const AUTH_TYPES = new Set(['BASIC_AUTH', 'SASL_SCRAM_256_AUTH', 'SASL_SCRAM_512_AUTH', 'CLIENT_CERTIFICATE_TLS_AUTH']);
const TOPIC_RE = /^[^.]([a-zA-Z0-9\-_.]+)$/;
const GROUP_RE = /^[a-zA-Z0-9\-/*:_+=.@-]{1,200}$/;

function int(body: Body, field: string, min: number, max: number, at = field): number | undefined {
  const v = body[field];
  if (!present(v)) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidParameter(`1 validation error detected: Value '${String(v)}' at '${memberPath(at)}' failed to satisfy constraint: Member must be an integer`);
  if (v < min || v > max) throw outOfRange(at, v, min, max);
  return v;
}

function checkRanges(body: Body): void {
  int(body, 'BatchSize', 1, 10000);
  int(body, 'MaximumBatchingWindowInSeconds', 0, 300);
  int(body, 'MaximumRetryAttempts', -1, 10000);
  const age = int(body, 'MaximumRecordAgeInSeconds', -1, 604800);
  if (age !== undefined && age !== -1 && age < 60) throw outOfRange('MaximumRecordAgeInSeconds', age, 60, 604800);
  if (present(body.BisectBatchOnFunctionError) && typeof body.BisectBatchOnFunctionError !== 'boolean') throw invalidParameter('BisectBatchOnFunctionError must be a boolean.');
  if (present(body.FunctionResponseTypes)) {
    const t = body.FunctionResponseTypes;
    if (!Array.isArray(t) || t.some((x) => x !== 'ReportBatchItemFailures')) throw invalidParameter(`1 validation error detected: Value '${JSON.stringify(t)}' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy enum value set: [ReportBatchItemFailures]`);
  }
  const p = body.ProvisionedPollerConfig;
  if (isObj(p) && Object.keys(p).length > 0) {
    const min = int(p, 'MinimumPollers', 1, 200, 'ProvisionedPollerConfig.MinimumPollers');
    const max = int(p, 'MaximumPollers', 1, 2000, 'ProvisionedPollerConfig.MaximumPollers');
    if (min !== undefined && max !== undefined && min > max) throw invalidParameter('MinimumPollers must be less than or equal to MaximumPollers.');
    if (present(p.PollerGroupName) && (typeof p.PollerGroupName !== 'string' || !/^[a-zA-Z0-9-_]{1,128}$/.test(p.PollerGroupName))) throw invalidParameter(`Invalid PollerGroupName: ${String(p.PollerGroupName)}`);
  }
  const metrics = isObj(body.MetricsConfig) ? body.MetricsConfig.Metrics : undefined;
  if (present(metrics) && (!Array.isArray(metrics) || metrics.some((x) => !['EventCount', 'ErrorCount', 'KafkaMetrics'].includes(x as string)))) {
    throw invalidParameter(`1 validation error detected: Value '${JSON.stringify(metrics)}' at 'metricsConfig.metrics' failed to satisfy constraint: Member must satisfy enum value set: [EventCount, ErrorCount, KafkaMetrics]`);
  }
  const level = isObj(body.LoggingConfig) ? body.LoggingConfig.SystemLogLevel : undefined;
  if (present(level) && !['DEBUG', 'INFO', 'WARN'].includes(level as string)) throw invalidParameter(`1 validation error detected: Value '${String(level)}' at 'loggingConfig.systemLogLevel' failed to satisfy constraint: Member must satisfy enum value set: [DEBUG, INFO, WARN]`);
}

function checkUnsupported(body: Body): void {
  for (const f of UNSUPPORTED) if (present(body[f])) throw unsupported(f);
  if (isObj(body.DestinationConfig) && isObj(body.DestinationConfig.OnSuccess) && present(body.DestinationConfig.OnSuccess.Destination)) throw unsupported('DestinationConfig.OnSuccess');
}

function checkFilters(body: Body): void {
  const fc = body.FilterCriteria;
  if (!present(fc)) return;
  if (!isObj(fc)) throw invalidParameter('FilterCriteria must be an object.');
  const filters = fc.Filters;
  if (!present(filters)) return;
  if (!Array.isArray(filters)) throw invalidParameter('FilterCriteria.Filters must be a list.');
  if (filters.length > 5) throw invalidParameter('The number of filters exceeds the limit of 5 for this event source mapping.');
  for (const f of filters) {
    let ok = false;
    try {
      const p = JSON.parse(String((f as Body)?.Pattern));
      ok = isObj(p) && Object.keys(p).length > 0;
    } catch {
      ok = false;
    }
    if (!ok) throw invalidParameter(`Invalid filter pattern definition.`);
  }
}

function checkAccess(body: Body, isMsk: boolean): void {
  const sac = body.SourceAccessConfigurations;
  if (!present(sac)) return;
  if (!Array.isArray(sac) || sac.length > 22) throw invalidParameter('SourceAccessConfigurations must be a list of at most 22 entries.');
  const allowed = isMsk ? MSK_AUTH : SELF_MANAGED_ACCESS;
  let auths = 0;
  for (const e of sac) {
    if (!isObj(e) || typeof e.Type !== 'string' || typeof e.URI !== 'string' || e.URI === '') throw invalidParameter('Each SourceAccessConfiguration needs a Type and a URI.');
    if (!allowed.includes(e.Type)) {
      throw invalidParameter(`Unsupported SourceAccessConfiguration type ${e.Type} for ${isMsk ? 'Amazon MSK' : 'self-managed Apache Kafka'} event sources. Valid types: ${allowed.join(', ')}`);
    }
    if (AUTH_TYPES.has(e.Type)) auths++;
    if (e.Type !== 'VPC_SUBNET' && e.Type !== 'VPC_SECURITY_GROUP' && !/^arn:aws[a-zA-Z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+/.test(e.URI)) {
      throw invalidParameter(`Invalid URI for ${e.Type}: ${e.URI} is not a Secrets Manager secret ARN.`);
    }
  }
  if (auths > 1) throw invalidParameter('Only one authentication method can be specified in SourceAccessConfigurations.');
}

function isProvisioned(p: unknown): boolean {
  return isObj(p) && Object.keys(p).length > 0;
}

/** A provisioned-only field at its AWS default (-1, false, empty): sending it is the same as leaving it out. */
function isDefault(k: string, v: unknown): boolean {
  if (k === 'MaximumRetryAttempts' || k === 'MaximumRecordAgeInSeconds') return v === -1;
  if (k === 'BisectBatchOnFunctionError') return v === false;
  if (Array.isArray(v)) return v.length === 0;
  if (isObj(v)) return Object.values(v).every((x) => !present(x) || (Array.isArray(x) && x.length === 0));
  return false;
}

function checkProvisionedOnly(body: Body, provisioned: boolean, kafkaConfig: unknown): void {
  if (provisioned) return;
  for (const f of PROVISIONED_ONLY) {
    if (present(body[f]) && !isDefault(f, body[f])) throw invalidParameter(`${f} is only supported for Kafka event source mappings in provisioned mode. Set ProvisionedPollerConfig to use it.`);
  }
  const dest = isObj(body.DestinationConfig) && isObj(body.DestinationConfig.OnFailure) ? body.DestinationConfig.OnFailure.Destination : undefined;
  if (typeof dest === 'string' && dest.startsWith('kafka://')) throw invalidParameter('A Kafka topic on-failure destination is only supported in provisioned mode. Set ProvisionedPollerConfig to use it.');
  if (isObj(kafkaConfig) && hasRegistry(kafkaConfig.SchemaRegistryConfig)) throw invalidParameter('SchemaRegistryConfig is only supported for Kafka event source mappings in provisioned mode. Set ProvisionedPollerConfig to use it.');
}

function checkDestination(body: Body): void {
  const d = body.DestinationConfig;
  if (!present(d)) return;
  if (!isObj(d)) throw invalidParameter('DestinationConfig must be an object.');
  const dest = isObj(d.OnFailure) ? d.OnFailure.Destination : undefined;
  if (present(dest) && (typeof dest !== 'string' || !/^(arn:aws[a-zA-Z-]*:(sqs|sns|s3):.+|kafka:\/\/[^.][a-zA-Z0-9\-_.]*)$/.test(dest))) {
    throw invalidParameter(`The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination=${String(dest)})) is invalid.`);
  }
}

function checkKafkaConfig(cfg: unknown, field: string): void {
  if (!present(cfg)) return;
  if (!isObj(cfg)) throw invalidParameter(`${field} must be an object.`);
  if (present(cfg.ConsumerGroupId) && (typeof cfg.ConsumerGroupId !== 'string' || !GROUP_RE.test(cfg.ConsumerGroupId))) {
    throw invalidParameter(`1 validation error detected: Value '${String(cfg.ConsumerGroupId)}' at '${field[0].toLowerCase()}${field.slice(1)}.consumerGroupId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-\\/*:_+=.@-]*`);
  }
  const sr = cfg.SchemaRegistryConfig;
  if (hasRegistry(sr)) {
    if (!isObj(sr) || typeof sr.SchemaRegistryURI !== 'string') throw invalidParameter('SchemaRegistryConfig needs a SchemaRegistryURI.');
    if (present(sr.EventRecordFormat) && !['JSON', 'SOURCE'].includes(sr.EventRecordFormat as string)) throw invalidParameter(`1 validation error detected: Value '${String(sr.EventRecordFormat)}' at 'schemaRegistryConfig.eventRecordFormat' failed to satisfy constraint: Member must satisfy enum value set: [JSON, SOURCE]`);
    const v = sr.SchemaValidationConfigs;
    if (present(v) && (!Array.isArray(v) || v.some((x) => !isObj(x) || !['KEY', 'VALUE'].includes(x.Attribute as string)))) throw invalidParameter('SchemaValidationConfigs Attribute must be KEY or VALUE.');
  }
}

const sortedServers = (servers: string[]) => [...servers].sort();

function sourceLabel(m: Body): { kind: 'arn' | 'endpoints'; text: string } {
  if (typeof m.EventSourceArn === 'string') return { kind: 'arn', text: m.EventSourceArn };
  const eps = (m.SelfManagedEventSource as { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: string[] } }).Endpoints.KAFKA_BOOTSTRAP_SERVERS;
  return { kind: 'endpoints', text: eps.join(',') };
}

function sameSource(a: Body, b: Body): boolean {
  const x = sourceLabel(a);
  const y = sourceLabel(b);
  return x.kind === y.kind && x.text === y.text;
}

const groupOf = (api: Body): string | undefined => {
  const cfg = (api.AmazonManagedKafkaEventSourceConfig ?? api.SelfManagedKafkaEventSourceConfig) as Body | undefined;
  return cfg?.ConsumerGroupId as string | undefined;
};

/** AWS's 409 messages: same source + function + topic, or same source + consumer group id. */
function checkConflicts(store: LambdaStore, api: Body, customGroup: string | undefined, selfUuid?: string): void {
  for (const other of store.mappings.values()) {
    if (other.uuid === selfUuid) continue;
    if (!sameSource(other.api, api)) continue;
    const src = sourceLabel(api);
    const srcText = src.kind === 'arn' ? `event source arn ("${src.text}")` : `event source ("${src.text}")`;
    const topic = (api.Topics as string[])[0];
    if (other.api.FunctionArn === api.FunctionArn && (other.api.Topics as string[])[0] === topic) {
      throw conflict(`An event source mapping with ${srcText}, function ("${String(api.FunctionArn)}") and topics ("${topic}") already exists. Please update or delete the existing mapping with UUID ${other.uuid}`);
    }
    const otherGroup = groupOf(other.api);
    if (customGroup !== undefined && otherGroup === customGroup) {
      throw conflict(`An event source mapping with ${srcText} and consumer group id ("${customGroup}") already exists. Please update or delete the existing mapping with UUID ${other.uuid}`);
    }
  }
}

// ───────────────────────────── Mappings: operations ─────────────────────────────

export interface CreateOptions {
  uuid?: string;
  /** Seeded mappings start settled in this state instead of Creating. */
  settledState?: MappingState;
}

export function createMapping(world: World, body: Body, opts: CreateOptions = {}): StoredMapping {
  const store = world.lambda;
  store.settle();
  if (typeof body.FunctionName !== 'string' || body.FunctionName === '') throw invalidParameter("1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null");
  const hasArn = present(body.EventSourceArn);
  const hasSelf = present(body.SelfManagedEventSource);
  if (hasArn && hasSelf) throw invalidParameter('EventSourceArn and SelfManagedEventSource cannot both be specified.');
  if (!hasArn && !hasSelf) throw invalidParameter('Unrecognized event source, must specify EventSourceArn or SelfManagedEventSource.');
  const api: Body = {};
  if (hasArn) {
    const arn = body.EventSourceArn;
    if (typeof arn !== 'string' || !/^arn:aws[a-zA-Z-]*:kafka:/.test(arn)) {
      throw invalidParameter(`Unrecognized event source: ${String(arn)}. The esmctl sandbox emulates Kafka event sources (Amazon MSK and self-managed Apache Kafka) only.`);
    }
    if (!world.msk.clusters.has(arn)) throw invalidParameter(`The MSK cluster ${arn} does not exist.`);
    api.EventSourceArn = arn;
  } else {
    const sme = body.SelfManagedEventSource;
    const servers = isObj(sme) && isObj(sme.Endpoints) ? sme.Endpoints.KAFKA_BOOTSTRAP_SERVERS : undefined;
    if (!isObj(sme) || !isObj(sme.Endpoints) || Object.keys(sme.Endpoints).some((k) => k !== 'KAFKA_BOOTSTRAP_SERVERS')) {
      throw invalidParameter('SelfManagedEventSource.Endpoints supports only the KAFKA_BOOTSTRAP_SERVERS key.');
    }
    if (!Array.isArray(servers) || servers.length < 1 || servers.length > 10 || servers.some((s) => typeof s !== 'string' || !/^[^\s:]+:\d{1,5}$/.test(s))) {
      throw invalidParameter('KAFKA_BOOTSTRAP_SERVERS must list 1 to 10 bootstrap servers as host:port.');
    }
    api.SelfManagedEventSource = { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: sortedServers(servers as string[]) } };
  }
  const topics = body.Topics;
  if (!Array.isArray(topics) || topics.length !== 1) throw invalidParameter('Topics must contain exactly one topic for Kafka event sources.');
  if (typeof topics[0] !== 'string' || topics[0].length > 249 || !TOPIC_RE.test(topics[0])) {
    throw invalidParameter(`1 validation error detected: Value '[${String(topics[0])}]' at 'topics' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 249, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^[^.]([a-zA-Z0-9\\-_.]+)]`);
  }
  const sp = body.StartingPosition;
  if (!present(sp)) throw invalidParameter('StartingPosition must be specified for Kafka event sources.');
  if (!['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'].includes(sp as string)) {
    throw invalidParameter(`1 validation error detected: Value '${String(sp)}' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_TIMESTAMP]`);
  }
  if (sp === 'AT_TIMESTAMP' && typeof body.StartingPositionTimestamp !== 'number') throw invalidParameter('StartingPositionTimestamp must be specified when StartingPosition is AT_TIMESTAMP.');
  if (sp !== 'AT_TIMESTAMP' && present(body.StartingPositionTimestamp)) throw invalidParameter('StartingPositionTimestamp can only be specified when StartingPosition is AT_TIMESTAMP.');

  const fn = store.resolveFunction(body.FunctionName);
  checkUnsupported(body);
  checkRanges(body);
  checkFilters(body);
  checkDestination(body);
  checkAccess(body, hasArn);
  const ownKey = hasArn ? 'AmazonManagedKafkaEventSourceConfig' : 'SelfManagedKafkaEventSourceConfig';
  const otherKey = hasArn ? 'SelfManagedKafkaEventSourceConfig' : 'AmazonManagedKafkaEventSourceConfig';
  if (present(body[otherKey])) throw invalidParameter(`${otherKey} cannot be used with ${hasArn ? 'an Amazon MSK' : 'a self-managed Apache Kafka'} event source.`);
  checkKafkaConfig(body[ownKey], ownKey);
  const provisioned = isProvisioned(body.ProvisionedPollerConfig);
  checkProvisionedOnly(body, provisioned, body[ownKey]);
  if (present(body.Tags) && (!isObj(body.Tags) || Object.values(body.Tags).some((v) => typeof v !== 'string'))) throw invalidParameter('Tags must map keys to string values.');
  if (present(body.Enabled) && typeof body.Enabled !== 'boolean') throw invalidParameter('Enabled must be a boolean.');

  const uuid = opts.uuid ?? randomUUID();
  const cfg = (body[ownKey] ?? {}) as Body;
  const customGroup = cfg.ConsumerGroupId as string | undefined;
  api.FunctionArn = fn.arn;
  api.Topics = [topics[0]];
  api.StartingPosition = sp;
  if (sp === 'AT_TIMESTAMP') api.StartingPositionTimestamp = body.StartingPositionTimestamp;
  api.BatchSize = (body.BatchSize as number | undefined) ?? 100;
  if (present(body.MaximumBatchingWindowInSeconds)) api.MaximumBatchingWindowInSeconds = body.MaximumBatchingWindowInSeconds;
  checkConflicts(store, api, customGroup);

  if (Array.isArray(body.SourceAccessConfigurations) && body.SourceAccessConfigurations.length > 0) api.SourceAccessConfigurations = body.SourceAccessConfigurations;
  const filters = isObj(body.FilterCriteria) ? body.FilterCriteria.Filters : undefined;
  if (Array.isArray(filters) && filters.length > 0) api.FilterCriteria = { Filters: filters };
  for (const k of ['KMSKeyArn', 'MetricsConfig', 'LoggingConfig', 'MaximumRetryAttempts', 'MaximumRecordAgeInSeconds', 'BisectBatchOnFunctionError', 'FunctionResponseTypes']) {
    if (present(body[k]) && body[k] !== '' && (provisioned || !isDefault(k, body[k]))) api[k] = body[k];
  }
  if (isObj(body.DestinationConfig) && isObj(body.DestinationConfig.OnFailure) && present(body.DestinationConfig.OnFailure.Destination)) api.DestinationConfig = { OnFailure: { Destination: body.DestinationConfig.OnFailure.Destination } };
  if (provisioned) api.ProvisionedPollerConfig = body.ProvisionedPollerConfig;
  api[ownKey] = { ...cfg, ConsumerGroupId: customGroup ?? uuid };

  const enabled = body.Enabled !== false;
  const now = world.now();
  const m: StoredMapping = {
    uuid,
    api,
    enabled,
    state: 'Creating',
    stateTransitionReason: 'USER_INITIATED',
    lastProcessingResult: 'No records processed',
    lastModified: now,
    createdAt: now,
    tags: { ...((body.Tags as Record<string, string> | undefined) ?? {}) },
  };
  store.mappings.set(uuid, m);
  if (opts.settledState) m.state = opts.settledState;
  else store.transition(m, 'Creating', enabled ? 'Enabled' : 'Disabled');
  return m;
}

function inUseMessage(m: StoredMapping): string {
  return `The operation cannot be performed at this time. The event source mapping is currently in the ${m.state} state. Please try again later.`;
}

export function updateMapping(world: World, uuid: string, body: Body): StoredMapping {
  const store = world.lambda;
  const m = store.mapping(uuid);
  if (TRANSITIONAL.has(m.state)) throw inUse(inUseMessage(m));
  const isMsk = typeof m.api.EventSourceArn === 'string';
  const ownKey = isMsk ? 'AmazonManagedKafkaEventSourceConfig' : 'SelfManagedKafkaEventSourceConfig';
  const otherKey = isMsk ? 'SelfManagedKafkaEventSourceConfig' : 'AmazonManagedKafkaEventSourceConfig';
  let fn: ResolvedFunction | undefined;
  if (present(body.FunctionName)) fn = store.resolveFunction(String(body.FunctionName));
  checkUnsupported(body);
  checkRanges(body);
  checkFilters(body);
  checkDestination(body);
  checkAccess(body, isMsk);
  if (present(body[otherKey])) throw invalidParameter(`${otherKey} cannot be used with ${isMsk ? 'an Amazon MSK' : 'a self-managed Apache Kafka'} event source.`);
  checkKafkaConfig(body[ownKey], ownKey);
  const cfgIn = body[ownKey] as Body | undefined;
  const current = m.api[ownKey] as Body;
  if (cfgIn && present(cfgIn.ConsumerGroupId) && cfgIn.ConsumerGroupId !== current.ConsumerGroupId) throw invalidParameter('ConsumerGroupId cannot be updated after the event source mapping is created.');
  const ppc = body.ProvisionedPollerConfig;
  const provisioned = present(ppc) ? isProvisioned(ppc) : isProvisioned(m.api.ProvisionedPollerConfig);
  // the result must be valid too: fields kept from before still need provisioned mode
  if (!provisioned) {
    checkProvisionedOnly(body, false, cfgIn);
    const kept = PROVISIONED_ONLY.find((k) => present(m.api[k]) && !present(body[k]));
    if (kept || (isObj(current) && hasRegistry(current.SchemaRegistryConfig) && !(cfgIn && 'SchemaRegistryConfig' in cfgIn))) {
      throw invalidParameter(`Switching to on-demand mode requires removing the provisioned-mode settings (${kept ?? 'SchemaRegistryConfig'}) first.`);
    }
  }
  if (present(body.Enabled) && typeof body.Enabled !== 'boolean') throw invalidParameter('Enabled must be a boolean.');
  if (fn) {
    const next = { ...m.api, FunctionArn: fn.arn };
    checkConflicts(store, next, undefined, m.uuid);
  }

  // apply
  if (fn) m.api.FunctionArn = fn.arn;
  if (present(body.BatchSize)) m.api.BatchSize = body.BatchSize;
  if (present(body.MaximumBatchingWindowInSeconds)) m.api.MaximumBatchingWindowInSeconds = body.MaximumBatchingWindowInSeconds;
  if (present(body.FilterCriteria)) {
    const filters = (body.FilterCriteria as Body).Filters;
    if (Array.isArray(filters) && filters.length > 0) m.api.FilterCriteria = { Filters: filters };
    else delete m.api.FilterCriteria; // FilterCriteria: {} clears the filters
  }
  if (present(body.SourceAccessConfigurations)) {
    const sac = body.SourceAccessConfigurations as unknown[];
    if (sac.length > 0) m.api.SourceAccessConfigurations = sac;
    else delete m.api.SourceAccessConfigurations;
  }
  for (const k of ['KMSKeyArn', 'MetricsConfig', 'LoggingConfig', 'MaximumRetryAttempts', 'MaximumRecordAgeInSeconds', 'BisectBatchOnFunctionError', 'FunctionResponseTypes']) {
    if (!present(body[k])) continue;
    const v = body[k];
    const empty = v === '' || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0) || (isObj(v) && Array.isArray(v.Metrics) && v.Metrics.length === 0);
    if (empty || (!provisioned && isDefault(k, v))) delete m.api[k];
    else m.api[k] = v;
  }
  if (present(body.DestinationConfig)) {
    const d = (body.DestinationConfig as Body).OnFailure as Body | undefined;
    if (d && present(d.Destination) && d.Destination !== '') m.api.DestinationConfig = { OnFailure: { Destination: d.Destination } };
    else delete m.api.DestinationConfig;
  }
  if (present(ppc)) {
    if (isProvisioned(ppc)) m.api.ProvisionedPollerConfig = ppc;
    else delete m.api.ProvisionedPollerConfig;
  }
  if (cfgIn && 'SchemaRegistryConfig' in cfgIn) {
    const next: Body = { ...current };
    if (hasRegistry(cfgIn.SchemaRegistryConfig)) next.SchemaRegistryConfig = cfgIn.SchemaRegistryConfig;
    else delete next.SchemaRegistryConfig;
    m.api[ownKey] = next;
  }
  m.stateTransitionReason = 'USER_INITIATED';
  const wasEnabled = m.enabled;
  if (present(body.Enabled)) m.enabled = body.Enabled as boolean;
  const through: MappingState = m.enabled === wasEnabled ? 'Updating' : m.enabled ? 'Enabling' : 'Disabling';
  store.transition(m, through, m.enabled ? 'Enabled' : 'Disabled');
  return m;
}

export function deleteMapping(world: World, uuid: string): StoredMapping {
  const store = world.lambda;
  const m = store.mapping(uuid);
  if (TRANSITIONAL.has(m.state)) throw inUse(inUseMessage(m));
  m.stateTransitionReason = 'USER_INITIATED';
  store.transition(m, 'Deleting', 'gone');
  return m;
}

function listMappings(world: World, q: URLSearchParams): SandboxResponse {
  const store = world.lambda;
  store.settle();
  const maxItems = q.has('MaxItems') ? Number(q.get('MaxItems')) : 100;
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10000) throw outOfRange('MaxItems', q.get('MaxItems'), 1, 10000);
  const pageSize = Math.min(maxItems, 100);
  let all = [...store.mappings.values()];
  const source = q.get('EventSourceArn');
  if (source) all = all.filter((m) => m.api.EventSourceArn === source);
  const fnRef = q.get('FunctionName');
  if (fnRef) {
    let arn: string | undefined;
    try {
      arn = store.resolveFunction(fnRef).arn;
    } catch {
      arn = undefined;
    }
    all = arn ? all.filter((m) => m.api.FunctionArn === arn) : [];
  }
  let start = 0;
  const marker = q.get('Marker');
  if (marker) {
    const idx = all.findIndex((m) => m.uuid === Buffer.from(marker, 'base64url').toString('utf8'));
    if (idx < 0) throw invalidParameter('Invalid marker: the marker does not match any event source mapping of this listing.');
    start = idx;
  }
  const page = all.slice(start, start + pageSize);
  const next = all[start + pageSize];
  return {
    status: 200,
    json: { EventSourceMappings: page.map((m) => mappingResponse(store, m)), ...(next ? { NextMarker: Buffer.from(next.uuid).toString('base64url') } : {}) },
  };
}

/** An out-of-band change to a mapping (as if made in the console); API field names. */
export function editMapping(world: World, uuid: string, patch: Body): void {
  const store = world.lambda;
  const m = store.mapping(uuid);
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'Enabled') {
      m.enabled = v !== false;
      m.state = m.enabled ? 'Enabled' : 'Disabled';
      m.pending = undefined;
    } else if (k === 'State') {
      m.state = v as MappingState;
      m.pending = undefined;
    } else if (k === 'StateTransitionReason') m.stateTransitionReason = String(v);
    else if (k === 'LastProcessingResult') m.lastProcessingResult = String(v);
    else if (k === 'Tags') m.tags = { ...(v as Record<string, string>) };
    else if (k === 'UUID' || k === 'EventSourceMappingArn' || k === 'LastModified') continue;
    else if (k === 'FilterCriteria' && isObj(v) && !(Array.isArray(v.Filters) && v.Filters.length > 0)) delete m.api.FilterCriteria;
    else if (k === 'SelfManagedEventSource' && isObj(v) && isObj(v.Endpoints) && Array.isArray(v.Endpoints.KAFKA_BOOTSTRAP_SERVERS)) {
      m.api.SelfManagedEventSource = { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: sortedServers(v.Endpoints.KAFKA_BOOTSTRAP_SERVERS as string[]) } };
    } else if (v === null || v === undefined) delete m.api[k];
    else m.api[k] = v;
  }
  m.lastModified = world.now();
}

// ───────────────────────────── Tags ─────────────────────────────

function tagResource(world: World, arn: string, body: Body): SandboxResponse {
  const tags = world.lambda.tagsOf(arn);
  if (!isObj(body.Tags) || Object.values(body.Tags).some((v) => typeof v !== 'string')) throw invalidParameter('Tags must map keys to string values.');
  for (const k of Object.keys(body.Tags)) if (k.toLowerCase().startsWith('aws:')) throw invalidParameter(`Tag keys starting with "aws:" are reserved: ${k}`);
  const merged = { ...tags, ...(body.Tags as Record<string, string>) };
  if (Object.keys(merged).length > 50) throw invalidParameter('A resource can have at most 50 tags.');
  Object.assign(tags, body.Tags);
  return { status: 204 };
}

function untagResource(world: World, arn: string, q: URLSearchParams): SandboxResponse {
  const tags = world.lambda.tagsOf(arn);
  const keys = q.getAll('tagKeys');
  if (keys.length === 0) throw invalidParameter("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
  for (const k of keys) delete tags[k];
  return { status: 204 };
}

// ───────────────────────────── Handler table ─────────────────────────────

export const lambdaHandlers = {
  GetFunction(world: World, name: string, q: URLSearchParams): SandboxResponse {
    const r = world.lambda.resolveFunction(name, q.get('Qualifier') ?? undefined);
    return {
      status: 200,
      json: {
        Configuration: functionConfiguration(world.lambda, r),
        Code: { RepositoryType: 'S3', Location: `https://awslambda-${world.region}-tasks.s3.${world.region}.amazonaws.com/snapshots/${world.accountId}/${r.fn.name}` },
        ...(Object.keys(r.fn.tags).length ? { Tags: r.fn.tags } : {}),
      },
    };
  },
  GetFunctionConfiguration(world: World, name: string, q: URLSearchParams): SandboxResponse {
    const r = world.lambda.resolveFunction(name, q.get('Qualifier') ?? undefined);
    return { status: 200, json: functionConfiguration(world.lambda, r) };
  },
  ListFunctions(world: World, q: URLSearchParams): SandboxResponse {
    const all = [...world.lambda.functions.values()];
    const max = q.has('MaxItems') ? Number(q.get('MaxItems')) : 50;
    if (!Number.isInteger(max) || max < 1 || max > 10000) throw outOfRange('MaxItems', q.get('MaxItems'), 1, 10000);
    const size = Math.min(max, 50);
    const marker = q.get('Marker');
    const start = marker ? all.findIndex((f) => f.name === Buffer.from(marker, 'base64url').toString()) : 0;
    if (start < 0) throw invalidParameter('Invalid marker.');
    const page = all.slice(start, start + size);
    const next = all[start + size];
    return {
      status: 200,
      json: { Functions: page.map((fn) => functionConfiguration(world.lambda, { fn, arn: fn.arn })), ...(next ? { NextMarker: Buffer.from(next.name).toString('base64url') } : {}) },
    };
  },
  CreateEventSourceMapping(world: World, body: Body): SandboxResponse {
    const m = createMapping(world, body);
    return { status: 202, json: mappingResponse(world.lambda, m) };
  },
  GetEventSourceMapping(world: World, uuid: string): SandboxResponse {
    return { status: 200, json: mappingResponse(world.lambda, world.lambda.mapping(uuid)) };
  },
  UpdateEventSourceMapping(world: World, uuid: string, body: Body): SandboxResponse {
    return { status: 202, json: mappingResponse(world.lambda, updateMapping(world, uuid, body)) };
  },
  DeleteEventSourceMapping(world: World, uuid: string): SandboxResponse {
    return { status: 202, json: mappingResponse(world.lambda, deleteMapping(world, uuid)) };
  },
  ListEventSourceMappings: listMappings,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTags(world: World, arn: string): SandboxResponse {
    return { status: 200, json: { Tags: { ...world.lambda.tagsOf(arn) } } };
  },
};

