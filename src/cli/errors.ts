// Printing errors by audience: `user` gets one line and a hint; `aws` adds AWS's error code (and HTTP status);
// `internal` (and anything unexpected) says it is a bug and shows the stack only with --debug.

import { isEsmctlError } from '../core/errors.js';
import type { Colors } from './terminal.js';

export function formatError(e: unknown, opts: { debug: boolean; c: Colors }): string {
  const { c } = opts;
  const lines: string[] = [];
  if (isEsmctlError(e)) {
    if (e.source === 'internal') {
      lines.push(`${c.red(c.bold('Error:'))} internal error: ${e.message}`);
      if (!opts.debug) lines.push(`  This is a bug in esmctl; run again with --debug to see the stack trace.`);
    } else {
      lines.push(`${c.red(c.bold('Error:'))} ${e.message}`);
      if (e.source === 'aws' && e.awsCode) {
        lines.push(`  AWS error: ${e.awsCode}${e.httpStatus !== undefined ? ` (HTTP ${e.httpStatus})` : ''}`);
      }
    }
    if (e.hint) lines.push(`  ${c.cyan('Hint:')} ${e.hint}`);
    if (opts.debug || e.source === 'internal') {
      if (opts.debug) lines.push(...stackLines(e));
    }
  } else {
    const err = e instanceof Error ? e : new Error(String(e));
    lines.push(`${c.red(c.bold('Error:'))} internal error: ${err.message}`);
    if (opts.debug) lines.push(...stackLines(err));
    else lines.push(`  This is a bug in esmctl; run again with --debug to see the stack trace.`);
  }
  return lines.join('\n');
}

function stackLines(e: Error): string[] {
  const out = [e.stack ?? String(e)];
  let cause = (e as { cause?: unknown }).cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    out.push(`Caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
    cause = cause instanceof Error ? (cause as { cause?: unknown }).cause : undefined;
  }
  return out;
}
