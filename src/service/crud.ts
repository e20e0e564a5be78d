// Event source mapping CRUD (the earlier MCP server's create/update/delete/list/add_msk_permissions), composed from
// the same core as plan/apply: a create is a one-mapping plan applied; updates and deletes are one-action plans.

import { userError } from '../core/errors.js';
import { event } from '../core/events.js';
import type { AwsPorts } from '../core/ports.js';
import { diffConfigs } from '../core/diff.js';
import { FIELD_RULES } from '../core/fields.js';
import { desiredPolicyDocument, policiesEqual, roleNameOf, type PolicyInput } from '../core/iam.js';
import { sourceKey } from '../core/match.js';
import { canonicalConfig } from '../core/normalize.js';
import { mappingActionId, summarize } from '../core/plan.js';
import { ownerOf, userTags } from '../core/tags.js';
import type {
  Action,
  ApplyReport,
  AuthSpec,
  DesiredMapping,
  KafkaSource,
  LiveCluster,
  LiveFunction,
  LiveMapping,
  MappingConfig,
  MappingSet,
  Plan,
  PolicyDocument,
  StartingPosition,
} from '../core/types.js';
import { matchesFunction as matchesFunctionExact } from './list.js';
import type { ServiceDeps } from './types.js';

/** The set name of the one-mapping plans a create builds (its ownership tags are not written: see createMapping). */
export const CRUD_SET = 'esmctl-crud';

/** Per-function inline policy the CRUD tools maintain (`esmctl-<set>` policies stay the plan's). */
export function crudPolicyName(functionName: string): string {
  return `esmctl-fn-${functionName}`.slice(0, 128);
}

// ───────────────────────────── Views ─────────────────────────────

/** One mapping flattened for people and agents: no secrets (secret ARNs only), readable timestamps. */
export interface MappingView {
  uuid: string;
  arn: string;
  function_name: string;
  function_arn: string;
  source_kind: 'msk' | 'self-managed';
  /** MSK cluster ARN, or comma-separated bootstrap servers. */
  source: string;
  topic: string;
  state: string;
  state_transition_reason?: string;
  last_processing_result?: string;
  /** ISO-8601 UTC. */
  last_modified: string;
  enabled: boolean;
  batch_size: number;
  /** Seconds; null: never set (AWS uses 500 ms). */
  max_batching_window: number | null;
  starting_position: StartingPosition;
  starting_position_timestamp: string | null;
  /** null: the default group (the mapping's UUID). */
  kafka_consumer_group_id: string | null;
  pollers: { min: number; max: number } | null;
  retry_attempts: number;
  max_record_age: number;
  bisect_batch_on_error: boolean;
  report_batch_item_failures: boolean;
  source_access_configurations: Array<{ Type: string; URI: string }>;
  /** esmctl owner when the mapping is managed by a spec. */
  owner_set?: string;
}

/** `name` or `name:qualifier` of a function ARN. */
export function functionNameOf(functionArn: string): string {
  const m = /:function:(.+)$/.exec(functionArn);
  return m ? m[1] : functionArn;
}

export function sourceText(s: KafkaSource): string {
  return s.kind === 'msk' ? s.arn : s.bootstrapServers.join(',');
}

export function viewMapping(m: LiveMapping): MappingView {
  const c = m.config;
  const owner = ownerOf(m.tags);
  const view: MappingView = {
    uuid: m.uuid,
    arn: m.arn,
    function_name: functionNameOf(c.functionArn),
    function_arn: c.functionArn,
    source_kind: c.source.kind,
    source: sourceText(c.source),
    topic: c.topic,
    state: m.state,
    last_modified: m.lastModified,
    enabled: c.enabled,
    batch_size: c.batchSize,
    max_batching_window: c.maximumBatchingWindowInSeconds,
    starting_position: c.startingPosition,
    starting_position_timestamp: c.startingPositionTimestamp,
    kafka_consumer_group_id: c.consumerGroupId === m.uuid ? null : c.consumerGroupId,
    pollers: c.provisionedPollers ? { min: c.provisionedPollers.minimum, max: c.provisionedPollers.maximum } : null,
    retry_attempts: c.maximumRetryAttempts,
    max_record_age: c.maximumRecordAgeInSeconds,
    bisect_batch_on_error: c.bisectBatchOnFunctionError,
    report_batch_item_failures: c.reportBatchItemFailures,
    source_access_configurations: c.sourceAccessConfigurations.map((a) => ({ Type: a.type, URI: a.uri })),
  };
  if (m.stateTransitionReason !== undefined) view.state_transition_reason = m.stateTransitionReason;
  if (m.lastProcessingResult !== undefined) view.last_processing_result = m.lastProcessingResult;
  if (owner) view.owner_set = owner.set;
  return view;
}

