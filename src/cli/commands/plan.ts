// `esmctl plan [PATH...]`: read AWS, diff against the spec and show the plan (text, --json, --markdown);
// --out saves it for `esmctl apply FILE`; --detailed-exitcode exits 2 when there are changes.

import type { Command } from 'commander';
import { addAwsOptions, cliContext, printOut, type AwsOptions } from '../context.js';
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from '../exit-codes.js';
import { exclusive } from '../parse.js';
import { printProblems, specPaths } from '../spec-output.js';

// Service and render modules load when the command runs (the CLI starts fast for every other command).

interface PlanFlags extends AwsOptions {
  json?: boolean;
  markdown?: boolean;
  out?: string;
  detailedExitcode?: boolean;
  replaceOnBatchingWindowReset?: boolean;
}

export function registerPlan(program: Command): void {
  addAwsOptions(
    program
      .command('plan')
      .description('Show what apply would change: read the live Kafka mappings and IAM, diff them against the spec')
      .argument('[paths...]', 'spec files or directories (default: the current directory)')
      .option('--json', 'print the plan as JSON (format version 1, schemas/plan.schema.json)')
      .option('--markdown', 'print the plan as markdown (for a pull-request comment)')
      .option('--out <file>', 'save the plan to FILE for `esmctl apply FILE`')
      .option('--detailed-exitcode', 'exit 0 with no changes, 2 with changes, 1 on error')
      .option('--replace-on-batching-window-reset', 'replace mappings whose batching window the spec leaves out but AWS has set'),
  ).action(async (paths: string[], flags: PlanFlags, cmd: Command) => {
    exclusive({ '--json': flags.json, '--markdown': flags.markdown });
    const ctx = cliContext(cmd, flags);
    const { renderPlanJson, renderPlanMarkdown, renderPlanText } = await import('../../render/index.js');
    const { planSpecs } = await import('../../service/plan.js');
    const { toSavedPlan, writeSavedPlan } = await import('../../service/saved-plan.js');
    try {
      const options = { replaceOnBatchingWindowReset: flags.replaceOnBatchingWindowReset === true };
      const out = await planSpecs({ spec: { paths: specPaths(paths) }, ...options }, ctx.deps);
      if (out.kind === 'problems') {
        await printProblems(ctx.term, out.problems);
        process.exitCode = EXIT_ERROR;
        return;
      }
      const { plan } = out;
      if (flags.json) printOut(ctx.term, renderPlanJson(plan));
      else if (flags.markdown) printOut(ctx.term, renderPlanMarkdown(plan));
      else printOut(ctx.term, renderPlanText(plan, { color: ctx.term.color }));
      if (flags.out) {
        await writeSavedPlan(flags.out, toSavedPlan(out, options, new Date()));
        ctx.host.writeLine(`Saved the plan to ${flags.out}. To apply exactly this plan, run: esmctl apply ${flags.out}`);
      }
      process.exitCode = flags.detailedExitcode && plan.actions.length > 0 ? EXIT_CHANGES : EXIT_OK;
    } finally {
      ctx.host.close();
    }
  });
}
