// What the Kafka MCP tools share: the connection-input schema (no secret ever as an argument), the service deps,
// and the asker: form elicitation for non-secrets, URL-mode elicitation to a one-time 127.0.0.1 page for secrets.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { userError } from '../../core/errors.js';
import type { AskField, DiscoveryInput, SettingName, SettingsAsker } from '../../kafka/index.js';
import type { KafkaServiceDeps } from '../../service/kafka.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ToolDeps } from '../context.js';
import { REGION } from '../shapes.js';

export const KAFKA_AUTH = z
  .enum(['PLAINTEXT', 'TLS', 'SASL_PLAIN', 'SASL_SCRAM_256', 'SASL_SCRAM_512', 'MTLS', 'IAM'])
  .describe('How to authenticate, in Lambda\'s terms. SASL modes run over TLS (SASL_SSL) unless security_protocol is SASL_PLAINTEXT.');

/** Connection settings; each is optional (discovery: these → config_secret_arn → mapping_uuid → asking the person). */
export const KAFKA_CONNECTION_INPUT = {
  bootstrap_servers: z.string().min(1).max(4000).optional().describe('Comma-separated host:port list of Kafka brokers'),
  auth: KAFKA_AUTH.optional(),
  security_protocol: z.enum(['SASL_SSL', 'SASL_PLAINTEXT']).optional().describe('For SASL modes only: SASL_SSL (default, the only one Lambda uses) or SASL_PLAINTEXT'),
  username: z.string().min(1).max(256).optional().describe('SASL user name. Passwords are never tool arguments: use auth_secret_arn / config_secret_arn, or the server asks through a secure page.'),
  auth_secret_arn: z.string().min(20).max(2048).optional().describe('Secrets Manager ARN with SASL {"username","password"} or an mTLS client certificate {"certificate","privateKey","privateKeyPassword"}'),
  ca_secret_arn: z.string().min(20).max(2048).optional().describe('Secrets Manager ARN of a SERVER_ROOT_CA_CERTIFICATE secret ({"certificate": PEM}) for brokers signed by a private CA'),
  config_secret_arn: z
    .string()
    .min(20)
    .max(2048)
    .optional()
    .describe('Secrets Manager ARN holding the whole configuration: {"iam": {"bootstrap_servers","security_protocol","sasl_mechanism"}, "sasl": {…,"sasl_plain_username","sasl_plain_password"}, "topic", "cluster_arn"}'),
  config_block: z.enum(['iam', 'sasl']).optional().describe('Which block of the config secret to use when it has both (default: iam)'),
  mapping_uuid: z.string().min(1).max(64).optional().describe('UUID of an existing event source mapping to read the settings from (brokers, topic, auth secrets, consumer group)'),
  topic: z.string().min(1).max(249).optional().describe('Kafka topic'),
  cluster_arn: z.string().min(20).max(2048).optional().describe('MSK cluster ARN (its region signs MSK IAM)'),
  region: REGION.optional(),
};

export type KafkaConnectionArgs = {
  bootstrap_servers?: string;
  auth?: string;
  security_protocol?: 'SASL_SSL' | 'SASL_PLAINTEXT';
  username?: string;
  auth_secret_arn?: string;
  ca_secret_arn?: string;
  config_secret_arn?: string;
  config_block?: string;
  mapping_uuid?: string;
  topic?: string;
  cluster_arn?: string;
  region?: string;
};

export function discoveryInput(a: KafkaConnectionArgs, deps: ToolDeps): DiscoveryInput {
  const region = a.region ?? deps.region;
  return {
    ...(a.bootstrap_servers ? { bootstrapServers: a.bootstrap_servers } : {}),
    ...(a.auth ? { auth: a.auth } : {}),
    ...(a.security_protocol ? { tls: a.security_protocol === 'SASL_SSL' } : {}),
    ...(a.username ? { username: a.username } : {}),
    ...(a.auth_secret_arn ? { authSecretArn: a.auth_secret_arn } : {}),
    ...(a.ca_secret_arn ? { caSecretArn: a.ca_secret_arn } : {}),
    ...(a.config_secret_arn ? { configSecretArn: a.config_secret_arn } : {}),
    ...(a.config_block ? { configBlock: a.config_block } : {}),
    ...(a.mapping_uuid ? { mappingUuid: a.mapping_uuid } : {}),
    ...(a.topic ? { topic: a.topic } : {}),
    ...(a.cluster_arn ? { clusterArn: a.cluster_arn } : {}),
    ...(region ? { region } : {}),
  };
}

const HOW_TO_GIVE: KafkaServiceDeps['howToGive'] = {
  bootstrapServers: 'bootstrap_servers',
  auth: 'auth',
  topic: 'topic',
  username: 'username',
  password: 'a Secrets Manager ARN (auth_secret_arn or config_secret_arn) holding the password',
  consumerGroupId: 'consumer_group_id',
  configSecretArn: 'config_secret_arn',
  authSecretArn: 'auth_secret_arn',
  mappingUuid: 'mapping_uuid',
};

export function kafkaServiceDeps(deps: ToolDeps, region?: string): KafkaServiceDeps {
  return {
    host: deps.host,
    aws: async (r?: string) => {
      const { createKafkaAwsPort } = await import('../../aws/kafka-discovery.js');
      return createKafkaAwsPort({ region: r ?? region ?? deps.region });
    },
    asker: elicitationAsker(deps),
    howToGive: HOW_TO_GIVE,
  };
}

function clientElicitation(deps: ToolDeps): { form: boolean; url: boolean } {
  const caps = deps.server.server.getClientCapabilities()?.elicitation as { form?: unknown; url?: unknown } | undefined;
  if (!caps) return { form: false, url: false };
  return { form: caps.form !== undefined || Object.keys(caps).length === 0, url: caps.url !== undefined };
}