// ───────────────────────────── Inputs ─────────────────────────────

export interface SourceArgs {
  /** MSK cluster (or VPC connection) ARN. */
  eventSourceArn?: string;
  /** Self-managed bootstrap servers, comma-separated `host:port`. */
  kafkaBootstrapServers?: string;
}

/** Settings both create and update accept (undefined: not given). */
export interface SettingsArgs {
  batchSize?: number;
  maxBatchingWindow?: number;
  enabled?: boolean;
  minPollers?: number;
  maxPollers?: number;
  reportBatchItemFailures?: boolean;
  retryAttempts?: number;
  bisectBatchOnError?: boolean;
  maxRecordAge?: number;
  /** Never valid for Kafka: explained, never sent. */
  tumblingWindow?: number;
}

export interface CreateArgs extends SourceArgs, SettingsArgs {
  region?: string;
  /** Function name, name:qualifier or ARN. */
  target: string;
  kafkaTopic: string;
  /** `[{ "Type": "SASL_SCRAM_512_AUTH", "URI": "arn:…" }]` as the Lambda API spells them. */
  sourceAccessConfigurations?: Array<{ Type: string; URI: string }>;
  startingPosition?: StartingPosition;
  startingPositionTimestamp?: string;
  kafkaConsumerGroupId?: string;
}

/** The tool parameter names of the settings AWS accepts for Kafka only in provisioned mode. */
const PROVISIONED_ONLY_ARGS: Array<[keyof SettingsArgs, string, keyof typeof FIELD_RULES]> = [
  ['retryAttempts', 'retry_attempts', 'maximumRetryAttempts'],
  ['maxRecordAge', 'max_record_age', 'maximumRecordAgeInSeconds'],
  ['bisectBatchOnError', 'bisect_batch_on_error', 'bisectBatchOnFunctionError'],
  ['reportBatchItemFailures', 'report_batch_item_failures', 'reportBatchItemFailures'],
];

/** Explains settings AWS refuses for Kafka instead of letting the API fail. */
export function checkKafkaSettings(args: SettingsArgs, provisioned: boolean): void {
  if (args.tumblingWindow !== undefined) {
    throw userError(
      'crud.not_for_kafka',
      'tumbling_window is not supported for Kafka event sources: AWS accepts TumblingWindowInSeconds only for Kinesis and DynamoDB streams.',
      'Leave tumbling_window out; aggregate in the function (or downstream) instead.',
    );
  }
  if (provisioned) return;
  const given = PROVISIONED_ONLY_ARGS.filter(([key, , field]) => args[key] !== undefined && FIELD_RULES[field].provisionedOnly);
  // false/-1 are AWS's defaults and harmless without provisioned mode.
  const meaningful = given.filter(([key]) => args[key] !== false && args[key] !== -1);
  if (meaningful.length > 0) {
    const names = meaningful.map(([, name]) => name).join(', ');
    throw userError(
      'crud.needs_provisioned_mode',
      `${names} ${meaningful.length > 1 ? 'are' : 'is'} accepted for Kafka event sources only in provisioned mode, and this mapping has no provisioned pollers.`,
      'Also pass min_pollers and/or max_pollers (provisioned mode has a cost per poller), or leave these settings out.',
    );
  }
}

