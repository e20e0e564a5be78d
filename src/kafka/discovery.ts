// Connection-settings discovery, in order: explicit parameters → a Secrets Manager secret holding the whole
// config → an existing mapping (GetEventSourceMapping, GetBootstrapBrokers, its secrets) → ask (TTY / MCP).

import { EsmctlError, userError } from '../core/errors.js';
import type { KafkaAwsPort, KafkaMappingView, MskBootstrapBrokers } from '../core/ports.js';
import {
  AUTH_MODES,
  SecretBag,
  needsPassword,
  parseAuthMode,
  parseBootstrapServers,
  type ClientCertificate,
  type KafkaAuthMode,
  type KafkaConnectionSettings,
  type SettingName,
  type SettingOrigin,
} from './settings.js';
import { regionFromArn } from './client.js';

/** What the caller already knows. Every field is optional; discovery fills the rest. */
export interface DiscoveryInput {
  bootstrapServers?: string | string[];
  /** PLAINTEXT | TLS | SASL_PLAIN | SASL_SCRAM_256 | SASL_SCRAM_512 | MTLS | IAM (aliases accepted). */
  auth?: string;
  /** For SASL modes: SASL_SSL (true, the default, as Lambda requires) or SASL_PLAINTEXT (false). */
  tls?: boolean;
  username?: string;
  /** SECRET. Library / prompt use only; front-ends never take it on a command line or tool argument. */
  password?: string;
  /** PEM of a private root CA. */
  caPem?: string;
  /** SERVER_ROOT_CA_CERTIFICATE secret ARN ({"certificate": PEM}). */
  caSecretArn?: string;
  /** Auth secret ARN: SASL {"username","password"} or mTLS {"certificate","privateKey","privateKeyPassword"}. */
  authSecretArn?: string;
  /** Secret holding the whole configuration ({"iam": {...}, "sasl": {...}, "topic", "cluster_arn"}). */
  configSecretArn?: string;
  /** Which block of the config secret to use when it has both: "iam" or "sasl". */
  configBlock?: string;
  /** An existing mapping to read the settings from. */
  mappingUuid?: string;
  topic?: string;
  region?: string;
  clusterArn?: string;
  consumerGroupId?: string;
}

/** A setting the discovery could not find, to ask a person about. */
export interface AskField {
  name: SettingName;
  label: string;
  description: string;
  secret: boolean;
  choices?: readonly string[];
  default?: string;
}

/** How a front-end asks for what is still missing. Values are kept for the session only. */
export interface SettingsAsker {
  /** Non-secret settings (bootstrap servers, topic, auth mode, username). Returns what the person gave. */
  askValues(fields: AskField[]): Promise<Partial<Record<SettingName, string>>>;
  /** One secret setting (a password). undefined when the person declined. */
  askSecret(field: AskField): Promise<string | undefined>;
}

export interface DiscoveryOptions {
  /** Settings the operation cannot run without (bootstrapServers is always required). */
  require?: Array<'topic' | 'consumerGroupId'>;
  asker?: SettingsAsker;
  /** Says how to give a missing value on this front-end (flags vs tool arguments), for the error. */
  howToGive?: Partial<Record<SettingName | 'configSecretArn' | 'authSecretArn' | 'mappingUuid', string>>;
}

interface Draft extends Partial<Omit<KafkaConnectionSettings, 'origins' | 'secrets'>> {
  origins: Partial<Record<SettingName, SettingOrigin>>;
  secrets: SecretBag;
  mapping?: KafkaMappingView;
}

function set<K extends SettingName>(d: Draft, key: K, value: Draft[K] | undefined, origin: SettingOrigin): void {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return;
  if (d[key] !== undefined) return; // an earlier source won
  (d as unknown as Record<string, unknown>)[key] = value;
  d.origins[key] = origin;
}

function bootstrapOrThrow(v: string | string[], where: string): string[] {
  const { servers, bad } = parseBootstrapServers(v);
  if (bad.length > 0) {
    throw userError('kafka.bad-bootstrap', `${where}: bootstrap server ${JSON.stringify(bad[0])} is not host:port.`, 'e.g. b-1.example:9092,b-2.example:9092');
  }
  return servers;
}

function authOrThrow(v: string, where: string): KafkaAuthMode {
  const a = parseAuthMode(v);
  if (!a) throw userError('kafka.bad-auth', `${where}: unknown auth mode ${JSON.stringify(v)}.`, `use one of ${AUTH_MODES.join(', ')}`);
  return a;
}

