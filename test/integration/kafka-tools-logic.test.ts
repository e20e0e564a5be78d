// The Kafka tools' decisions as tables of named cases: settings parsing, discovery order (against an in-memory
// KafkaAwsPort), MSK broker choice, failure classification, redaction, offset arithmetic and test-message sizes.

import { describe, expect, it } from 'vitest';
import { isEsmctlError } from '../../src/core/errors.js';
import { kafkaConfig } from '../../src/kafka/client.js';
import type { KafkaAwsPort, KafkaMappingView, MskBootstrapBrokers } from '../../src/core/ports.js';
import {
  SecretBag,
  chooseMskBrokers,
  compareSnapshots,
  diagnose,
  discoverSettings,
  explainNotCovered,
  parseAuthMode,
  parseBootstrapServers,
  safeSettings,
  testMessageValue,
  type AskField,
  type KafkaConnectionSettings,
  type OffsetSnapshot,
} from '../../src/kafka/index.js';

const CANARY = 'canary-Vn3Kp8Qz1Wd5';
const ARN = (name: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`;
const CLUSTER = 'arn:aws:kafka:eu-west-1:123456789012:cluster/c/11111111-2222-3333-4444-555555555555-1';

/** An in-memory AWS account for discovery: secrets, mappings, MSK brokers; records every call. */
function fakeAws(opts: { secrets?: Record<string, unknown>; mappings?: KafkaMappingView[]; brokers?: MskBootstrapBrokers } = {}) {
  const calls: string[] = [];
  const port: KafkaAwsPort = {
    region: 'us-east-1',
    async getSecretString(arn) {
      calls.push(`GetSecretValue ${arn}`);
      const v = opts.secrets?.[arn];
      if (v === undefined) throw new Error(`no secret ${arn}`);
      return typeof v === 'string' ? v : JSON.stringify(v);
    },
    async getKafkaMapping(uuid) {
      calls.push(`GetEventSourceMapping ${uuid}`);
      return opts.mappings?.find((m) => m.uuid === uuid) ?? null;
    },
    async findKafkaMappings(fn) {
      calls.push(`ListEventSourceMappings ${fn}`);
      return opts.mappings ?? [];
    },
    async getBootstrapBrokers(arn) {
      calls.push(`GetBootstrapBrokers ${arn}`);
      return opts.brokers ?? {};
    },
  };
  return { port, calls, aws: async () => port };
}

const mapping = (over: Partial<KafkaMappingView>): KafkaMappingView => ({
  uuid: 'u-1',
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
  topic: 'orders',
  state: 'Enabled',
  sourceAccessConfigurations: [],
  ...over,
});

describe('parsing', () => {
  it.each([
    ['a:1,b:2', ['a:1', 'b:2'], []],
    [' a:1 , ,b:2 ', ['a:1', 'b:2'], []],
    ['[::1]:9092', ['[::1]:9092'], []],
    ['a', [], ['a']],
    ['a:0', [], ['a:0']],
    ['a:99999', [], ['a:99999']],
  ])('bootstrap servers %j', (input, servers, bad) => {
    expect(parseBootstrapServers(input)).toEqual({ servers, bad });
  });

  it.each([
    ['scram-sha-512', 'SASL_SCRAM_512'],
    ['SASL_SCRAM_256_AUTH', 'SASL_SCRAM_256'],
    ['basic_auth', 'SASL_PLAIN'],
    ['AWS_MSK_IAM', 'IAM'],
    ['client_certificate_tls_auth', 'MTLS'],
    ['ssl', 'TLS'],
    ['kerberos', undefined],
  ])('auth mode %s', (input, want) => expect(parseAuthMode(input)).toBe(want));
});

describe('MSK broker choice (as Lambda chooses)', () => {
  const all = { plaintext: 'p:9092', tls: 't:9094', saslScram: 's:9096', saslIam: 'i:9098' };
  it.each([
    ['SCRAM secret → SASL/SCRAM brokers', all, 'SASL_SCRAM_512', { servers: 's:9096', auth: 'SASL_SCRAM_512' }],
    ['client certificate → TLS brokers', all, 'MTLS', { servers: 't:9094', auth: 'MTLS' }],
    ['no auth, IAM enabled → IAM brokers', all, undefined, { servers: 'i:9098', auth: 'IAM' }],
    ['no auth, no IAM → TLS brokers', { plaintext: 'p:9092', tls: 't:9094' }, undefined, { servers: 't:9094', auth: 'TLS' }],
    ['plaintext only', { plaintext: 'p:9092' }, undefined, { servers: 'p:9092', auth: 'PLAINTEXT' }],
    ['SCRAM but the cluster has no SCRAM brokers', { saslIam: 'i:9098' }, 'SASL_SCRAM_512', { servers: undefined, auth: 'SASL_SCRAM_512' }],
  ] as const)('%s', (_n, brokers, auth, want) => expect(chooseMskBrokers(brokers, auth)).toEqual(want));
});

describe('discovery order', () => {
  const config = {
    iam: { bootstrap_servers: 'i1:9098,i2:9098', security_protocol: 'SASL_SSL', sasl_mechanism: 'AWS_MSK_IAM' },
    sasl: { bootstrap_servers: 's1:9096', security_protocol: 'SASL_SSL', sasl_mechanism: 'SCRAM-SHA-512', sasl_plain_username: 'user', sasl_plain_password: CANARY },
    topic: 'orders',
    cluster_arn: CLUSTER,
  };

  it('explicit parameters win; the config secret fills the rest', async () => {
    const { aws } = fakeAws({ secrets: { [ARN('cfg')]: config } });
    const s = await discoverSettings({ configSecretArn: ARN('cfg'), configBlock: 'sasl', topic: 'payments' }, aws);
    expect(s).toMatchObject({ bootstrapServers: ['s1:9096'], auth: 'SASL_SCRAM_512', tls: true, username: 'user', password: CANARY, topic: 'payments', clusterArn: CLUSTER });
    expect(s.origins).toMatchObject({ topic: 'parameter', password: `secret:${ARN('cfg')}#sasl` });
    expect(JSON.stringify(safeSettings(s))).not.toContain(CANARY);
  });

  it('the iam block by default, region from the cluster ARN', async () => {
    const { aws } = fakeAws({ secrets: { [ARN('cfg')]: config } });
    const s = await discoverSettings({ configSecretArn: ARN('cfg') }, aws);
    expect(s).toMatchObject({ bootstrapServers: ['i1:9098', 'i2:9098'], auth: 'IAM', region: 'eu-west-1' });
    expect(s.password).toBeUndefined();
  });

  it('an explicit SASL auth picks the sasl block', async () => {
    const { aws } = fakeAws({ secrets: { [ARN('cfg')]: config } });
    expect((await discoverSettings({ configSecretArn: ARN('cfg'), auth: 'SCRAM-SHA-512' }, aws)).bootstrapServers).toEqual(['s1:9096']);
  });

  it('a self-managed mapping: its servers, its BASIC_AUTH secret (SASL over TLS), its CA secret and its custom group', async () => {
    const m = mapping({
      bootstrapServers: ['k1:9093', 'k2:9093'],
      consumerGroupId: 'custom-g',
      sourceAccessConfigurations: [
        { type: 'BASIC_AUTH', uri: ARN('plain') },
        { type: 'SERVER_ROOT_CA_CERTIFICATE', uri: ARN('ca') },
        { type: 'VPC_SUBNET', uri: 'subnet:subnet-1' },
      ],
    });
    const { aws, calls } = fakeAws({ mappings: [m], secrets: { [ARN('plain')]: { username: 'bob', password: CANARY }, [ARN('ca')]: { certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' } } });
    const s = await discoverSettings({ mappingUuid: 'u-1' }, aws);
    expect(s).toMatchObject({ bootstrapServers: ['k1:9093', 'k2:9093'], auth: 'SASL_PLAIN', tls: true, username: 'bob', topic: 'orders', consumerGroupId: 'custom-g', mappingUuid: 'u-1' });
    expect(s.caPem).toContain('BEGIN CERTIFICATE');
    expect(calls).toEqual(['GetEventSourceMapping u-1', `GetSecretValue ${ARN('ca')}`, `GetSecretValue ${ARN('plain')}`]);
  });

  it('an MSK mapping without auth secrets: the UUID as group, IAM brokers, no secret read', async () => {
    const { aws, calls } = fakeAws({ mappings: [mapping({ eventSourceArn: CLUSTER })], brokers: { tls: 't:9094', saslIam: 'i:9098' } });
    const s = await discoverSettings({ mappingUuid: 'u-1' }, aws);
    expect(s).toMatchObject({ bootstrapServers: ['i:9098'], auth: 'IAM', consumerGroupId: 'u-1', region: 'eu-west-1' });
    expect(s.origins.bootstrapServers).toBe(`msk:${CLUSTER}`);
    expect(calls).toEqual(['GetEventSourceMapping u-1', `GetBootstrapBrokers ${CLUSTER}`]);
  });

  it('an mTLS secret becomes the client certificate (its key is a secret)', async () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';
    const { aws } = fakeAws({ mappings: [mapping({ eventSourceArn: CLUSTER, sourceAccessConfigurations: [{ type: 'CLIENT_CERTIFICATE_TLS_AUTH', uri: ARN('cert') }] })], brokers: { tls: 't:9094', saslIam: 'i:9098' }, secrets: { [ARN('cert')]: { certificate: 'CERT', privateKey: key, privateKeyPassword: CANARY } } });
    const s = await discoverSettings({ mappingUuid: 'u-1' }, aws);
    expect(s).toMatchObject({ auth: 'MTLS', bootstrapServers: ['t:9094'], clientCertificate: { certificate: 'CERT', privateKeyPassword: CANARY } });
    expect(s.secrets.redact(`key ${key} pw ${CANARY}`)).not.toMatch(/MIGHAgEAMBMG|canary/);
    expect(safeSettings(s)).toMatchObject({ clientCertificate: true, passwordSet: false });
  });

  it('asks only for what is missing: non-secrets through askValues, the password through askSecret', async () => {
    const asked: string[][] = [];
    const secrets: string[] = [];
    const asker = {
      async askValues(fields: AskField[]) {
        asked.push(fields.map((f) => f.name));
        expect(fields.every((f) => !f.secret)).toBe(true);
        return { bootstrapServers: 'b:9096', auth: 'SASL_SCRAM_256', username: 'u', topic: 't' };
      },
      async askSecret(f: AskField) {
        secrets.push(f.name);
        return CANARY;
      },
    };
    const { aws, calls } = fakeAws();
    const s = await discoverSettings({}, aws, { require: ['topic'], asker });
    expect(asked).toEqual([['bootstrapServers', 'auth', 'topic'], ['username']]);
    expect(secrets).toEqual(['password']);
    expect(s).toMatchObject({ auth: 'SASL_SCRAM_256', username: 'u', password: CANARY, topic: 't' });
    expect(s.origins).toMatchObject({ bootstrapServers: 'prompt', password: 'prompt' });
    expect(s.secrets.redact(`x ${CANARY} y`)).toBe('x *** y');
    expect(calls).toEqual([]);
  });

  it.each([
    ['nothing at all', {}, [], /bootstrapServers/],
    ['a topic the operation needs', { bootstrapServers: 'b:1' }, ['topic'], /topic/],
    ['a SCRAM password', { bootstrapServers: 'b:1', auth: 'SASL_SCRAM_512', username: 'u' }, [], /password/],
    ['an mTLS certificate', { bootstrapServers: 'b:1', auth: 'MTLS' }, [], /clientCertificate/],
    ['the mechanism for given credentials (never guessed)', { bootstrapServers: 'b:1', username: 'u', password: 'p4ssw0rd-x' }, [], /auth/],
  ] as const)('with no one to ask, a user error names what is missing: %s', async (_n, input, require, re) => {
    const { aws } = fakeAws();
    const err = await discoverSettings(input, aws, { require: [...require] }).catch((e) => e);
    expect(isEsmctlError(err)).toBe(true);
    expect(err.source).toBe('user');
    expect(err.code).toBe('kafka.settings-missing');
    expect(err.message).toMatch(re);
  });

  it('a secret that is not JSON is an error that never echoes the secret text', async () => {
    const { aws } = fakeAws({ secrets: { [ARN('bad')]: `not json ${CANARY}` } });
    const err = await discoverSettings({ configSecretArn: ARN('bad') }, aws).catch((e) => e);
    expect(err.code).toBe('kafka.secret-not-json');
    expect(`${err.message} ${err.hint}`).not.toContain(CANARY);
  });

  it('bad bootstrap servers and auth names are located user errors before any AWS call', async () => {
    const { aws, calls } = fakeAws();
    await expect(discoverSettings({ bootstrapServers: 'no-port' }, aws)).rejects.toMatchObject({ code: 'kafka.bad-bootstrap' });
    await expect(discoverSettings({ bootstrapServers: 'a:1', auth: 'kerberos' }, aws)).rejects.toMatchObject({ code: 'kafka.bad-auth' });
    expect(calls).toEqual([]);
  });
});

describe('failure classification (Lambda\'s words)', () => {
  const s = (over: Partial<KafkaConnectionSettings> = {}): KafkaConnectionSettings => ({ bootstrapServers: ['b:1'], auth: 'SASL_SCRAM_512', tls: true, origins: {}, secrets: new SecretBag(), topic: 'orders', ...over });
  it.each([
    ['DNS', { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND b' }, s(), 'dns', 'Connection error'],
    ['refused', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, s(), 'refused', 'Connection error'],
    ['untrusted chain', { code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'self-signed certificate in certificate chain' }, s(), 'tls-untrusted', 'Lambda failed to authenticate server'],
    ['hostname', { code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames" }, s(), 'tls-hostname', 'Lambda failed to authenticate server'],
    ['expired', { code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' }, s(), 'tls-expired', 'Lambda failed to authenticate server'],
    ['not TLS', { message: 'ssl3_get_record:wrong version number' }, s(), 'tls-not-tls', 'Connection error'],
    ['mTLS required', { message: 'Connection error: tlsv13 alert certificate required: SSL alert number 116' }, s({ auth: 'TLS' }), 'client-cert-rejected', 'Server failed to authenticate Lambda'],
    ['SASL', { name: 'KafkaJSSASLAuthenticationError', message: 'SASL SCRAM SHA512 authentication failed: invalid credentials' }, s(), 'sasl-failed', 'SASL authentication failed'],
    ['mechanism', { name: 'KafkaJSSASLAuthenticationError', message: 'SASL SCRAM-SHA-256 mechanism is not supported by the server' }, s(), 'sasl-mechanism', 'SASL authentication failed'],
    ['ACL', { type: 'TOPIC_AUTHORIZATION_FAILED', message: 'Not authorized to access topics: [Topic authorization failed]' }, s(), 'not-authorized', 'Cluster failed to authorize Lambda'],
    ['topic', { type: 'UNKNOWN_TOPIC_OR_PARTITION', message: 'This server does not host this topic-partition' }, s(), 'topic-missing', 'Topic not found'],
    ['closed after client cert', { message: 'Closed connection' }, s({ auth: 'MTLS', clientCertificate: { certificate: 'c', privateKey: 'k' } }), 'client-cert-rejected', 'Server failed to authenticate Lambda'],
  ] as const)('%s', (_n, err, settings, kind, lambda) => {
    const d = diagnose(err, settings, 'b:1');
    expect(d.kind).toBe(kind);
    expect(d.lambdaSays).toContain(lambda);
    expect(d.fix.length).toBeGreaterThan(10);
  });

  it('scrubs secret values from the detail', () => {
    const settings = s({ password: CANARY });
    settings.secrets.add(CANARY);
    expect(diagnose({ message: `weird echo ${CANARY}` }, settings, 'b:1').detail).not.toContain(CANARY);
  });
});

describe('offsets arithmetic', () => {
  const snap = (parts: Array<[number, string | null, string, string?]>, at = 't0'): OffsetSnapshot => ({
    topic: 'orders',
    groupId: 'g',
    takenAt: at,
    partitions: parts.map(([partition, committed, end, low = '0']) => ({ partition, committed, end, low, lag: String(Number(end) - Number(committed ?? low)) })),
    totalLag: '0',
  });
  it.each([
    ['all new records committed', snap([[0, '10', '10'], [1, '5', '5']]), snap([[0, '15', '15'], [1, '8', '8']], 't1'), { produced: '8', consumed: '8', coveredProduced: true, caughtUp: true }],
    ['lagging', snap([[0, '10', '10']]), snap([[0, '12', '20']], 't1'), { produced: '10', consumed: '2', coveredProduced: false, caughtUp: false }],
    ['no commits before (new group)', snap([[0, null, '10']]), snap([[0, '14', '14']], 't1'), { produced: '4', consumed: '4', coveredProduced: true }],
    ['nothing produced, nothing consumed', snap([[0, '3', '3']]), snap([[0, '3', '3']], 't1'), { produced: '0', consumed: '0', coveredProduced: true, caughtUp: true }],
  ] as const)('%s', (_n, before, after, want) => expect(compareSnapshots(before, after)).toMatchObject(want));
});

describe('test messages', () => {
  it.each([128, 256, 1024, 5000])('a value of exactly %i bytes with id, runId, seq and ts', (size) => {
    const v = testMessageValue('run1', 42, '2026-11-25T12:00:00.000Z', size, { pad: '' });
    expect(Buffer.byteLength(v)).toBe(size);
    expect(JSON.parse(v)).toMatchObject({ id: 'run1-42', runId: 'run1', seq: 42, ts: '2026-11-25T12:00:00.000Z' });
  });
  it('a size too small for the fields keeps the fields (never truncated JSON)', () => {
    const v = testMessageValue('run1', 1, '2026-11-25T12:00:00.000Z', 10, { pad: '' });
    expect(JSON.parse(v).id).toBe('run1-1');
  });
});

describe('validator verdict: the likely cause, most specific first', () => {
  const before = (committed: string | null): OffsetSnapshot => ({ topic: 't', groupId: 'g', takenAt: 't0', partitions: [{ partition: 0, committed, end: '5', low: '0', lag: '5' }], totalLag: '5' });
  const opts = (groupSource: 'custom' | 'uuid' | 'parameter' = 'uuid') => ({ topic: 't', groupId: 'g', groupSource, timeoutMs: 5000 });
  it.each([
    ['disabled mapping', opts(), before('5'), mapping({ state: 'Disabled' }), undefined, 0, /mapping is Disabled/, /Enable the mapping/],
    ['a PROBLEM result', opts(), before('5'), mapping({ lastProcessingResult: 'PROBLEM: SASL authentication failed.' }), undefined, 0, /Lambda reports: PROBLEM: SASL/, /username\/password/],
    ['LATEST with nothing committed', opts(), before(null), mapping({ startingPosition: 'LATEST' }), undefined, 0, /starts at LATEST/, /TRIM_HORIZON/],
    ['another consumer in a custom group', opts('custom'), before('5'), mapping({ lastProcessingResult: 'OK' }), { members: 2 }, 0, /2 active member/, /no other application/],
    ['members of the UUID group are Lambda itself', opts('uuid'), before('5'), mapping({ lastProcessingResult: 'OK' }), { members: 2 }, 0, /committed nothing past the test records within 5 s/, /logs/],
    ['partly consumed', opts(), before('5'), mapping({}), undefined, 3, /consuming but had not committed/, /--timeout/],
  ] as const)('%s', (_n, o, b, m, group, processed, cause, fix) => {
    const r = explainNotCovered(o, b, m, group, processed);
    expect(r.likelyCause).toMatch(cause);
    expect(r.fix).toMatch(fix);
  });
});

describe('kafkajs client config', () => {
  const base = (over: Partial<KafkaConnectionSettings>): KafkaConnectionSettings => ({ bootstrapServers: ['b:1'], auth: 'PLAINTEXT', tls: false, origins: {}, secrets: new SecretBag(), ...over });
  it.each([
    ['TLS', base({ auth: 'TLS', tls: true, caPem: 'CA' }), { ssl: { rejectUnauthorized: true, ca: ['CA'] } }],
    ['SCRAM over TLS', base({ auth: 'SASL_SCRAM_512', tls: true, username: 'u', password: 'p' }), { ssl: { rejectUnauthorized: true }, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } }],
    ['mTLS', base({ auth: 'MTLS', tls: true, clientCertificate: { certificate: 'C', privateKey: 'K', privateKeyPassword: 'P' } }), { ssl: { rejectUnauthorized: true, cert: 'C', key: 'K', passphrase: 'P' } }],
    ['SASL/PLAIN without TLS (SASL_PLAINTEXT)', base({ auth: 'SASL_PLAIN', tls: false, username: 'u', password: 'p' }), { sasl: { mechanism: 'plain' } }],
  ] as const)('%s: verification on, the right mechanism', async (_n, s, want) => {
    const cfg = await kafkaConfig(s);
    expect(cfg).toMatchObject(want);
    if (!s.tls) expect(cfg.ssl).toBeUndefined();
  });
  it('MSK IAM: a SigV4 OAUTHBEARER-style mechanism over TLS, region from the cluster ARN', async () => {
    const cfg = await kafkaConfig(base({ auth: 'IAM', tls: true, clusterArn: CLUSTER }));
    expect(cfg.ssl).toMatchObject({ rejectUnauthorized: true });
    expect((cfg.sasl as { mechanism: string }).mechanism).toBe('AWS_MSK_IAM');
  });
});
