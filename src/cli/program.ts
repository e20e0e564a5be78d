// The commander program: one registrar per command (src/cli/commands/<name>.ts), added here in help order.
// Commands are thin: they parse flags, build ports at the root, call the service layer and render.

import { Command } from 'commander';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('esmctl')
    .description('Plan and apply AWS Lambda event source mappings for Kafka (Amazon MSK and self-managed).')
    .version('0.1.0')
    .option('--debug', 'show stack traces for internal errors')
    .showHelpAfterError();
  // registrars:
  return program;
}