function ensureRanges(args: SettingsArgs): void {
  if (args.minPollers !== undefined && args.maxPollers !== undefined && args.minPollers > args.maxPollers) {
    throw userError('crud.pollers', `min_pollers (${args.minPollers}) is greater than max_pollers (${args.maxPollers}).`, 'Make min_pollers ≤ max_pollers.');
  }
  if (args.maxRecordAge !== undefined && args.maxRecordAge !== -1 && (args.maxRecordAge < 60 || args.maxRecordAge > 604800)) {
    throw userError('crud.max_record_age', `max_record_age must be -1 (infinite) or 60–604800 seconds, got ${args.maxRecordAge}.`, 'Pick a value in range.');
  }
}

/** The one source the arguments name; both or neither is a user error that asks. */
export function sourceOf(args: SourceArgs): KafkaSource {
  const arn = args.eventSourceArn?.trim();
  const servers = (args.kafkaBootstrapServers ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (arn && servers.length > 0) {
    throw userError(
      'crud.ambiguous_source',
      `Both event_source_arn (${arn}) and kafka_bootstrap_servers (${servers.join(',')}) were given; a mapping reads from one source.`,
      'Call again with only event_source_arn (Amazon MSK) or only kafka_bootstrap_servers (self-managed Kafka).',
    );
  }
  if (arn) {
    if (!/^arn:aws[a-z-]*:kafka:[a-z0-9-]+:\d{12}:(cluster|vpc-connection)\//.test(arn)) {
      throw userError('crud.source_arn', `event_source_arn '${arn}' is not an MSK cluster or VPC connection ARN.`, 'Pass arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/UUID, or kafka_bootstrap_servers for self-managed Kafka.');
    }
    return { kind: 'msk', arn };
  }
  if (servers.length > 0) {
    const bad = servers.filter((s) => !/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(s));
    if (bad.length > 0) {
      throw userError('crud.bootstrap_servers', `kafka_bootstrap_servers has entries that are not host:port: ${bad.join(', ')}.`, 'Pass comma-separated host:port pairs, e.g. b1.example.com:9092,b2.example.com:9092.');
    }
    return { kind: 'self-managed', bootstrapServers: servers };
  }
  throw userError('crud.no_source', 'No source given.', 'Pass event_source_arn (Amazon MSK cluster ARN) or kafka_bootstrap_servers (self-managed Kafka).');
}

const SAC_AUTH: Record<string, AuthSpec['type']> = {
  SASL_SCRAM_512_AUTH: 'SASL_SCRAM_512',
  SASL_SCRAM_256_AUTH: 'SASL_SCRAM_256',
  BASIC_AUTH: 'BASIC_AUTH',
  CLIENT_CERTIFICATE_TLS_AUTH: 'MTLS',
};

/** The Lambda API's SourceAccessConfigurations as the spec's auth and vpc blocks. */
export function authAndVpcOf(sacs: Array<{ Type: string; URI: string }> | undefined): Pick<DesiredMapping, 'auth' | 'vpc'> {
  if (!sacs || sacs.length === 0) return {};
  let auth: AuthSpec | undefined;
  let rootCa: string | undefined;
  const subnets: string[] = [];
  const securityGroups: string[] = [];
  for (const [i, s] of sacs.entries()) {
    const where = `source_access_configurations[${i}]`;
    if (typeof s?.Type !== 'string' || typeof s?.URI !== 'string') {
      throw userError('crud.source_access', `${where} needs Type and URI strings.`, 'Example: [{"Type":"SASL_SCRAM_512_AUTH","URI":"arn:aws:secretsmanager:…"}]');
    }
    const authType = SAC_AUTH[s.Type];
    if (authType) {
      if (auth) throw userError('crud.source_access', `${where}: only one authentication entry is allowed (already have ${auth.type}).`, 'Keep one of SASL_SCRAM_512_AUTH, SASL_SCRAM_256_AUTH, BASIC_AUTH or CLIENT_CERTIFICATE_TLS_AUTH.');
      auth = { type: authType, secretArn: s.URI };
    } else if (s.Type === 'SERVER_ROOT_CA_CERTIFICATE') rootCa = s.URI;
    else if (s.Type === 'VPC_SUBNET') subnets.push(s.URI);
    else if (s.Type === 'VPC_SECURITY_GROUP') securityGroups.push(s.URI);
    else {
      throw userError(
        'crud.source_access',
        `${where}: Type '${s.Type}' is not valid for Kafka.`,
        'Use one of SASL_SCRAM_512_AUTH, SASL_SCRAM_256_AUTH, BASIC_AUTH, CLIENT_CERTIFICATE_TLS_AUTH, SERVER_ROOT_CA_CERTIFICATE, VPC_SUBNET, VPC_SECURITY_GROUP.',
      );
    }
  }
  if (rootCa) auth = { ...(auth ?? { type: 'NONE' }), serverRootCaSecretArn: rootCa };
  const out: Pick<DesiredMapping, 'auth' | 'vpc'> = {};
  if (auth) out.auth = auth;
  if (subnets.length || securityGroups.length) out.vpc = { subnets, securityGroups };
  return out;
}

// ───────────────────────────── Shared steps ─────────────────────────────

async function requireFunction(ports: AwsPorts, ref: string): Promise<LiveFunction> {
  const fn = await ports.functions.getFunction(ref);
  if (!fn) {
    throw userError('crud.function_not_found', `Function '${ref}' was not found in ${ports.region}.`, 'Check the name, alias or ARN and the region (list_event_source_mappings shows mapped functions).');
  }
  return fn;
}

/** A bare function name matches every qualifier of it; name:qualifier and ARNs match exactly. */
export function matchesFunction(functionArn: string, ref: string | undefined): boolean {
  if (!ref) return true;
  if (!ref.includes(':')) return functionNameOf(functionArn).split(':')[0] === ref;
  return matchesFunctionExact(functionArn, ref);
}

function accountOf(arn: string): string | undefined {
  return arn.split(':')[4] || undefined;
}

/** Runs a plan through the one executor, with the host's events; a failed action becomes an error. */
async function runPlan(plan: Plan, ports: AwsPorts, deps: ServiceDeps): Promise<ApplyReport> {
  const { applyPlan } = await import('../apply/index.js');
  return applyPlan(plan, ports, deps.host);
}

function onePlan(ports: AwsPorts, action: Action, readAt: string): Plan {
  return {
    formatVersion: 1,
    createdAt: readAt,
    region: ports.region,
    sets: [],
    specHash: '',
    actions: [action],
    warnings: [],
    unmanaged: [],
    fingerprints: [],
    summary: summarize([action]),
  };
}

function failedOf(report: ApplyReport): ApplyReport['results'][number] | undefined {
  return report.results.find((r) => r.status === 'failed' || r.status === 'skipped' || r.status === 'cancelled');
}

async function throwIfFailed(report: ApplyReport): Promise<void> {
  const failed = failedOf(report);
  if (!failed) return;
  const { EsmctlError } = await import('../core/errors.js');
  const e = failed.error;
  throw new EsmctlError(e?.code ?? 'apply.failed', e?.message ?? `${failed.kind} ${failed.address} ${failed.status}`, {
    source: e?.source ?? 'aws',
    hint: e?.hint,
  });
}

/** Live mappings that are not on their way out. */
async function liveKafkaMappings(ports: AwsPorts): Promise<LiveMapping[]> {
  return (await ports.mappings.listKafkaMappings()).filter((m) => m.state !== 'Deleting');
}

// ───────────────────────────── add_msk_permissions ─────────────────────────────

export interface PermissionsOutcome {
  functionArn: string;
  roleName: string;
  policyName: string;
  /** put: written; unchanged: already right; none-needed: the mappings need no permissions. */
  status: 'put' | 'unchanged' | 'none-needed';
  document: PolicyDocument | null;
  /** UUIDs of the mappings the policy covers (plus `(new)` for a mapping about to be created). */
  covers: string[];
}

/**
 * Puts the least-privilege inline policy `esmctl-fn-<function>` on the function's role for every Kafka mapping of
 * that function (and `extra`, a config about to be created), with the same generator plan/apply use.
 */
export async function addMskPermissions(
  input: { functionName: string; region?: string; extra?: MappingConfig },
  deps: ServiceDeps,
  preset?: { ports: AwsPorts; fn: LiveFunction; live: LiveMapping[] },
): Promise<PermissionsOutcome> {
  const ports = preset?.ports ?? (await deps.ports(input.region));
  const fn = preset?.fn ?? (await requireFunction(ports, input.functionName));
  const live = preset?.live ?? (await liveKafkaMappings(ports));
  const baseArn = fn.functionArn.split(':').slice(0, 7).join(':');
  const mine = live.filter((m) => m.config.functionArn.split(':').slice(0, 7).join(':') === baseArn);
  const inputs: PolicyInput[] = mine.map((m) => ({ address: m.uuid, config: m.config }));
  if (input.extra) inputs.push({ address: '(new)', config: input.extra });
  const clusterArns = [...new Set(inputs.map((i) => i.config.source).flatMap((s) => (s.kind === 'msk' ? [s.arn] : [])))];
  const clusters = (await Promise.all(clusterArns.map((a) => ports.clusters.describeCluster(a)))).filter((c): c is LiveCluster => c !== null);
  const document = desiredPolicyDocument(inputs, { region: ports.region, accountId: accountOf(fn.functionArn), clusters });
  const roleName = roleNameOf(fn.roleArn);
  const name = crudPolicyName(functionNameOf(baseArn));
  const covers = inputs.map((i) => i.address);
  if (document === null) return { functionArn: fn.functionArn, roleName, policyName: name, status: 'none-needed', document, covers };
  const have = await ports.iam.getRolePolicy(roleName, name);
  if (policiesEqual(have, document)) return { functionArn: fn.functionArn, roleName, policyName: name, status: 'unchanged', document, covers };
  await ports.iam.putRolePolicy(roleName, name, document);
  deps.host.emit(event('apply.action.done', `put IAM policy ${name} on role ${roleName}`, { roleName, policyName: name }));
  return { functionArn: fn.functionArn, roleName, policyName: name, status: 'put', document, covers };
}

// ───────────────────────────── create ─────────────────────────────

export type CreateOutcome =
  | { kind: 'created'; mapping: MappingView; warnings: string[]; permissions?: PermissionsOutcome }
  | { kind: 'exists'; mapping: MappingView; warnings: string[] };

/** A safe mapping name from function and topic (for the one-mapping plan's address). */
function mappingName(functionName: string, topic: string): string {
  return `${functionName}-${topic}`.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 64);
}

