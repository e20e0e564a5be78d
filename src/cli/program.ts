// The commander program: one registrar per command (src/cli/commands/<name>.ts), added here in help order.
// Commands are thin: they parse flags, build ports at the root, call the service layer and render.

import { Command } from 'commander';
import { registerValidate } from './commands/validate.js';
import { registerPlan } from './commands/plan.js';
import { registerApply } from './commands/apply.js';
import { registerDrift } from './commands/drift.js';
import { registerExport } from './commands/export.js';
import { registerList } from './commands/list.js';
import { registerMcp } from './commands/mcp.js';
import { registerKafka } from './commands/kafka.js';
import { registerSandbox } from './commands/sandbox.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('esmctl')
    .description('Plan and apply AWS Lambda event source mappings for Kafka (Amazon MSK and self-managed).')
    .version('0.1.0')
    .option('--debug', 'show stack traces for internal errors')
    .option('--no-color', 'never colour the output (NO_COLOR=1 does the same)')
    .showHelpAfterError();
  // registrars:
  registerValidate(program);
  registerPlan(program);
  registerApply(program);
  registerDrift(program);
  registerExport(program);
  registerList(program);
  registerMcp(program);
  registerKafka(program);
  registerSandbox(program);
  return program;
}