function parseJsonSecret(text: string, arn: string, bag: SecretBag): Record<string, unknown> {
  bag.add(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never echo the text: it is a secret.
    throw userError('kafka.secret-not-json', `Secret ${arn} is not a JSON object.`, 'store the settings as JSON key/value pairs');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw userError('kafka.secret-not-json', `Secret ${arn} is not a JSON object.`, 'store the settings as JSON key/value pairs');
  }
  bag.addJsonLeaves(parsed);
  return parsed as Record<string, unknown>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** Maps the config secret's Kafka-client spelling (security_protocol + sasl_mechanism) to an auth mode. */
function authFromKafkaClientSpelling(protocol: string | undefined, mechanism: string | undefined): { auth?: KafkaAuthMode; tls?: boolean } {
  const p = protocol?.toUpperCase();
  const m = mechanism?.toUpperCase();
  const tls = p === undefined ? undefined : p === 'SSL' || p === 'SASL_SSL';
  if (m === 'AWS_MSK_IAM' || m === 'OAUTHBEARER') return { auth: 'IAM', tls: true };
  if (m === 'SCRAM-SHA-512') return { auth: 'SASL_SCRAM_512', tls };
  if (m === 'SCRAM-SHA-256') return { auth: 'SASL_SCRAM_256', tls };
  if (m === 'PLAIN') return { auth: 'SASL_PLAIN', tls };
  if (p === 'SSL') return { auth: 'TLS', tls: true };
  if (p === 'PLAINTEXT') return { auth: 'PLAINTEXT', tls: false };
  return {};
}

async function applyConfigSecret(d: Draft, arn: string, input: DiscoveryInput, aws: KafkaAwsPort): Promise<string[]> {
  const cfg = parseJsonSecret(await aws.getSecretString(arn), arn, d.secrets);
  const blocks = ['iam', 'sasl'].filter((b) => cfg[b] && typeof cfg[b] === 'object');
  let blockName: string | undefined = input.configBlock?.toLowerCase();
  if (blockName && !blocks.includes(blockName)) {
    throw userError('kafka.config-block', `Secret ${arn} has no "${blockName}" block.`, blocks.length ? `it has: ${blocks.join(', ')}` : 'it has neither "iam" nor "sasl"');
  }
  if (!blockName && d.auth) blockName = d.auth === 'IAM' ? 'iam' : needsPassword(d.auth) ? 'sasl' : undefined;
  if (!blockName || !blocks.includes(blockName)) blockName = blocks[0];
  const block = (blockName ? cfg[blockName] : cfg) as Record<string, unknown>;
  const origin: SettingOrigin = `secret:${arn}${blockName ? `#${blockName}` : ''}`;
  const servers = str(block.bootstrap_servers) ?? str(cfg.bootstrap_servers);
  if (servers) set(d, 'bootstrapServers', bootstrapOrThrow(servers, `secret ${arn} bootstrap_servers`), origin);
  const { auth, tls } = authFromKafkaClientSpelling(str(block.security_protocol), str(block.sasl_mechanism));
  set(d, 'auth', auth, origin);
  if (tls !== undefined) set(d, 'tls', tls, origin);
  set(d, 'username', str(block.sasl_plain_username) ?? str(block.username), origin);
  set(d, 'password', str(block.sasl_plain_password) ?? str(block.password), origin);
  set(d, 'topic', str(cfg.topic) ?? str(block.topic), origin);
  set(d, 'clusterArn', str(cfg.cluster_arn) ?? str(block.cluster_arn), origin);
  set(d, 'region', str(cfg.region) ?? str(block.region), origin);
  set(d, 'consumerGroupId', str(cfg.consumer_group_id), origin);
  const ca = str(block.ssl_ca_pem) ?? str(cfg.ssl_ca_pem);
  set(d, 'caPem', ca, origin);
  // Additive keys (optional): secrets the config points at.
  const followUps: string[] = [];
  const caArn = str(block.server_root_ca_secret_arn) ?? str(cfg.server_root_ca_secret_arn);
  if (caArn && d.caPem === undefined) await applyCaSecret(d, caArn, aws);
  const certArn = str(block.client_certificate_secret_arn) ?? str(cfg.client_certificate_secret_arn);
  if (certArn && d.clientCertificate === undefined) await applyAuthSecret(d, certArn, aws);
  return followUps;
}

async function applyCaSecret(d: Draft, arn: string, aws: KafkaAwsPort): Promise<void> {
  const text = await aws.getSecretString(arn);
  let pem: string | undefined;
  if (text.trim().startsWith('-----BEGIN')) pem = text;
  else {
    const obj = parseJsonSecret(text, arn, new SecretBag()); // a CA certificate is public: not added to the bag
    pem = str(obj.certificate);
  }
  if (!pem) throw userError('kafka.ca-secret', `Secret ${arn} has no "certificate" (SERVER_ROOT_CA_CERTIFICATE needs one).`);
  set(d, 'caPem', pem, `secret:${arn}`);
}

async function applyAuthSecret(d: Draft, arn: string, aws: KafkaAwsPort): Promise<void> {
  const obj = parseJsonSecret(await aws.getSecretString(arn), arn, d.secrets);
  const origin: SettingOrigin = `secret:${arn}`;
  if (str(obj.privateKey) || str(obj.certificate)) {
    const certificate = str(obj.certificate);
    const privateKey = str(obj.privateKey);
    if (!certificate || !privateKey) {
      throw userError('kafka.mtls-secret', `Secret ${arn} needs both "certificate" and "privateKey" (CLIENT_CERTIFICATE_TLS_AUTH).`);
    }
    const cc: ClientCertificate = { certificate, privateKey, ...(str(obj.privateKeyPassword) ? { privateKeyPassword: str(obj.privateKeyPassword) } : {}) };
    set(d, 'clientCertificate', cc, origin);
    return;
  }
  set(d, 'username', str(obj.username), origin);
  set(d, 'password', str(obj.password), origin);
}

/** How Lambda picks an MSK bootstrap string: by the mapping's auth (SCRAM, mTLS), else IAM, else TLS, else plaintext. */
export function chooseMskBrokers(
  brokers: MskBootstrapBrokers,
  auth: KafkaAuthMode | undefined,
): { servers?: string; auth?: KafkaAuthMode } {
  if (auth === 'SASL_SCRAM_512' || auth === 'SASL_SCRAM_256') return { servers: brokers.saslScram, auth };
  if (auth === 'MTLS' || auth === 'TLS') return { servers: brokers.tls, auth };
  if (auth === 'IAM') return { servers: brokers.saslIam, auth };
  if (auth === 'PLAINTEXT') return { servers: brokers.plaintext, auth };
  if (brokers.saslIam) return { servers: brokers.saslIam, auth: 'IAM' };
  if (brokers.tls) return { servers: brokers.tls, auth: 'TLS' };
  return { servers: brokers.plaintext, auth: 'PLAINTEXT' };
}

async function applyMapping(d: Draft, uuid: string, aws: KafkaAwsPort): Promise<void> {
  const m = await aws.getKafkaMapping(uuid);
  if (!m) throw userError('kafka.mapping-not-found', `Event source mapping ${uuid} was not found in ${aws.region}.`, 'check the UUID and the region (esmctl list shows them)');
  d.mapping = m;
  const origin: SettingOrigin = `mapping:${uuid}`;
  set(d, 'topic', m.topic, origin);
  set(d, 'consumerGroupId', m.consumerGroupId ?? m.uuid, origin);
  const sac = (type: string) => m.sourceAccessConfigurations.find((c) => c.type === type)?.uri;
  let mappingAuth: KafkaAuthMode | undefined;
  let authSecret: string | undefined;
  if ((authSecret = sac('SASL_SCRAM_512_AUTH'))) mappingAuth = 'SASL_SCRAM_512';
  else if ((authSecret = sac('SASL_SCRAM_256_AUTH'))) mappingAuth = 'SASL_SCRAM_256';
  else if ((authSecret = sac('BASIC_AUTH'))) mappingAuth = 'SASL_PLAIN';
  else if ((authSecret = sac('CLIENT_CERTIFICATE_TLS_AUTH'))) mappingAuth = 'MTLS';
  const caArn = sac('SERVER_ROOT_CA_CERTIFICATE');
  if (m.eventSourceArn) {
    set(d, 'clusterArn', m.eventSourceArn, origin);
    set(d, 'region', regionFromArn(m.eventSourceArn), origin);
    if (d.bootstrapServers === undefined) {
      const brokers = await aws.getBootstrapBrokers(m.eventSourceArn);
      const choice = chooseMskBrokers(brokers, d.auth ?? mappingAuth);
      if (!choice.servers) {
        throw userError('kafka.msk-no-brokers', `MSK cluster ${m.eventSourceArn} offers no bootstrap brokers for ${d.auth ?? mappingAuth}.`, 'check which auth modes the cluster has enabled');
      }
      set(d, 'bootstrapServers', bootstrapOrThrow(choice.servers, `GetBootstrapBrokers ${m.eventSourceArn}`), `msk:${m.eventSourceArn}`);
      set(d, 'auth', choice.auth, origin);
    }
  } else if (m.bootstrapServers) {
    set(d, 'bootstrapServers', bootstrapOrThrow(m.bootstrapServers, `mapping ${uuid} bootstrap servers`), origin);
  }
  set(d, 'auth', mappingAuth ?? (m.eventSourceArn ? undefined : caArn ? 'TLS' : 'PLAINTEXT'), origin);
  // Lambda only speaks SASL over TLS.
  if (d.auth && needsPassword(d.auth)) set(d, 'tls', true, origin);
  if (caArn && d.caPem === undefined) await applyCaSecret(d, caArn, aws);
  const wantsSecret = d.auth === mappingAuth && (d.auth === 'MTLS' ? d.clientCertificate === undefined : d.password === undefined);
  if (authSecret && wantsSecret) await applyAuthSecret(d, authSecret, aws);
}

const FIELD_TEXT: Record<SettingName, { label: string; description: string }> = {
  bootstrapServers: { label: 'Bootstrap servers', description: 'Comma-separated host:port list of Kafka brokers' },
  auth: { label: 'Authentication', description: `One of ${AUTH_MODES.join(', ')}` },
  tls: { label: 'TLS', description: 'Encrypt the connection with TLS' },
  username: { label: 'SASL username', description: 'User name for SASL/PLAIN or SASL/SCRAM' },
  password: { label: 'SASL password', description: 'Password for SASL/PLAIN or SASL/SCRAM (kept for this session only)' },
  caPem: { label: 'Root CA', description: 'PEM of the private root CA' },
  clientCertificate: { label: 'Client certificate', description: 'mTLS client certificate and key' },
  region: { label: 'Region', description: 'AWS region for MSK IAM' },
  topic: { label: 'Topic', description: 'Kafka topic name' },
  clusterArn: { label: 'Cluster ARN', description: 'MSK cluster ARN' },
  consumerGroupId: { label: 'Consumer group', description: 'Consumer group id' },
};

function field(name: SettingName, extra: Partial<AskField> = {}): AskField {
  return { name, ...FIELD_TEXT[name], secret: name === 'password' || name === 'clientCertificate', ...extra };
}

/** Non-secret and secret settings still missing for the operation. */
function missing(d: Draft, opts: DiscoveryOptions): AskField[] {
  const out: AskField[] = [];
  if (!d.bootstrapServers) out.push(field('bootstrapServers'));
  if (!d.auth) out.push(field('auth', { choices: AUTH_MODES, default: 'PLAINTEXT' }));
  for (const r of opts.require ?? []) if (!d[r]) out.push(field(r));
  return out;
}

function missingError(names: string[], opts: DiscoveryOptions, why: string): EsmctlError {
  const how = opts.howToGive ?? {};
  const hints = names.map((n) => how[n as SettingName] ?? n).join('; ');
  const sources = [how.configSecretArn, how.mappingUuid].filter(Boolean).join(' or ');
  return userError(
    'kafka.settings-missing',
    `Missing Kafka connection settings: ${names.join(', ')} (${why}).`,
    `give ${hints}${sources ? `; or point at ${sources}` : ''}`,
  );
}

/**
 * Finds the connection settings: explicit input → config secret → mapping → asker.
 * Throws a user EsmctlError naming what is missing when nothing (or nobody) supplies it.
 */
export async function discoverSettings(
  input: DiscoveryInput,
  aws: () => Promise<KafkaAwsPort>,
  opts: DiscoveryOptions = {},
): Promise<KafkaConnectionSettings> {
  const d: Draft = { origins: {}, secrets: new SecretBag() };
  d.secrets.add(input.password);
  // 1. explicit parameters
  if (input.bootstrapServers !== undefined) set(d, 'bootstrapServers', bootstrapOrThrow(input.bootstrapServers, 'bootstrap servers'), 'parameter');
  if (input.auth !== undefined) set(d, 'auth', authOrThrow(input.auth, 'auth'), 'parameter');
  if (input.tls !== undefined) set(d, 'tls', input.tls, 'parameter');
  set(d, 'username', input.username, 'parameter');
  set(d, 'password', input.password, 'parameter');
  set(d, 'caPem', input.caPem, 'parameter');
  set(d, 'topic', input.topic, 'parameter');
  set(d, 'region', input.region, 'parameter');
  set(d, 'clusterArn', input.clusterArn, 'parameter');
  set(d, 'consumerGroupId', input.consumerGroupId, 'parameter');
  let port: KafkaAwsPort | undefined;
  const awsPort = async () => (port ??= await aws());
  if (input.caSecretArn) await applyCaSecret(d, input.caSecretArn, await awsPort());
  if (input.authSecretArn) await applyAuthSecret(d, input.authSecretArn, await awsPort());
  // 2. a secret holding the whole configuration
  if (input.configSecretArn) await applyConfigSecret(d, input.configSecretArn, input, await awsPort());
  // 3. an existing mapping
  if (input.mappingUuid) await applyMapping(d, input.mappingUuid, await awsPort());
  if (d.region === undefined && d.auth === 'IAM') set(d, 'region', regionFromArn(d.clusterArn) ?? (port?.region ?? undefined), 'default');
  // 4. ask for what is still missing (non-secret first, then secrets)
  let need = missing(d, opts);
  if (need.length > 0 && opts.asker) {
    const given = await opts.asker.askValues(need);
    for (const f of need) {
      const v = given[f.name]?.trim();
      if (!v) continue;
      if (f.name === 'bootstrapServers') set(d, 'bootstrapServers', bootstrapOrThrow(v, 'bootstrap servers'), 'prompt');
      else if (f.name === 'auth') set(d, 'auth', authOrThrow(v, 'auth'), 'prompt');
      else set(d, f.name, v as never, 'prompt');
    }
    need = missing(d, opts);
  }
  if (!d.auth && d.bootstrapServers && need.every((f) => f.name === 'auth')) {
    // A client certificate means mTLS; credentials without a mechanism cannot be guessed (PLAIN? SCRAM-256? 512?).
    if (d.clientCertificate) set(d, 'auth', 'MTLS', 'default');
    else if (d.password === undefined && d.username === undefined) set(d, 'auth', 'PLAINTEXT', 'default');
    need = missing(d, opts);
  }
  if (need.length > 0) throw missingError(need.map((f) => f.name), opts, opts.asker ? 'not given' : 'no terminal or client to ask');
  const auth = d.auth!;
  if (auth === 'MTLS' && !d.clientCertificate) {
    throw userError(
      'kafka.settings-missing',
      'Missing Kafka connection settings: clientCertificate (mTLS needs a client certificate and key).',
      `give ${opts.howToGive?.authSecretArn ?? 'a CLIENT_CERTIFICATE_TLS_AUTH secret ARN'} ({"certificate","privateKey","privateKeyPassword"})`,
    );
  }
  if (needsPassword(auth)) {
    if (!d.username && opts.asker) {
      const given = await opts.asker.askValues([field('username')]);
      set(d, 'username', given.username?.trim(), 'prompt');
    }
    if (!d.username) throw missingError(['username'], opts, `${auth} needs a user name`);
    if (!d.password && opts.asker) {
      const p = await opts.asker.askSecret(field('password'));
      d.secrets.add(p);
      set(d, 'password', p, 'prompt');
    }
    if (!d.password) throw missingError(['password'], opts, `${auth} needs a password`);
  }
  const tls = auth === 'TLS' || auth === 'MTLS' || auth === 'IAM' ? true : auth === 'PLAINTEXT' ? false : (d.tls ?? true);
  return {
    bootstrapServers: d.bootstrapServers!,
    auth,
    tls,
    ...(d.username !== undefined ? { username: d.username } : {}),
    ...(d.password !== undefined ? { password: d.password } : {}),
    ...(d.caPem !== undefined ? { caPem: d.caPem } : {}),
    ...(d.clientCertificate !== undefined ? { clientCertificate: d.clientCertificate } : {}),
    ...(d.region !== undefined ? { region: d.region } : {}),
    ...(d.topic !== undefined ? { topic: d.topic } : {}),
    ...(d.clusterArn !== undefined ? { clusterArn: d.clusterArn } : {}),
    ...(d.consumerGroupId !== undefined ? { consumerGroupId: d.consumerGroupId } : {}),
    ...(d.mapping ? { mappingUuid: d.mapping.uuid } : {}),
    origins: d.origins,
    secrets: d.secrets,
  };
}

/** The mapping read during discovery is useful to callers (state, group); re-read helper for them. */
export async function readMapping(aws: KafkaAwsPort, uuid: string): Promise<KafkaMappingView> {
  const m = await aws.getKafkaMapping(uuid);
  if (!m) throw userError('kafka.mapping-not-found', `Event source mapping ${uuid} was not found in ${aws.region}.`, 'check the UUID and the region');
  return m;
}
