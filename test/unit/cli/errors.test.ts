// How the CLI prints errors for their audience: user (one line + hint), aws (+ AWS code and HTTP status),
// internal and unexpected errors (a bug notice; the stack only with --debug). Colour off, so text is exact.

import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { EsmctlError, userError } from '../../../src/core/errors.js';
import { formatError } from '../../../src/cli/errors.js';
import { colorAllowed } from '../../../src/cli/terminal.js';

const c = pc.createColors(false);

describe('formatError', () => {
  it('prints a user error as one line and its hint, never a stack', () => {
    const text = formatError(userError('spec.no_paths', 'no spec paths given', 'Pass a file.'), { debug: false, c });
    expect(text).toBe('Error: no spec paths given\n  Hint: Pass a file.');
  });

  it('adds the AWS error code and HTTP status to an AWS error', () => {
    const e = new EsmctlError('aws.AccessDeniedException', 'PutRolePolicy: AccessDeniedException: not authorized', {
      source: 'aws',
      awsCode: 'AccessDeniedException',
      httpStatus: 403,
      hint: 'Grant iam:PutRolePolicy to the identity running esmctl.',
    });
    expect(formatError(e, { debug: false, c })).toBe(
      'Error: PutRolePolicy: AccessDeniedException: not authorized\n  AWS error: AccessDeniedException (HTTP 403)\n  Hint: Grant iam:PutRolePolicy to the identity running esmctl.',
    );
  });

  it.each([
    ['an internal EsmctlError', new EsmctlError('internal.unreachable', 'unexpected kind', { source: 'internal' })],
    ['an unexpected exception', new TypeError("Cannot read properties of undefined (reading 'uuid')")],
  ])('prints %s as a bug, with the stack only under --debug', (_name, e) => {
    const plain = formatError(e, { debug: false, c });
    expect(plain).toMatch(/^Error: internal error: /);
    expect(plain).toContain('run again with --debug');
    expect(plain).not.toMatch(/\n\s+at /);
    const debug = formatError(e, { debug: true, c });
    expect(debug).toMatch(/\n\s+at /);
  });

  it('shows the cause of an error under --debug', () => {
    const cause = new Error('socket hang up');
    const e = new EsmctlError('aws.NetworkingError', 'ListEventSourceMappings failed', { source: 'aws', cause });
    expect(formatError(e, { debug: true, c })).toContain('Caused by: Error: socket hang up');
    expect(formatError(e, { debug: false, c })).not.toContain('socket hang up');
  });
});

describe('colorAllowed', () => {
  it.each([
    [{}, undefined, true],
    [{ NO_COLOR: '1' }, undefined, false],
    [{ NO_COLOR: '' }, undefined, true],
    [{}, false, false],
  ] as const)('env %j, --color %s → %s', (env, flag, allowed) => {
    expect(colorAllowed(env as NodeJS.ProcessEnv, flag)).toBe(allowed);
  });
});
