// Turns KafkaConnectionSettings into a kafkajs client config (TLS verification always on, SASL, mTLS, MSK IAM)
// and opens clients. kafkajs and the MSK IAM mechanism are imported lazily: only the Kafka commands pay for them.

import type { ConnectionOptions } from 'node:tls';
import type { Kafka, KafkaConfig, SASLOptions, logCreator as LogCreator } from 'kafkajs';
import type { IoHost } from '../core/events.js';
import type { KafkaConnectionSettings } from './settings.js';

/** Per-step time bounds for clients used in diagnosis and offset reads. */
export interface ClientTimeouts {
  connectionTimeoutMs?: number;
  authenticationTimeoutMs?: number;
  requestTimeoutMs?: number;
  retries?: number;
}

/** The node TLS options the tools use for a settings object: verification ON (chain + hostname). */
export function tlsOptions(s: KafkaConnectionSettings): ConnectionOptions {
  const o: ConnectionOptions = { rejectUnauthorized: true };
  if (s.caPem) o.ca = [s.caPem];
  if (s.clientCertificate) {
    o.cert = s.clientCertificate.certificate;
    o.key = s.clientCertificate.privateKey;
    if (s.clientCertificate.privateKeyPassword) o.passphrase = s.clientCertificate.privateKeyPassword;
  }
  return o;
}

async function saslOptions(s: KafkaConnectionSettings): Promise<SASLOptions | undefined> {
  switch (s.auth) {
    case 'SASL_PLAIN':
      return { mechanism: 'plain', username: s.username ?? '', password: s.password ?? '' };
    case 'SASL_SCRAM_256':
      return { mechanism: 'scram-sha-256', username: s.username ?? '', password: s.password ?? '' };
    case 'SASL_SCRAM_512':
      return { mechanism: 'scram-sha-512', username: s.username ?? '', password: s.password ?? '' };
    case 'IAM': {
      // Standard AWS credential chain (env, profile, SSO, container, instance metadata).
      const { createMechanism } = await import('@jm18457/kafkajs-msk-iam-authentication-mechanism');
      return createMechanism({ region: s.region ?? regionFromArn(s.clusterArn) ?? 'us-east-1' }) as unknown as SASLOptions;
    }
    case 'PLAINTEXT':
    case 'TLS':
    case 'MTLS':
      return undefined;
  }
}

export function regionFromArn(arn: string | undefined): string | undefined {
  const m = arn ? /^arn:aws[\w-]*:[\w-]+:([a-z0-9-]+):/.exec(arn) : null;
  return m?.[1] || undefined;
}

/** kafkajs log lines go to the host at debug level, scrubbed of secrets; never to stdout. */
function logCreatorFor(host: IoHost | undefined, s: KafkaConnectionSettings): LogCreator {
  return () => (entry) => {
    if (!host) return;
    const { message, ...rest } = entry.log as { message: string } & Record<string, unknown>;
    const text = s.secrets.redact(`kafkajs ${entry.namespace}: ${message}${rest.error ? ` (${String(rest.error)})` : ''}`);
    host.emit({ code: 'kafka.step', level: 'debug', message: text });
  };
}

export async function kafkaConfig(
  s: KafkaConnectionSettings,
  opts: { clientId?: string; host?: IoHost; timeouts?: ClientTimeouts } = {},
): Promise<KafkaConfig> {
  const { logLevel } = await import('kafkajs');
  const t = opts.timeouts ?? {};
  const needsTls = s.tls || s.auth === 'TLS' || s.auth === 'MTLS' || s.auth === 'IAM';
  const sasl = await saslOptions(s);
  return {
    clientId: opts.clientId ?? 'esmctl',
    brokers: s.bootstrapServers,
    ...(needsTls ? { ssl: tlsOptions(s) } : {}),
    ...(sasl ? { sasl } : {}),
    connectionTimeout: t.connectionTimeoutMs ?? 5000,
    authenticationTimeout: t.authenticationTimeoutMs ?? 5000,
    requestTimeout: t.requestTimeoutMs ?? 15000,
    retry: { retries: t.retries ?? 2, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: logLevel.ERROR,
    logCreator: logCreatorFor(opts.host, s),
  };
}

export async function createKafka(
  s: KafkaConnectionSettings,
  opts: { clientId?: string; host?: IoHost; timeouts?: ClientTimeouts } = {},
): Promise<Kafka> {
  const { Kafka } = await import('kafkajs');
  return new Kafka(await kafkaConfig(s, opts));
}
