// The sandbox's one HTTP server: reads each request, sends `/_sandbox/…` to the control API, and routes AWS
// requests by protocol (SigV4 credential-scope service, then X-Amz-Target, then path/Version), with faults applied.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AwsError, encodeError, encodeResult, newRequestId, safeDecode, type SandboxRequest, type WireReply } from './protocols.js';
import type { ServiceDefinition } from './service.js';
import { lambdaService } from '../services/lambda/routes.js';
import { iamService } from '../services/iam/routes.js';
import { stsService } from '../services/sts/routes.js';
import { kafkaService } from '../services/kafka/routes.js';
import { secretsManagerService } from '../services/secrets-manager/routes.js';
import type { Runtime } from '../runtime.js';

export const SERVICES: Record<string, ServiceDefinition> = {
  lambda: lambdaService,
  iam: iamService,
  sts: stsService,
  kafka: kafkaService,
  secretsmanager: secretsManagerService,
};

/** Services whose requests may be signed for any region. */
const GLOBAL_SERVICES = new Set(['iam', 'sts']);

const SCOPE_RE = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

function header(req: SandboxRequest, name: string): string {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : (v ?? '');
}

/** Which service a request is for: the SigV4 scope first, then X-Amz-Target, then the path or Version. */
export function identifyService(req: SandboxRequest): ServiceDefinition | undefined {
  if (req.scope && SERVICES[req.scope.service]) return SERVICES[req.scope.service];
  const target = header(req, 'x-amz-target');
  if (target.startsWith('secretsmanager.')) return secretsManagerService;
  if (/^\/(2015-03-31|2017-03-31)\//.test(req.path)) return lambdaService;
  if (/^\/(api\/v2|v1)\/clusters/.test(req.path)) return kafkaService;
  if (req.method === 'POST' && req.path === '/') {
    const version = new URLSearchParams(req.body.toString('utf8')).get('Version');
    if (version === '2010-05-08') return iamService;
    if (version === '2011-06-15') return stsService;
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, r: WireReply): void {
  res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) });
  res.end(r.body);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type ControlHandler = (req: SandboxRequest) => Promise<WireReply>;

export function createSandboxServer(runtime: Runtime, control: ControlHandler): Server {
  return createServer((req, res) => {
    void handle(req, res).catch((e) => {
      process.stderr.write(`esmctl sandbox: internal error: ${(e as Error).message}\n`);
      if (!res.headersSent) send(res, { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'internal sandbox error' }) });
      else res.end();
    });
  });

  async function handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(raw.url ?? '/', 'http://sandbox');
    const body = await readBody(raw);
    const auth = typeof raw.headers.authorization === 'string' ? SCOPE_RE.exec(raw.headers.authorization) : null;
    const req: SandboxRequest = {
      method: raw.method ?? 'GET',
      path: safeDecode(url.pathname),
      rawPath: url.pathname,
      query: url.searchParams,
      headers: raw.headers,
      body,
      scope: auth ? { accessKeyId: auth[1], region: auth[2], service: auth[3] } : undefined,
      requestId: newRequestId(),
    };
    if (url.pathname === '/_sandbox' || url.pathname.startsWith('/_sandbox/')) {
      send(res, await control(req));
      return;
    }
    const service = identifyService(req);
    if (!service) {
      send(res, {
        status: 400,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownServiceException' },
        body: JSON.stringify({ message: `The esmctl sandbox does not emulate this service (${req.scope?.service ?? 'unsigned request'} ${req.method} ${req.path}).` }),
      });
      return;
    }
    const world = runtime.world;
    let operation = '(unknown)';
    let reply: WireReply;
    const fail = (e: AwsError) => encodeError(service.protocol, service.xmlNamespace, req.requestId, e, service.messageKey?.(e.code));
    try {
      const routed = service.route(req, world);
      if (!routed) throw service.unknownOperation(req);
      operation = routed.operation;
      // like an AWS regional endpoint, refuse a signature scoped to another region (IAM is global; STS answers anywhere)
      if (req.scope && !GLOBAL_SERVICES.has(service.name) && req.scope.region !== world.region) {
        throw new AwsError(
          'InvalidSignatureException',
          `Credential should be scoped to a valid region, not '${req.scope.region}'. This esmctl sandbox emulates ${world.region} only (set AWS_REGION or the spec's region to ${world.region}).`,
          403,
        );
      }
      if (runtime.faults.latencyMs > 0) await sleep(runtime.faults.latencyMs);
      if (runtime.faults.isThrottled(service.name, operation, Date.now())) throw service.throttled(operation);
      if (runtime.faults.isFailure()) throw service.serverError(operation);
      if (runtime.faults.isDenied(service.name, operation)) throw accessDenied(service.name, operation, world.accountId);
      const result = await routed.run();
      reply = encodeResult(service.protocol, operation, service.xmlNamespace, req.requestId, result);
    } catch (e) {
      if (e instanceof AwsError) reply = fail(e);
      else {
        process.stderr.write(`esmctl sandbox: ${service.name}.${operation} failed: ${(e as Error).message}\n`);
        reply = fail(service.serverError(operation));
      }
    }
    runtime.log.push({ service: service.name, operation, status: reply.status, at: new Date(started).toISOString(), ms: Date.now() - started });
    send(res, reply);
  }
}

/** The AccessDenied answer of a caller whose identity policy lacks the action, in the service's own code. */
function accessDenied(service: string, operation: string, accountId: string): AwsError {
  const prefix = service === 'secrets-manager' ? 'secretsmanager' : service;
  const code = service === 'iam' || service === 'sts' ? 'AccessDenied' : 'AccessDeniedException';
  return new AwsError(
    code,
    `User: arn:aws:sts::${accountId}:assumed-role/esmctl-sandbox/test is not authorized to perform: ${prefix}:${operation} because no identity-based policy allows the ${prefix}:${operation} action`,
    403,
  );
}
