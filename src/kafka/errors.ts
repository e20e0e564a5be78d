// Kafka failures as data: unwraps kafkajs errors, classifies them (TLS, SASL, authorization, missing topic,
// connection) and phrases the likely cause in Lambda's own LastProcessingResult words, with the fix.

import { EsmctlError } from '../core/errors.js';
import type { KafkaConnectionSettings } from './settings.js';

export type KafkaFailureKind =
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'tls-untrusted'
  | 'tls-hostname'
  | 'tls-expired'
  | 'tls-not-tls'
  | 'client-cert-rejected'
  | 'client-cert-invalid'
  | 'sasl-failed'
  | 'sasl-mechanism'
  | 'not-authorized'
  | 'topic-missing'
  | 'disconnected'
  | 'other';

export interface KafkaDiagnosis {
  kind: KafkaFailureKind;
  /** What happened, technically (secrets scrubbed). */
  detail: string;
  /** Lambda's own words for the same failure (the LastProcessingResult text a mapping would show). */
  lambdaSays: string;
  /** The likely cause. */
  cause: string;
  /** What to do. */
  fix: string;
}

const TLS_UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);

/** The innermost useful error and every message on the way down. */
export function unwrap(e: unknown): { code?: string; name?: string; messages: string[]; root: unknown } {
  const messages: string[] = [];
  let cur: unknown = e;
  let code: string | undefined;
  let name: string | undefined;
  let root: unknown = e;
  for (let i = 0; i < 6 && cur; i++) {
    const c = cur as { code?: unknown; name?: string; message?: string; type?: string; originalError?: unknown; cause?: unknown };
    if (typeof c.message === 'string' && c.message) {
      const m = c.message.replace(/\s+/g, ' ').trim();
      if (!messages.some((x) => x.includes(m))) messages.push(m);
    }
    if (typeof c.code === 'string') code ??= c.code;
    if (typeof c.type === 'string') code ??= c.type;
    if (c.name && c.name !== 'Error') name = c.name;
    root = cur;
    cur = c.originalError ?? c.cause;
  }
  return { code, name, messages, root };
}

const LAMBDA = {
  connection: 'PROBLEM: Connection error. Please check your event source connection configuration.',
  lambdaAuthServer: 'PROBLEM: Lambda failed to authenticate server.',
  serverAuthLambda: 'PROBLEM: Server failed to authenticate Lambda.',
  certInvalid: 'PROBLEM: Provided certificate or private key is invalid.',
  sasl: 'PROBLEM: SASL authentication failed.',
  authorize: 'PROBLEM: Cluster failed to authorize Lambda.',
  topic: 'PROBLEM: Topic not found. Please check the topic name in your event source configuration.',
};

