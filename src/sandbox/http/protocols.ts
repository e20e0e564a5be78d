// The sandbox's wire protocols: the request/response types every service handler uses, the typed AWS error,
// and the encoders for rest-json, awsQuery (XML) and awsJson1.1 bodies and error bodies, as real AWS shapes them.

import { randomUUID } from 'node:crypto';

export type Protocol = 'rest-json' | 'query' | 'json-1.1';

/** One incoming AWS request, already read and split. */
export interface SandboxRequest {
  method: string;
  /** Decoded path, without the query string. */
  path: string;
  /** The path as sent, still percent-encoded (labels are decoded per segment). */
  rawPath: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** SigV4 credential scope, when the request was signed. */
  scope?: { accessKeyId: string; region: string; service: string };
  requestId: string;
}

/** What a handler returns: a JSON object (rest-json / json-1.1), or the result XML inner text (query). */
export interface SandboxResponse {
  status: number;
  json?: unknown;
  /** For query: the inner XML of <OpResult>, or undefined for operations without output. */
  xmlResult?: string;
  headers?: Record<string, string>;
}

/** An AWS error as the service would send it: code (the SDK's exception name), message, HTTP status. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly extra: { headers?: Record<string, string>; fields?: Record<string, unknown>; type?: 'Sender' | 'Receiver' | 'User' | 'Service' } = {},
  ) {
    super(message);
  }
}

/** decodeURIComponent that leaves a malformed escape as it is (the route then simply does not match). */
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function newRequestId(): string {
  return randomUUID();
}

export function parseJsonBody(req: SandboxRequest, errorCode = 'SerializationException'): Record<string, unknown> {
  if (req.body.length === 0) return {};
  try {
    const v = JSON.parse(req.body.toString('utf8')) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw new AwsError(errorCode, 'Could not parse request body into json: the body is not a JSON object.', 400);
  }
}

export function parseFormBody(req: SandboxRequest): URLSearchParams {
  return new URLSearchParams(req.body.toString('utf8'));
}

// ───────────────────────────── XML (awsQuery) ─────────────────────────────

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `<Name>value</Name>` with escaping; undefined values are left out. */
export function xmlField(name: string, value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '';
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

/** `<Name><member>…</member>…</Name>` for a list. */
export function xmlList(name: string, items: string[]): string {
  return `<${name}>${items.map((i) => `<member>${i}</member>`).join('')}</${name}>`;
}

export function queryXmlResponse(operation: string, namespace: string, requestId: string, result: string | undefined): string {
  const res = result === undefined ? '' : `<${operation}Result>${result}</${operation}Result>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${namespace}">${res}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
}

export function queryXmlError(namespace: string, requestId: string, e: AwsError): string {
  const type = e.extra.type ?? (e.status >= 500 ? 'Receiver' : 'Sender');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type><Code>${xmlEscape(e.code)}</Code><Message>${xmlEscape(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

// ───────────────────────────── Encoded replies ─────────────────────────────

export interface WireReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Encode a handler's result for the protocol. */
export function encodeResult(protocol: Protocol, operation: string, xmlNamespace: string, requestId: string, r: SandboxResponse): WireReply {
  const base: Record<string, string> = { 'x-amzn-requestid': requestId, ...(r.headers ?? {}) };
  if (protocol === 'query') {
    return { status: r.status, headers: { ...base, 'content-type': 'text/xml' }, body: queryXmlResponse(operation, xmlNamespace, requestId, r.xmlResult) };
  }
  const contentType = protocol === 'json-1.1' ? 'application/x-amz-json-1.1' : 'application/json';
  if (r.json === undefined) return { status: r.status, headers: base, body: '' };
  return { status: r.status, headers: { ...base, 'content-type': contentType }, body: JSON.stringify(r.json) };
}

/**
 * Encode an error the way the service does. rest-json: `x-amzn-errortype` header and a body with the message
 * (Lambda bodies carry `Type` and `message`/`Message`; MSK uses `message`); json-1.1: `__type` + `message`;
 * query: `<ErrorResponse>`.
 */
export function encodeError(protocol: Protocol, xmlNamespace: string, requestId: string, e: AwsError, messageKey = 'message'): WireReply {
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId, ...(e.extra.headers ?? {}) };
  if (protocol === 'query') {
    return { status: e.status, headers: { ...headers, 'content-type': 'text/xml' }, body: queryXmlError(xmlNamespace, requestId, e) };
  }
  if (protocol === 'json-1.1') {
    return {
      status: e.status,
      headers: { ...headers, 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ __type: e.code, message: e.message, ...(e.extra.fields ?? {}) }),
    };
  }
  const body: Record<string, unknown> = {};
  if (e.extra.type) body.Type = e.extra.type;
  body[messageKey] = e.message;
  Object.assign(body, e.extra.fields ?? {});
  return {
    status: e.status,
    headers: { ...headers, 'x-amzn-errortype': e.code, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}
