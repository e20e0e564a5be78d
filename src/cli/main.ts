// Entry point of the esmctl binary: runs the commander program and maps errors to exit codes
// (0 ok / no changes, 1 error, 2 changes — as Terraform's -detailed-exitcode), printing errors by audience.

import { formatError } from './errors.js';
import { EXIT_ERROR } from './exit-codes.js';
import { buildProgram } from './program.js';
import { processTerminal } from './terminal.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const program = buildProgram();
program.exitOverride();
try {
  await program.parseAsync(process.argv);
} catch (e) {
  const err = e as { code?: string; exitCode?: number };
  if (typeof err.code === 'string' && err.code.startsWith('commander.')) {
    process.exitCode = err.exitCode ?? EXIT_ERROR;
  } else {
    const opts = program.opts() as { debug?: boolean; color?: boolean };
    const debug = opts.debug === true || process.argv.includes('--debug');
    const term = processTerminal({ color: opts.color });
    process.stderr.write(`${formatError(e, { debug, c: term.cErr })}\n`);
    process.exitCode = EXIT_ERROR;
  }
}
