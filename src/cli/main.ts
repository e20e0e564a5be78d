// Entry point of the esmctl binary: runs the commander program and maps errors to exit codes
// (0 ok / no changes, 1 error, 2 changes — as Terraform's -detailed-exitcode).

import { buildProgram } from './program.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const program = buildProgram();
program.exitOverride();
try {
  await program.parseAsync(process.argv);
} catch (e) {
  const err = e as { code?: string; exitCode?: number };
  if (typeof err.code === 'string' && err.code.startsWith('commander.')) {
    process.exitCode = err.exitCode ?? 1;
  } else {
    throw e;
  }
}
