// Kafka connection settings: the one shape every Kafka tool connects with, where each value came from,
// and the redaction guard that keeps secret values (passwords, private keys) out of every output.

/** How the client authenticates, in Lambda's terms. SASL modes may run over TLS (SASL_SSL) or not. */
export type KafkaAuthMode = 'PLAINTEXT' | 'TLS' | 'SASL_PLAIN' | 'SASL_SCRAM_256' | 'SASL_SCRAM_512' | 'MTLS' | 'IAM';

export const AUTH_MODES: readonly KafkaAuthMode[] = ['PLAINTEXT', 'TLS', 'SASL_PLAIN', 'SASL_SCRAM_256', 'SASL_SCRAM_512', 'MTLS', 'IAM'];

/** Where a setting came from (reported, so a user sees which source won). */
export type SettingOrigin = 'parameter' | `secret:${string}` | `mapping:${string}` | `msk:${string}` | 'prompt' | 'default';

export interface ClientCertificate {
  /** PEM chain: client certificate first. */
  certificate: string;
  /** PEM private key (PKCS #8). SECRET. */
  privateKey: string;
  /** SECRET. */
  privateKeyPassword?: string;
}

export interface KafkaConnectionSettings {
  bootstrapServers: string[];
  auth: KafkaAuthMode;
  /** Encrypt with TLS. Always true for TLS, MTLS, IAM; for SASL modes, SASL_SSL vs SASL_PLAINTEXT. */
  tls: boolean;
  username?: string;
  /** SECRET. */
  password?: string;
  /** Private root CA (SERVER_ROOT_CA_CERTIFICATE) PEM; absent: the system trust store. */
  caPem?: string;
  clientCertificate?: ClientCertificate;
  /** Region for MSK IAM signing. */
  region?: string;
  topic?: string;
  clusterArn?: string;
  /** The consumer group of the mapping these settings were found from (custom id, else its UUID). */
  consumerGroupId?: string;
  /** Set when discovered from a mapping. */
  mappingUuid?: string;
  /** Where each setting came from. */
  origins: Partial<Record<SettingName, SettingOrigin>>;
  /** Secret values seen while discovering, for redaction. Never printed. */
  secrets: SecretBag;
}

export type SettingName =
  | 'bootstrapServers'
  | 'auth'
  | 'tls'
  | 'username'
  | 'password'
  | 'caPem'
  | 'clientCertificate'
  | 'region'
  | 'topic'
  | 'clusterArn'
  | 'consumerGroupId';

/** Settings that are secret: never asked through a form, never printed. */
export const SECRET_SETTINGS: ReadonlySet<SettingName> = new Set(['password', 'clientCertificate']);

/** Holds the secret values seen in this session, so any text can be scrubbed before it leaves. */
export class SecretBag {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    if (!value) return;
    // Whole values, and each line of multi-line values (PEM bodies), as long as they are not trivially short.
    if (value.length >= 3) this.values.add(value);
    for (const line of value.split(/\r?\n/)) {
      const t = line.trim();
      if (t.length >= 16 && !t.startsWith('-----')) this.values.add(t);
    }
  }

  /** Adds every string leaf of a parsed secret, except the keys that are known not to be secret. */
  addJsonLeaves(obj: unknown, notSecret: ReadonlySet<string> = NOT_SECRET_KEYS): void {
    if (typeof obj === 'string') return this.add(obj);
    if (!obj || typeof obj !== 'object') return;
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      if (typeof v === 'string') {
        if (!notSecret.has(k)) this.add(v);
      } else this.addJsonLeaves(v, notSecret);
    }
  }

  redact(text: string): string {
    let out = text;
    // Longest first so a value that contains another is replaced whole.
    for (const v of [...this.values].sort((a, b) => b.length - a.length)) {
      if (out.includes(v)) out = out.split(v).join('***');
    }
    return out;
  }

  get size(): number {
    return this.values.size;
  }
}