/**
 * Creates one mapping as a one-mapping plan applied: puts the permissions it needs first (a failure there is a
 * warning), then the plan's create action only. The mapping carries no esmctl ownership tags, so a spec can
 * adopt it later. When a live mapping already has the function, source and topic, returns it instead.
 */
export async function createMapping(args: CreateArgs, deps: ServiceDeps): Promise<CreateOutcome> {
  const source = sourceOf(args);
  const provisioned = args.minPollers !== undefined || args.maxPollers !== undefined;
  checkKafkaSettings(args, provisioned);
  ensureRanges(args);
  if (args.startingPosition === 'AT_TIMESTAMP' && !args.startingPositionTimestamp) {
    throw userError('crud.timestamp', 'starting_position AT_TIMESTAMP needs starting_position_timestamp.', 'Pass an ISO-8601 instant, e.g. 2026-01-31T00:00:00Z.');
  }
  if (args.startingPositionTimestamp && args.startingPosition !== 'AT_TIMESTAMP') {
    throw userError('crud.timestamp', 'starting_position_timestamp is only used with starting_position AT_TIMESTAMP.', 'Set starting_position to AT_TIMESTAMP or leave the timestamp out.');
  }
  const ports = await deps.ports(args.region);
  const fn = await requireFunction(ports, args.target);

  const desired: DesiredMapping = {
    set: CRUD_SET,
    name: mappingName(functionNameOf(fn.functionArn), args.kafkaTopic),
    address: '',
    function: args.target,
    source,
    topic: args.kafkaTopic,
    permissions: 'none',
    ...authAndVpcOf(args.sourceAccessConfigurations),
  };
  desired.address = `${desired.set}/${desired.name}`;
  if (args.kafkaConsumerGroupId !== undefined) desired.consumerGroupId = args.kafkaConsumerGroupId;
  desired.startingPosition = args.startingPosition ?? 'LATEST';
  if (args.startingPositionTimestamp !== undefined) desired.startingPositionTimestamp = new Date(args.startingPositionTimestamp).toISOString();
  desired.batchSize = args.batchSize ?? 100;
  if (args.maxBatchingWindow !== undefined) desired.maximumBatchingWindowInSeconds = args.maxBatchingWindow;
  desired.enabled = args.enabled ?? true;
  if (provisioned) desired.provisionedPollers = { minimum: args.minPollers, maximum: args.maxPollers };
  const eh: NonNullable<DesiredMapping['errorHandling']> = {};
  if (args.retryAttempts !== undefined) eh.maximumRetryAttempts = args.retryAttempts;
  if (args.maxRecordAge !== undefined) eh.maximumRecordAgeInSeconds = args.maxRecordAge;
  if (args.bisectBatchOnError !== undefined) eh.bisectBatchOnFunctionError = args.bisectBatchOnError;
  if (args.reportBatchItemFailures !== undefined) eh.reportBatchItemFailures = args.reportBatchItemFailures;
  if (Object.keys(eh).length > 0) desired.errorHandling = eh;

  // The one-mapping plan, built by the core from what the reader observed.
  const sets: MappingSet[] = [{ apiVersion: 'esmctl/v1', name: CRUD_SET, files: [], mappings: [desired] }];
  const [{ readObserved }, { buildPlan }] = await Promise.all([import('../aws/index.js'), import('../core/plan.js')]);
  const observed = await readObserved(ports, sets);
  const plan = buildPlan(sets, observed);
  const warnings = plan.warnings.filter((w) => w.address === desired.address).map((w) => w.message);
  const action = plan.actions.find((a) => a.id === mappingActionId(desired.address));

  // Already there (same function, source and topic; owned by a spec or not): answer with it, change nothing.
  const existing = observed.mappings.find(
    (m) => m.state !== 'Deleting' && m.config.functionArn === fn.functionArn && sourceKey(m.config.source) === sourceKey(source) && m.config.topic === args.kafkaTopic,
  );
  if (existing) {
    return { kind: 'exists', mapping: viewMapping(existing), warnings: [`a mapping for this function, source and topic already exists (${existing.uuid}); nothing was created`] };
  }
  if (action?.kind !== 'create') {
    const blocked = plan.warnings.find((w) => w.address === desired.address);
    throw userError('crud.not_created', blocked?.message ?? 'The plan has no create for this mapping.', 'list_event_source_mappings shows what exists for this function.');
  }

  // Permissions first; a failure is a warning and the create goes on.
  let permissions: PermissionsOutcome | undefined;
  try {
    permissions = await addMskPermissions({ functionName: args.target, extra: action.desired }, deps, {
      ports,
      fn,
      live: observed.mappings.filter((m) => m.state !== 'Deleting'),
    });
  } catch (e) {
    warnings.push(`could not put the permissions the mapping needs on the function's role: ${(e as Error).message}; the create goes on (add them with add_msk_permissions once fixed)`);
  }

  // Unowned: the ownership tags stay out, so a spec adopts this mapping by function, source and topic.
  const create: Action = { ...action, dependsOn: [], tags: userTags(action.tags) };
  const report = await runPlan({ ...onePlan(ports, create, observed.readAt), warnings: plan.warnings.filter((w) => w.address === desired.address) }, ports, deps);
  const result = report.results[0];
  if (result?.status === 'adopted' && result.uuid) {
    const m = await ports.mappings.getMapping(result.uuid);
    if (m) return { kind: 'exists', mapping: viewMapping(m), warnings: [...warnings, ...result.warnings] };
  }
  await throwIfFailed(report);
  const uuid = result?.uuid;
  const created = uuid ? await ports.mappings.getMapping(uuid) : null;
  if (!created) throw userError('crud.vanished', `The mapping was created (${uuid ?? 'unknown UUID'}) but could not be read back.`, 'Call list_event_source_mappings to see it.');
  return { kind: 'created', mapping: viewMapping(created), warnings: [...warnings, ...(result?.warnings ?? [])], permissions };
}