/** Classifies a failure from any step; `where` is `host:port` or a step name, for the detail line. */
export function diagnose(e: unknown, s: KafkaConnectionSettings, where: string): KafkaDiagnosis {
  const u = unwrap(e);
  const text = s.secrets.redact(u.messages.join(': '));
  const all = `${u.code ?? ''} ${u.name ?? ''} ${text}`;
  const d = (kind: KafkaFailureKind, lambdaSays: string, cause: string, fix: string): KafkaDiagnosis => ({
    kind,
    detail: `${where}: ${text || u.code || 'failed'}`,
    lambdaSays,
    cause,
    fix,
  });
  if (u.code === 'ENOTFOUND' || u.code === 'EAI_AGAIN') {
    return d('dns', LAMBDA.connection, `The broker name in ${where} does not resolve.`, 'Check the bootstrap servers; from a VPC, check the VPC DNS settings and that the name is resolvable there.');
  }
  if (u.code === 'ECONNREFUSED') {
    return d('refused', LAMBDA.connection, `Nothing accepts connections on ${where} (port closed).`, 'Check the port for the chosen auth mode (MSK: 9092 plaintext, 9094 TLS, 9096 SCRAM, 9098 IAM) and that the broker is running.');
  }
  if (u.code && TLS_UNTRUSTED.has(u.code)) {
    return d(
      'tls-untrusted',
      LAMBDA.lambdaAuthServer,
      s.caPem
        ? 'The broker certificate is not signed by the private root CA you gave (it does not chain to it).'
        : 'The broker certificate is signed by a private CA (or is self-signed) that is not trusted.',
      s.caPem
        ? 'Put the root CA that signed the broker certificate in the SERVER_ROOT_CA_CERTIFICATE secret ({"certificate": PEM}).'
        : 'Add a SERVER_ROOT_CA_CERTIFICATE secret ({"certificate": PEM}) holding the private root CA, and reference it in the mapping (auth.serverRootCaSecretArn).',
    );
  }
  if (u.code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /Hostname\/IP does not match/i.test(text)) {
    return d('tls-hostname', LAMBDA.lambdaAuthServer, `The broker certificate does not name ${where.split(':')[0]} (hostname mismatch).`, "Connect with a name the certificate lists in its Subject Alternative Names, or reissue the broker certificate with the broker's DNS name or IP address as a SAN.");
  }
  if (u.code === 'CERT_HAS_EXPIRED' || u.code === 'CERT_NOT_YET_VALID') {
    return d('tls-expired', LAMBDA.lambdaAuthServer, 'The broker certificate is expired or not yet valid.', 'Renew the broker certificate.');
  }
  if (u.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long|unknown protocol/i.test(text)) {
    return d('tls-not-tls', LAMBDA.connection, `${where} does not speak TLS.`, 'Use the TLS listener (port) of the broker, or choose PLAINTEXT / SASL_PLAINTEXT if this listener is unencrypted.');
  }
  if (/certificate required|alert number 116|bad certificate|alert number 42|unknown ca|alert number 48|handshake failure|alert number 40/i.test(text)) {
    return d('client-cert-rejected', LAMBDA.serverAuthLambda, 'The broker requires a client certificate it trusts (mTLS) and did not accept ours.', 'Give a CLIENT_CERTIFICATE_TLS_AUTH secret whose certificate is signed by a CA in the broker\'s truststore; check the chain order (client certificate first).');
  }
  if (/bad decrypt|PEM|private key|key values mismatch|BAD_PASSWORD_READ|ERR_OSSL/i.test(all) && s.clientCertificate) {
    return d('client-cert-invalid', LAMBDA.certInvalid, 'The client certificate or private key cannot be used (wrong format, wrong password, or they do not match).', 'Store the certificate chain and a PKCS #8 private key in PEM; for an encrypted key set privateKeyPassword.');
  }
  if (/not supported by the server|UNSUPPORTED_SASL_MECHANISM|Unsupported SASL mechanism/i.test(all)) {
    return d('sasl-mechanism', LAMBDA.sasl, `The listener at ${where} does not enable the ${s.auth} mechanism.`, 'Use the listener (port) that enables this mechanism, or choose the mechanism the broker offers.');
  }
  if (u.name === 'KafkaJSSASLAuthenticationError' || /SASL_AUTHENTICATION_FAILED|authentication failed/i.test(all)) {
    return d(
      'sasl-failed',
      s.auth === 'IAM' ? LAMBDA.authorize : LAMBDA.sasl,
      s.auth === 'IAM'
        ? 'The broker rejected the SigV4-signed IAM token: the credentials are invalid or not allowed kafka-cluster:Connect.'
        : 'The user name or password is wrong, or the user does not exist for this SASL mechanism.',
      s.auth === 'IAM'
        ? 'Check the AWS credentials in use and that their policy allows kafka-cluster:Connect on the cluster.'
        : `Check the username and password in the secret; for SCRAM check the mechanism (${s.auth}) matches the user's credentials on the broker.`,
    );
  }
  if (/AUTHORIZATION_FAILED|not authorized/i.test(all)) {
    return d('not-authorized', LAMBDA.authorize, 'The authenticated user lacks Kafka ACLs (or IAM actions) the mapping needs.', 'Grant Describe/Read on the topic, Describe/Read on the consumer group (named after the mapping UUID, or the custom group id), and DescribeConfigs on the cluster.');
  }
  if (/UNKNOWN_TOPIC_OR_PARTITION|does not host this topic-partition|topic.*not.*exist/i.test(all)) {
    return d('topic-missing', LAMBDA.topic, `Topic ${s.topic ?? ''} does not exist on this cluster.`, 'Check the topic name (case-sensitive) or create the topic.');
  }
  if (/timeout|timed out|ETIMEDOUT/i.test(all)) {
    return d('timeout', LAMBDA.connection, `No answer from ${where} in time.`, 'Check security groups / firewalls between here and the broker, the port, and whether the listener expects TLS.');
  }
  if (/ECONNRESET|Closed connection|socket disconnected|Connection closed|EPIPE/i.test(all)) {
    if (s.clientCertificate) {
      return d('client-cert-rejected', LAMBDA.serverAuthLambda, 'The broker closed the connection after the TLS handshake: it does not trust our client certificate.', "Use a client certificate signed by a CA in the broker's truststore (CLIENT_CERTIFICATE_TLS_AUTH secret), with the chain in order: client certificate first.");
    }
    return d(
      'disconnected',
      s.tls ? LAMBDA.serverAuthLambda : LAMBDA.connection,
      s.tls ? 'The broker closed the connection during the TLS or SASL exchange (often: it requires a client certificate, or a different auth mode).' : 'The broker closed the connection (the listener may expect TLS or SASL).',
      s.tls ? 'Check the listener\'s auth mode: mTLS needs a client certificate; SASL needs the matching mechanism.' : 'Check the security protocol of this listener (TLS? SASL?).',
    );
  }
  return d('other', LAMBDA.connection, 'The connection failed.', 'See the detail.');
}

/** A Kafka failure as an EsmctlError for commands that stop on it (produce, validate). */
export function kafkaError(e: unknown, s: KafkaConnectionSettings, where: string): EsmctlError {
  if (e instanceof EsmctlError) return e;
  const g = diagnose(e, s, where);
  return new EsmctlError(`kafka.${g.kind}`, `${g.detail} — ${g.cause} (${g.lambdaSays})`, { source: 'user', hint: g.fix });
}
