// Classification of AWS SDK errors into EsmctlError (source 'aws'; AWS code, HTTP status and Retry-After kept)
// with hints. The executor's retry policy (src/apply) decides on those fields, never on SDK shapes.

import { EsmctlError, isEsmctlError } from '../core/errors.js';

interface SdkErrorLike {
  name?: string;
  message?: string;
  Code?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'Rate exceeded',
  'ThrottledException',
  'SlowDown',
]);

const CREDENTIALS = new Set([
  'CredentialsProviderError',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'TokenRefreshRequired',
]);

const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'AccessDeniedError', 'UnauthorizedOperation']);

function raw(e: unknown): SdkErrorLike {
  if (isEsmctlError(e) && e.cause && typeof e.cause === 'object') return e.cause as SdkErrorLike;
  return (e && typeof e === 'object' ? e : {}) as SdkErrorLike;
}

function awsErrorCode(e: unknown): string | undefined {
  if (isEsmctlError(e) && e.awsCode) return e.awsCode;
  const r = raw(e);
  return r.name ?? r.Code ?? r.code;
}

/** Not-found answers (Lambda ResourceNotFoundException, IAM NoSuchEntity, Kafka NotFoundException). */
export function isNotFound(e: unknown): boolean {
  const code = awsErrorCode(e) ?? '';
  return code === 'ResourceNotFoundException' || code === 'NoSuchEntityException' || code === 'NoSuchEntity' || code === 'NotFoundException';
}

/** A throttling answer (HTTP 429 or a throttling code), as the SDK raised it. */
export function isThrottlingSdkError(e: unknown): boolean {
  const r = raw(e);
  return THROTTLING.has(awsErrorCode(e) ?? '') || r.$metadata?.httpStatusCode === 429 || r.$response?.statusCode === 429;
}

/** Retry-After in milliseconds when the response carried one (seconds or an HTTP date). */
export function retryAfterOf(e: unknown, now = Date.now()): number | undefined {
  const headers = raw(e).$response?.headers ?? {};
  const v = headers['retry-after'] ?? headers['Retry-After'];
  if (v === undefined) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

function hintFor(code: string, message: string, operation?: string): string | undefined {
  if (CREDENTIALS.has(code)) {
    return 'Check your AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, `aws sso login`).';
  }
  if (ACCESS_DENIED.has(code)) {
    const action = /not authorized to perform:?\s*([\w-]+:\w+)/i.exec(message)?.[1];
    return action
      ? `Grant ${action} to the identity running esmctl.`
      : `Grant the identity running esmctl permission for ${operation ?? 'this call'}.`;
  }
  if (code === 'ResourceNotFoundException') return 'Check the name or ARN, and that you are in the right region and account.';
  if (THROTTLING.has(code)) return 'AWS throttled the call; lower --parallelism or try again.';
  if (code === 'InvalidParameterValueException') return 'AWS rejected a value in the request; check the field it names in the spec.';
  return undefined;
}

/**
 * Turns anything thrown by an SDK call into an EsmctlError with source 'aws' (or 'user' for missing credentials /
 * region), keeping AWS's code and message, the HTTP status and the original error as `cause`.
 */
export function classifyAwsError(e: unknown, operation?: string): EsmctlError {
  if (isEsmctlError(e)) return e;
  const r = raw(e);
  const code = r.name ?? r.Code ?? r.code ?? 'UnknownError';
  const message = String(r.message ?? e);
  const status = r.$metadata?.httpStatusCode ?? r.$response?.statusCode;
  if (code === 'CredentialsProviderError') {
    return new EsmctlError('aws.credentials', `no AWS credentials found: ${message}`, {
      source: 'user',
      hint: hintFor(code, message),
      awsCode: code,
      cause: e,
    });
  }
  const where = operation ? `${operation}: ` : '';
  return new EsmctlError(`aws.${code}`, `${where}${code}: ${message}`, {
    source: 'aws',
    hint: hintFor(code, message, operation),
    awsCode: code,
    httpStatus: status,
    retryAfterMs: retryAfterOf(e),
    cause: e,
  });
}