// ───────────────────────────── find (update / delete) ─────────────────────────────

export interface FindArgs extends SourceArgs {
  uuid?: string;
  functionName?: string;
  kafkaTopic?: string;
  region?: string;
}

/** Mappings the selector names: by UUID, or by function + source (+ topic). */
export async function findMappings(args: FindArgs, ports: AwsPorts): Promise<LiveMapping[]> {
  if (args.uuid) {
    const m = await ports.mappings.getMapping(args.uuid);
    if (!m || m.state === 'Deleting') {
      throw userError('crud.not_found', `No Kafka event source mapping ${args.uuid} in ${ports.region}.`, 'Call list_event_source_mappings to find the UUID.');
    }
    return [m];
  }
  if (!args.functionName) {
    throw userError('crud.selector', 'Name the mapping: pass uuid, or function_name with event_source_arn or kafka_bootstrap_servers (and kafka_topic).', 'list_event_source_mappings shows the UUIDs.');
  }
  const source = sourceOf(args);
  const wantSource = sourceKey(source);
  return (await liveKafkaMappings(ports))
    .filter((m) => matchesFunction(m.config.functionArn, args.functionName))
    .filter((m) => sourceKey(m.config.source) === wantSource)
    .filter((m) => args.kafkaTopic === undefined || m.config.topic === args.kafkaTopic)
    .sort((a, b) => (a.config.topic + a.uuid < b.config.topic + b.uuid ? -1 : 1));
}

