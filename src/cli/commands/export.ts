// `esmctl export [--function NAME] [--source ARN|SERVERS] [--set NAME] [--out FILE]`: write existing Kafka
// mappings as an esmctl/v1 spec; applying it adopts them and the next plan shows no changes.

import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { addAwsOptions, cliContext, printOut, type AwsOptions } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';

interface ExportFlags extends AwsOptions {
  function?: string;
  source?: string;
  set?: string;
  out?: string;
}

export function registerExport(program: Command): void {
  addAwsOptions(
    program
      .command('export')
      .description('Write existing Kafka event source mappings as an esmctl spec (apply it to adopt them)')
      .option('--function <name>', 'only mappings of this function (name, name:alias or ARN)')
      .option('--source <arn|servers>', 'only mappings of this MSK cluster ARN, or these bootstrap servers (comma-separated)')
      .option('--set <name>', 'set name to write (default: the set that owns them, else "exported")')
      .option('--out <file>', 'write the spec to FILE instead of stdout'),
  ).action(async (flags: ExportFlags, cmd: Command) => {
    const ctx = cliContext(cmd, flags);
    const { exportMappings } = await import('../../service/export.js');
    try {
      const out = await exportMappings({ functionName: flags.function, source: flags.source, set: flags.set }, ctx.deps);
      for (const s of out.skipped) ctx.host.writeLine(`${ctx.term.cErr.yellow('Skipped')} ${s.uuid}: ${s.reason}`);
      if (flags.out) {
        await writeFile(flags.out, out.yaml, 'utf8');
        ctx.host.writeLine(
          `Wrote ${out.exported.length} mapping(s) of set ${out.set} (${out.region}) to ${flags.out}. Next: esmctl plan ${flags.out}, then esmctl apply ${flags.out} to adopt them.`,
        );
      } else {
        printOut(ctx.term, out.yaml);
      }
      process.exitCode = EXIT_OK;
    } finally {
      ctx.host.close();
    }
  });
}
