// The executor's retry policy: which AWS errors are worth another try (throttling with Retry-After, 5xx,
// ResourceInUse, IAM propagation right after a policy put, 409 without a UUID) and jittered, bounded backoff.

import { EsmctlError, isEsmctlError } from '../core/errors.js';
import type { Clock } from '../core/ports.js';

export type RetryKind = 'throttling' | 'server' | 'in-use' | 'iam-propagation' | 'busy';

const THROTTLING_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ThrottledException',
  'SlowDown',
]);

/** Texts Lambda answers with while a role or its fresh policy has not propagated yet. */
const IAM_PROPAGATION_TEXTS = [
  'cannot be assumed by lambda',
  'execution role does not have permissions',
  'ensure the role can perform',
  'role defined for the function cannot be assumed',
];

const NETWORK_CODES = new Set(['TimeoutError', 'RequestTimeout', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'NetworkingError']);

function codeOf(e: unknown): string {
  if (isEsmctlError(e)) return e.awsCode ?? e.code;
  const r = e as { name?: string; code?: string } | undefined;
  return r?.name ?? r?.code ?? '';
}

function statusOf(e: unknown): number | undefined {
  return isEsmctlError(e) ? e.httpStatus : undefined;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The UUID a ResourceConflictException names ("… Please update or delete the existing mapping with UUID x"). */
export function conflictUuid(e: unknown): string | undefined {
  if (!isConflict(e)) return undefined;
  return /UUID\s+([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i.exec(messageOf(e))?.[1];
}

/** Lambda's 409. Other services' 409s (IAM LimitExceeded, EntityAlreadyExists) are not conflicts to retry or adopt. */
export function isConflict(e: unknown): boolean {
  return codeOf(e) === 'ResourceConflictException';
}

export function isAccessDenied(e: unknown): boolean {
  const c = codeOf(e);
  return c === 'AccessDeniedException' || c === 'AccessDenied' || c === 'UnauthorizedOperation';
}

/** Why an error is worth retrying, or null when it fails the action at once. */
export function retryKindOf(e: unknown): RetryKind | null {
  const code = codeOf(e);
  const status = statusOf(e);
  if (THROTTLING_CODES.has(code) || status === 429) return 'throttling';
  if (code === 'ResourceInUseException') return 'in-use';
  if (code === 'InvalidParameterValueException') {
    const m = messageOf(e).toLowerCase();
    return IAM_PROPAGATION_TEXTS.some((t) => m.includes(t)) ? 'iam-propagation' : null;
  }
  if (isConflict(e)) return conflictUuid(e) ? null : 'busy';
  // IAM answers ConcurrentModification (409) while another write to the same entity is in flight.
  if (code === 'ConcurrentModificationException' || code === 'ConcurrentModification') return 'busy';
  if ((status !== undefined && status >= 500) || code === 'ServiceException' || NETWORK_CODES.has(code)) return 'server';
  return null;
}

export interface RetryOptions {
  clock: Clock;
  /** Time budget per kind, from the first error of that kind. */
  budgetMs?: Partial<Record<RetryKind, number>>;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each wait (for events). */
  onRetry?: (info: { kind: RetryKind; attempt: number; delayMs: number; error: unknown }) => void;
  random?: () => number;
}

export const DEFAULT_RETRY_BUDGET_MS: Record<RetryKind, number> = {
  throttling: 120_000,
  server: 60_000,
  'in-use': 120_000,
  'iam-propagation': 120_000,
  busy: 120_000,
};

/** Full-jitter exponential backoff, between half and all of base·2^attempt, capped. */
export function backoffDelay(attempt: number, base: number, cap: number, random: () => number = Math.random): number {
  const ceiling = Math.min(cap, base * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Runs `fn`, retrying the retryable errors within their time budget; other errors propagate at once. */
export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const firstAt = new Map<RetryKind, number>();
  const budget = { ...DEFAULT_RETRY_BUDGET_MS, ...opts.budgetMs };
  let attempt = 0;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      const kind = retryKindOf(e);
      if (!kind) throw e;
      const now = opts.clock.now().getTime();
      const since = firstAt.get(kind) ?? now;
      firstAt.set(kind, since);
      const backoff = backoffDelay(attempt, opts.baseDelayMs ?? 250, opts.maxDelayMs ?? 10_000, opts.random);
      const retryAfter = isEsmctlError(e) ? e.retryAfterMs : undefined;
      const delayMs = kind === 'throttling' && retryAfter !== undefined ? Math.max(retryAfter, 50) : backoff;
      if (now + delayMs - since > budget[kind]) {
        if (isEsmctlError(e)) throw e;
        throw new EsmctlError('apply.retries-exhausted', `${kind} retries exhausted: ${messageOf(e)}`, { source: 'aws', cause: e });
      }
      attempt++;
      opts.onRetry?.({ kind, attempt, delayMs, error: e });
      await opts.clock.sleep(delayMs);
    }
  }
}