function oneOf(found: LiveMapping[], what: string): LiveMapping {
  if (found.length === 0) {
    throw userError('crud.not_found', `No Kafka event source mapping matches ${what}.`, 'Call list_event_source_mappings to see what exists.');
  }
  if (found.length > 1) {
    const list = found.map((m) => `${m.uuid} (topic ${m.config.topic}, ${m.state})`).join('; ');
    throw userError('crud.ambiguous', `${found.length} mappings match ${what}: ${list}.`, 'Pass uuid (or kafka_topic) to say which one.');
  }
  return found[0];
}

function describeSelector(args: FindArgs): string {
  if (args.uuid) return `uuid ${args.uuid}`;
  const src = args.eventSourceArn ?? args.kafkaBootstrapServers ?? '';
  return `function ${args.functionName}, source ${src}${args.kafkaTopic ? `, topic ${args.kafkaTopic}` : ''}`;
}

// ───────────────────────────── update ─────────────────────────────

export interface UpdateArgs extends FindArgs, SettingsArgs {}

export interface UpdateOutcome {
  mapping: MappingView;
  /** Dotted MappingConfig paths that changed. */
  changed: string[];
}

/** Changes the updatable settings of one mapping (a one-action plan), waits for it to settle, returns it. */
export async function updateMapping(args: UpdateArgs, deps: ServiceDeps): Promise<UpdateOutcome> {
  ensureRanges(args);
  const ports = await deps.ports(args.region);
  if (args.tumblingWindow !== undefined) checkKafkaSettings(args, true);
  const live = oneOf(await findMappings(args, ports), describeSelector(args));
  const before = canonicalConfig(live.config);
  if (before.consumerGroupId === live.uuid) before.consumerGroupId = null;
  const after: MappingConfig = structuredClone(before);
  if (args.batchSize !== undefined) after.batchSize = args.batchSize;
  if (args.maxBatchingWindow !== undefined) after.maximumBatchingWindowInSeconds = args.maxBatchingWindow;
  if (args.enabled !== undefined) after.enabled = args.enabled;
  if (args.minPollers !== undefined || args.maxPollers !== undefined) {
    const cur = before.provisionedPollers;
    after.provisionedPollers = { minimum: args.minPollers ?? cur?.minimum ?? 1, maximum: args.maxPollers ?? cur?.maximum ?? 200, group: cur?.group ?? null };
    if (after.provisionedPollers.minimum > after.provisionedPollers.maximum) {
      throw userError('crud.pollers', `min_pollers (${after.provisionedPollers.minimum}) would exceed max_pollers (${after.provisionedPollers.maximum}).`, 'Pass both min_pollers and max_pollers.');
    }
  }
  checkKafkaSettings(args, after.provisionedPollers !== null);
  if (args.retryAttempts !== undefined) after.maximumRetryAttempts = args.retryAttempts;
  if (args.maxRecordAge !== undefined) after.maximumRecordAgeInSeconds = args.maxRecordAge;
  if (args.bisectBatchOnError !== undefined) after.bisectBatchOnFunctionError = args.bisectBatchOnError;
  if (args.reportBatchItemFailures !== undefined) after.reportBatchItemFailures = args.reportBatchItemFailures;
  const changes = diffConfigs(before, after);
  if (changes.length === 0) return { mapping: viewMapping(live), changed: [] };
  const action: Action = {
    kind: 'update',
    id: mappingActionId(live.uuid),
    address: live.uuid,
    reason: 'update_event_source_mapping',
    dependsOn: [],
    uuid: live.uuid,
    before,
    after,
    changes,
    drift: false,
    // Tags are left as they are (an owned mapping keeps its owner; the spec will see this change as drift).
    tags: {},
  };
  const report = await runPlan(onePlan(ports, action, ports.clock.now().toISOString()), ports, deps);
  await throwIfFailed(report);
  const updated = await ports.mappings.getMapping(live.uuid);
  return { mapping: viewMapping(updated ?? live), changed: changes.map((c) => c.path) };
}

