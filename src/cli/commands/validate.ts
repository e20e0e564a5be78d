// `esmctl validate [PATH...]`: check specs offline (schema + Kafka ESM rules). Exit 0 with one summary line per
// set; exit 1 with every problem located as file:line:col (--json: the problems as a JSON array on stdout).

import type { Command } from 'commander';
import { globalOptions, printOut } from '../context.js';
import { EXIT_ERROR, EXIT_OK } from '../exit-codes.js';
import { printProblems, specPaths } from '../spec-output.js';
import { processTerminal } from '../terminal.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check spec files offline: schema, Kafka event source mapping rules, duplicates (no AWS access)')
    .argument('[paths...]', 'spec files or directories (default: the current directory); - reads one spec from stdin')
    .option('--json', 'print the problems as a JSON array (empty when valid)')
    .action(async (paths: string[], flags: { json?: boolean }, cmd: Command) => {
      const term = processTerminal({ color: globalOptions(cmd).color });
      const { validateSpecs, summarizeSet } = await import('../../service/validate.js');
      const { problemsToJson } = await import('../../spec/index.js');
      const spec = paths.length === 1 && paths[0] === '-' ? { text: await readStdin(), file: '<stdin>' } : { paths: specPaths(paths) };
      const out = await validateSpecs({ spec });
      if (flags.json) {
        printOut(term, JSON.stringify(problemsToJson(out.problems), null, 2));
      } else if (out.ok) {
        printOut(term, out.sets.map(summarizeSet).join('\n'));
      } else {
        await printProblems(term, out.problems);
      }
      process.exitCode = out.ok ? EXIT_OK : EXIT_ERROR;
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
