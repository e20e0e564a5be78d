// `esmctl drift [PATH...]`: the plan read for CI — a report focused on what changed outside esmctl, exit 2 when
// anything differs from the spec, 0 when nothing does; --markdown for a pull-request or issue comment.

import type { Command } from 'commander';
import { addAwsOptions, cliContext, printOut, type AwsOptions } from '../context.js';
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from '../exit-codes.js';
import { exclusive } from '../parse.js';
import { printProblems, specPaths } from '../spec-output.js';

interface DriftFlags extends AwsOptions {
  json?: boolean;
  markdown?: boolean;
}

export function registerDrift(program: Command): void {
  addAwsOptions(
    program
      .command('drift')
      .description('Check whether AWS still matches the spec (for CI): exit 0 when it does, 2 when anything differs')
      .argument('[paths...]', 'spec files or directories (default: the current directory)')
      .option('--markdown', 'print the report as markdown (to post as a comment)')
      .option('--json', 'print { differs, drifted, pending, plan } as JSON'),
  ).action(async (paths: string[], flags: DriftFlags, cmd: Command) => {
    exclusive({ '--json': flags.json, '--markdown': flags.markdown });
    const ctx = cliContext(cmd, flags);
    const { renderDriftMarkdown, renderDriftText, renderPlanJson } = await import('../../render/index.js');
    const { driftSpecs } = await import('../../service/drift.js');
    try {
      const out = await driftSpecs({ spec: { paths: specPaths(paths) } }, ctx.deps);
      if (out.kind === 'problems') {
        await printProblems(ctx.term, out.problems);
        process.exitCode = EXIT_ERROR;
        return;
      }
      if (flags.json) {
        const model = {
          formatVersion: 1,
          differs: out.differs,
          drifted: out.drifted,
          pending: out.pending,
          plan: JSON.parse(renderPlanJson(out.plan)) as unknown,
        };
        printOut(ctx.term, JSON.stringify(model, null, 2));
      } else if (flags.markdown) {
        printOut(ctx.term, renderDriftMarkdown(out.plan));
      } else {
        printOut(ctx.term, renderDriftText(out.plan, { color: ctx.term.color }));
      }
      process.exitCode = out.differs ? EXIT_CHANGES : EXIT_OK;
    } finally {
      ctx.host.close();
    }
  });
}
