// EsmctlError: errors as data with an audience. `user` prints one line and a hint; `aws` adds AWS's code and
// message; `internal` shows a stack only with --debug. Spec problems are returned as data, never thrown.

export type ErrorSource = 'user' | 'aws' | 'internal';

export class EsmctlError extends Error {
  readonly code: string;
  readonly source: ErrorSource;
  readonly hint?: string;
  /** AWS error name (e.g. ResourceConflictException) and HTTP status, when source is 'aws'. */
  readonly awsCode?: string;
  readonly httpStatus?: number;
  /** For throttled AWS calls: how long the response's Retry-After asked to wait, in ms. */
  readonly retryAfterMs?: number;

  constructor(
    code: string,
    message: string,
    options: {
      source: ErrorSource;
      hint?: string;
      awsCode?: string;
      httpStatus?: number;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EsmctlError';
    this.code = code;
    this.source = options.source;
    this.hint = options.hint;
    this.awsCode = options.awsCode;
    this.httpStatus = options.httpStatus;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

export function isEsmctlError(e: unknown): e is EsmctlError {
  return e instanceof EsmctlError;
}

export function userError(code: string, message: string, hint?: string): EsmctlError {
  return new EsmctlError(code, message, { source: 'user', hint });
}

/** Exhaustiveness guard for closed unions switched on `kind`. */
export function assertNever(x: never, what = 'value'): never {
  throw new EsmctlError('internal.unreachable', `unexpected ${what}: ${JSON.stringify(x)}`, { source: 'internal' });
}