/** Keys of config/auth secrets whose values are not secret (shown in reports). */
const NOT_SECRET_KEYS: ReadonlySet<string> = new Set([
  'bootstrap_servers',
  'security_protocol',
  'sasl_mechanism',
  'topic',
  'cluster_arn',
  'username',
  'sasl_plain_username',
  'certificate',
  'region',
  'server_root_ca_secret_arn',
  'client_certificate_secret_arn',
  'consumer_group_id',
]);

/** A view of the settings that is safe to print: secrets become booleans. */
export interface SafeSettings {
  bootstrapServers: string[];
  auth: KafkaAuthMode;
  tls: boolean;
  username?: string;
  passwordSet: boolean;
  privateCa: boolean;
  clientCertificate: boolean;
  region?: string;
  topic?: string;
  clusterArn?: string;
  consumerGroupId?: string;
  mappingUuid?: string;
  origins: Partial<Record<SettingName, string>>;
}

export function safeSettings(s: KafkaConnectionSettings): SafeSettings {
  return {
    bootstrapServers: s.bootstrapServers,
    auth: s.auth,
    tls: s.tls,
    ...(s.username !== undefined ? { username: s.username } : {}),
    passwordSet: s.password !== undefined,
    privateCa: s.caPem !== undefined,
    clientCertificate: s.clientCertificate !== undefined,
    ...(s.region ? { region: s.region } : {}),
    ...(s.topic ? { topic: s.topic } : {}),
    ...(s.clusterArn ? { clusterArn: s.clusterArn } : {}),
    ...(s.consumerGroupId ? { consumerGroupId: s.consumerGroupId } : {}),
    ...(s.mappingUuid ? { mappingUuid: s.mappingUuid } : {}),
    origins: { ...s.origins },
  };
}

/** Parses `host:port,host:port` (or a list), trimming blanks. Throws nothing: bad entries are returned. */
export function parseBootstrapServers(input: string | string[]): { servers: string[]; bad: string[] } {
  const parts = (Array.isArray(input) ? input : input.split(','))
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const servers: string[] = [];
  const bad: string[] = [];
  for (const p of parts) {
    const m = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(p);
    if (m && Number(m[2]) > 0 && Number(m[2]) < 65536) servers.push(p);
    else bad.push(p);
  }
  return { servers, bad };
}

export function splitHostPort(server: string): { host: string; port: number } {
  const i = server.lastIndexOf(':');
  let host = server.slice(0, i);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host, port: Number(server.slice(i + 1)) };
}

/** Auth modes that need a password / a client certificate. */
export function needsPassword(auth: KafkaAuthMode): boolean {
  return auth === 'SASL_PLAIN' || auth === 'SASL_SCRAM_256' || auth === 'SASL_SCRAM_512';
}

/** Parses a user's --auth value (case-insensitive; accepts Lambda's and Kafka's spellings). */
export function parseAuthMode(input: string): KafkaAuthMode | undefined {
  const k = input.trim().toUpperCase().replace(/[-\s/]/g, '_');
  const aliases: Record<string, KafkaAuthMode> = {
    PLAINTEXT: 'PLAINTEXT',
    NONE: 'PLAINTEXT',
    TLS: 'TLS',
    SSL: 'TLS',
    SASL_PLAIN: 'SASL_PLAIN',
    PLAIN: 'SASL_PLAIN',
    BASIC_AUTH: 'SASL_PLAIN',
    SASL_SCRAM_256: 'SASL_SCRAM_256',
    SCRAM_256: 'SASL_SCRAM_256',
    SCRAM_SHA_256: 'SASL_SCRAM_256',
    SASL_SCRAM_256_AUTH: 'SASL_SCRAM_256',
    SASL_SCRAM_512: 'SASL_SCRAM_512',
    SCRAM_512: 'SASL_SCRAM_512',
    SCRAM_SHA_512: 'SASL_SCRAM_512',
    SASL_SCRAM_512_AUTH: 'SASL_SCRAM_512',
    MTLS: 'MTLS',
    CLIENT_CERTIFICATE_TLS_AUTH: 'MTLS',
    IAM: 'IAM',
    AWS_MSK_IAM: 'IAM',
  };
  return aliases[k];
}