/** Elicitation-based asker: forms for non-secrets; a one-time loopback page (URL mode) for secrets. */
export function elicitationAsker(deps: ToolDeps): SettingsAsker {
  return {
    async askValues(fields: AskField[]) {
      const nonSecret = fields.filter((f) => !f.secret);
      if (nonSecret.length === 0 || !clientElicitation(deps).form) return {};
      const properties: Record<string, Record<string, unknown>> = {};
      for (const f of nonSecret) {
        properties[f.name] = f.choices
          ? { type: 'string', title: f.label, description: f.description, enum: [...f.choices], ...(f.default ? { default: f.default } : {}) }
          : { type: 'string', title: f.label, description: f.description };
      }
      const answer = await deps.server.server.elicitInput({
        mode: 'form',
        message: `esmctl needs Kafka connection settings it could not find: ${nonSecret.map((f) => f.label).join(', ')}. They are used for this call only and never stored.`,
        requestedSchema: { type: 'object', properties: properties as never, required: nonSecret.map((f) => f.name) },
      });
      if (answer.action !== 'accept' || !answer.content) return {};
      const out: Partial<Record<SettingName, string>> = {};
      for (const f of nonSecret) {
        const v = answer.content[f.name];
        if (typeof v === 'string') out[f.name] = v;
      }
      return out;
    },
    async askSecret(field: AskField) {
      if (!clientElicitation(deps).url) {
        throw userError(
          'kafka.secret-needs-arn',
          `The ${field.label.toLowerCase()} is missing, and this MCP client cannot open a secure page (no URL-mode elicitation); secrets are never asked through forms or tool arguments.`,
          'Store it in AWS Secrets Manager and pass the secret ARN as auth_secret_arn ({"username","password"}) or config_secret_arn.',
        );
      }
      return askSecretThroughPage(deps, field);
    },
  };
}

const PAGE_TIMEOUT_MS = 5 * 60_000;
const MAX_BODY = 64 * 1024;

function html(title: string, body: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body style="font-family:sans-serif;max-width:40em;margin:3em auto">${body.replace('%TITLE%', esc(title))}</body></html>`;
}

/**
 * Serves a one-time page on 127.0.0.1 (random token path, Host checked, one successful POST, then closed),
 * sends a URL-mode elicitation pointing at it, and waits for the person to submit the value.
 */
async function askSecretThroughPage(deps: ToolDeps, field: AskField): Promise<string | undefined> {
  const token = randomBytes(24).toString('hex');
  const elicitationId = randomBytes(12).toString('hex');
  let resolveValue!: (v: string | undefined) => void;
  const received = new Promise<string | undefined>((r) => (resolveValue = r));
  let used = false;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const addr = server.address() as AddressInfo;
    const okHost = req.headers.host === `127.0.0.1:${addr.port}` || req.headers.host === `localhost:${addr.port}`;
    const path = (req.url ?? '').split('?')[0];
    const expected = `/esmctl/secret/${token}`;
    const pathOk = path.length === expected.length && timingSafeEqual(Buffer.from(path), Buffer.from(expected));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!okHost || !pathOk || used) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    if (req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(
        html(
          `esmctl: ${field.label}`,
          `<h1>%TITLE%</h1><p>${field.description}. It is used for this MCP session only and never stored or logged.</p>` +
            `<form method="post"><input type="password" name="value" autofocus required autocomplete="off"> <button type="submit">Send</button></form>`,
        ),
      );
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'GET, POST' }).end();
      return;
    }
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const value = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('value') ?? '';
      if (!value) {
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end('empty value');
        return;
      }
      used = true;
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html('esmctl', '<p>Received. You can close this page and return to your assistant.</p>'));
      resolveValue(value);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/esmctl/secret/${token}`;
  deps.log(`esmctl mcp: waiting for the ${field.label.toLowerCase()} on a one-time page at http://127.0.0.1:${port}/ (URL sent to the client)`);
  const timer = setTimeout(() => resolveValue(undefined), PAGE_TIMEOUT_MS);
  try {
    const answer = await deps.server.server.elicitInput({
      mode: 'url',
      message: `Open this local page to enter the ${field.label.toLowerCase()} for the Kafka connection (kept for this call only).`,
      url,
      elicitationId,
    });
    if (answer.action !== 'accept') return undefined;
    const value = await received;
    if (value !== undefined) {
      await deps.server.server
        .createElicitationCompletionNotifier(elicitationId)()
        .catch(() => undefined);
    }
    return value;
  } finally {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  }
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * MCP progress for long Kafka calls, when the client sent a progressToken (keeps clients that reset their timeout
 * on progress waiting through a 60 s validation), and the request's abort signal.
 */
export function progressFor(extra: Extra): {
  onProgress: (sent: number, total: number) => void;
  onPoll: (p: { elapsedMs: number; timeoutMs: number; totalLag: string }) => void;
  signal: AbortSignal;
} {
  const token = extra._meta?.progressToken;
  let last = 0;
  const send = (progress: number, total: number, message: string, force = false) => {
    if (token === undefined) return;
    const now = Date.now();
    if (!force && now - last < 500) return;
    last = now;
    void extra
      .sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total, message } })
      .catch(() => undefined);
  };
  return {
    onProgress: (sent, total) => send(sent, total, `produced ${sent} of ${total}`, sent === total),
    onPoll: (p) => send(p.elapsedMs, p.timeoutMs, `waiting for the consumer group: lag ${p.totalLag}`),
    signal: extra.signal,
  };
}
