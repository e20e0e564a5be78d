// The executor's retry policy as a table: which AWS answers are retried (and within what budget), which fail at
// once, and that Retry-After is honoured. Errors are built the way classifyAwsError builds them from SDK errors.

import { describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../src/aws/index.js';
import { EsmctlError } from '../../src/core/errors.js';
import type { Clock } from '../../src/core/ports.js';
import { backoffDelay, retryKindOf, validateActionGraph, withRetry } from '../../src/apply/index.js';

/** An SDK-shaped error, as the AWS SDK throws it. */
function sdkError(name: string, status: number, message: string, headers: Record<string, string> = {}) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status }, $response: { statusCode: status, headers } });
}

const CASES: Array<[string, unknown, ReturnType<typeof retryKindOf>]> = [
  ['Lambda throttling', sdkError('TooManyRequestsException', 429, 'Rate exceeded'), 'throttling'],
  ['IAM throttling', sdkError('Throttling', 400, 'Rate exceeded'), 'throttling'],
  ['Lambda 5xx', sdkError('ServiceException', 500, 'internal'), 'server'],
  ['503', sdkError('ServiceUnavailableException', 503, 'try later'), 'server'],
  ['mapping between states', sdkError('ResourceInUseException', 400, 'The resource you requested is in use'), 'in-use'],
  [
    'role not assumable yet',
    sdkError('InvalidParameterValueException', 400, 'The role defined for the function cannot be assumed by Lambda.'),
    'iam-propagation',
  ],
  [
    'fresh policy not visible yet',
    sdkError('InvalidParameterValueException', 400, 'The provided execution role does not have permissions to call DescribeClusterV2 on Kafka'),
    'iam-propagation',
  ],
  ['409 without a UUID', sdkError('ResourceConflictException', 409, 'An update is in progress for resource'), 'busy'],
  [
    '409 naming a mapping',
    sdkError('ResourceConflictException', 409, 'An event source mapping with event source ("x") already exists. Please update or delete the existing mapping with UUID 6c1f0b8e-2d4a-4e31-9a55-0123456789ab'),
    null,
  ],
  ['bad value', sdkError('InvalidParameterValueException', 400, 'BatchSize must be <= 10000'), null],
  ['access denied', sdkError('AccessDeniedException', 403, 'not authorized to perform: lambda:CreateEventSourceMapping'), null],
  ['not found', sdkError('ResourceNotFoundException', 404, 'Function not found'), null],
  ['IAM quota (409, not a Lambda conflict)', sdkError('LimitExceededException', 409, 'Maximum policy size of 10240 bytes exceeded'), null],
  ['IAM concurrent write', sdkError('ConcurrentModificationException', 409, 'Concurrent modification of the role'), 'busy'],
  ['a user error', new EsmctlError('spec.bad', 'bad spec', { source: 'user' }), null],
];

describe('retryKindOf', () => {
  it.each(CASES)('%s', (_name, error, kind) => {
    expect(retryKindOf(classifyAwsError(error, 'lambda:CreateEventSourceMapping'))).toBe(kind);
  });
});

/** A clock that jumps instead of sleeping, recording each wait. */
function fakeClock(): Clock & { waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => new Date(now),
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
}

describe('withRetry', () => {
  it('honours Retry-After on throttling, then succeeds', async () => {
    const clock = fakeClock();
    let n = 0;
    const out = await withRetry(
      async () => {
        if (n++ < 2) throw classifyAwsError(sdkError('TooManyRequestsException', 429, 'Rate exceeded', { 'retry-after': '3' }));
        return 'ok';
      },
      { clock, random: () => 0.5 },
    );
    expect(out).toBe('ok');
    expect(clock.waits).toEqual([3000, 3000]);
  });

  it('retries IAM propagation errors for about two minutes, then gives up with the AWS error', async () => {
    const clock = fakeClock();
    const err = classifyAwsError(sdkError('InvalidParameterValueException', 400, 'The role defined for the function cannot be assumed by Lambda.'));
    await expect(withRetry(async () => Promise.reject(err), { clock, random: () => 1 })).rejects.toBe(err);
    const total = clock.waits.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(100_000);
    expect(total).toBeLessThanOrEqual(120_000);
  });

  it('fails at once on errors that are not retryable', async () => {
    const clock = fakeClock();
    const err = classifyAwsError(sdkError('InvalidParameterValueException', 400, 'BatchSize must be <= 10000'));
    await expect(withRetry(async () => Promise.reject(err), { clock })).rejects.toBe(err);
    expect(clock.waits).toEqual([]);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffDelay(0, 250, 10_000, () => 0)).toBe(125);
    expect(backoffDelay(0, 250, 10_000, () => 1)).toBe(250);
    expect(backoffDelay(3, 250, 10_000, () => 1)).toBe(2000);
    expect(backoffDelay(10, 250, 10_000, () => 1)).toBe(10_000);
    expect(backoffDelay(10, 250, 10_000, () => 0)).toBe(5_000);
  });
});

describe('classifyAwsError', () => {
  it('keeps the AWS code, status and Retry-After, adds a hint, and never re-wraps', () => {
    const e = classifyAwsError(sdkError('AccessDeniedException', 403, 'User x is not authorized to perform: iam:PutRolePolicy on resource: role r'), 'iam:PutRolePolicy');
    expect(e).toMatchObject({ source: 'aws', awsCode: 'AccessDeniedException', httpStatus: 403, code: 'aws.AccessDeniedException' });
    expect(e.hint).toContain('iam:PutRolePolicy');
    expect(classifyAwsError(e)).toBe(e);
    expect(classifyAwsError(sdkError('TooManyRequestsException', 429, 'Rate exceeded', { 'retry-after': '2' })).retryAfterMs).toBe(2000);
  });

  it('turns missing credentials into a user error with a hint', () => {
    const e = classifyAwsError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    expect(e).toMatchObject({ source: 'user', code: 'aws.credentials' });
    expect(e.hint).toMatch(/AWS_PROFILE/);
  });
});

describe('validateActionGraph (checked before the first change)', () => {
  const put = (id: string, dependsOn: string[] = []) =>
    ({ kind: 'delete-policy', id, address: `iam:${id}`, reason: 'r', dependsOn, roleName: 'r', policyName: 'p', before: { Version: '2012-10-17', Statement: [] } }) as const;

  it('accepts a DAG and refuses unknown dependencies, duplicates and cycles', () => {
    expect(() => validateActionGraph([put('a'), put('b', ['a'])])).not.toThrow();
    expect(() => validateActionGraph([put('a', ['ghost'])])).toThrow(/depends on ghost/);
    expect(() => validateActionGraph([put('a'), put('a')])).toThrow(/twice/);
    expect(() => validateActionGraph([put('a', ['b']), put('b', ['a'])])).toThrow(/cycle: a → b → a|cycle: b → a → b/);
  });
});