// ───────────────────────────── delete ─────────────────────────────

export interface DeleteOutcome {
  deleted: MappingView;
}

/** Deletes one mapping (a one-action plan) and waits until it is gone; a filter matching several is refused. */
export async function deleteMapping(args: FindArgs, deps: ServiceDeps): Promise<DeleteOutcome> {
  const ports = await deps.ports(args.region);
  const live = oneOf(await findMappings(args, ports), describeSelector(args));
  const before = canonicalConfig(live.config);
  const action: Action = {
    kind: 'delete',
    id: mappingActionId(live.uuid),
    address: live.uuid,
    reason: 'delete_event_source_mapping',
    dependsOn: [],
    uuid: live.uuid,
    before,
  };
  const report = await runPlan(onePlan(ports, action, ports.clock.now().toISOString()), ports, deps);
  await throwIfFailed(report);
  return { deleted: { ...viewMapping(live), state: 'Deleted' } };
}

// ───────────────────────────── list ─────────────────────────────

export interface ListArgs {
  functionName?: string;
  /** MSK cluster ARN. */
  eventSourceArn?: string;
  region?: string;
}

/** Every Kafka mapping of the region (all pages), or those of one function or one MSK cluster. */
export async function listKafkaMappingViews(args: ListArgs, deps: ServiceDeps): Promise<{ region: string; mappings: MappingView[] }> {
  const ports = await deps.ports(args.region);
  const mappings = (await ports.mappings.listKafkaMappings())
    .filter((m) => matchesFunction(m.config.functionArn, args.functionName))
    .filter((m) => !args.eventSourceArn || (m.config.source.kind === 'msk' && m.config.source.arn === args.eventSourceArn))
    .map(viewMapping)
    .sort((a, b) => (a.function_name + a.topic + a.uuid < b.function_name + b.topic + b.uuid ? -1 : 1));
  return { region: ports.region, mappings };
}
