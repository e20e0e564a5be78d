// `esmctl apply [PATH... | plan.json]`: plan, show, ask `yes` on a TTY (or --auto-approve), apply with progress on
// stderr and the report on stdout; a saved plan is applied as saved after a freshness check, or refused.

import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { assertNever, userError } from '../../core/errors.js';
import type { ApplyOutcome } from '../../service/types.js';
import { addAwsOptions, cliContext, printOut, type AwsOptions, type CliContext } from '../context.js';
import { EXIT_ERROR, EXIT_OK } from '../exit-codes.js';
import { parseDuration, parsePositiveInt } from '../parse.js';
import { printProblems, specPaths } from '../spec-output.js';

type Renderers = typeof import('../../render/index.js');

interface ApplyFlags extends AwsOptions {
  autoApprove?: boolean;
  parallelism?: string;
  json?: boolean;
  timeout?: string;
  deleteTimeout?: string;
  replaceOnBatchingWindowReset?: boolean;
}

export function registerApply(program: Command): void {
  addAwsOptions(
    program
      .command('apply')
      .description('Apply the spec (or a plan saved with `esmctl plan --out FILE`) to AWS')
      .argument('[paths...]', 'spec files or directories (default: the current directory), or one saved plan file')
      .option('--auto-approve', 'apply without asking (required when stdin is not a terminal)')
      .option('--parallelism <n>', 'how many actions run at once (default 8)')
      .option('--json', 'print the outcome and the apply report as JSON on stdout')
      .option('--timeout <duration>', 'how long to wait for a create or update to settle (default 10m)')
      .option('--delete-timeout <duration>', 'how long to wait for a delete to finish (default 5m)')
      .option('--replace-on-batching-window-reset', 'replace mappings whose batching window the spec leaves out but AWS has set'),
  ).action(async (paths: string[], flags: ApplyFlags, cmd: Command) => {
    const options = {
      parallelism: flags.parallelism === undefined ? undefined : parsePositiveInt('--parallelism', flags.parallelism, 64),
      createTimeoutMs: flags.timeout === undefined ? undefined : parseDuration('--timeout', flags.timeout),
      deleteTimeoutMs: flags.deleteTimeout === undefined ? undefined : parseDuration('--delete-timeout', flags.deleteTimeout),
    };
    const render = await import('../../render/index.js');
    const { applySavedPlan, applySpecs } = await import('../../service/apply.js');
    const { planSummaryLine } = await import('../../service/plan.js');
    const { isSavedPlanText, readSavedPlan } = await import('../../service/saved-plan.js');
    const savedFile = await savedPlanArg(paths, isSavedPlanText);
    const ctx = cliContext(cmd, flags, {
      onPlan: (plan, saved) => {
        if (flags.json) return;
        if (saved) ctx.host.writeLine(`The saved plan is still fresh. ${planSummaryLine(plan)}`);
        else printOut(ctx.term, render.renderPlanText(plan, { color: ctx.term.color }));
      },
    });
    if (!savedFile && !flags.autoApprove && ctx.term.stdin.isTTY !== true) {
      throw userError(
        'cli.approval_needed',
        'apply needs your approval, and stdin is not a terminal to ask on',
        'Run it in a terminal to review the plan and answer yes, or pass --auto-approve (CI), or apply a saved plan: esmctl plan --out plan.json, then esmctl apply plan.json.',
      );
    }
    ctx.host.handleInterrupts();
    try {
      const out = savedFile
        ? await applySavedPlan({ saved: await readSavedPlan(savedFile), ...options }, ctx.deps)
        : await applySpecs(
            {
              spec: { paths: specPaths(paths) },
              autoApprove: flags.autoApprove === true,
              replaceOnBatchingWindowReset: flags.replaceOnBatchingWindowReset === true,
              ...options,
            },
            ctx.deps,
          );
      process.exitCode = await report(ctx, render, out, flags.json === true, savedFile);
    } finally {
      ctx.host.close();
    }
  });
}

/** The one saved-plan file among the arguments, if that is what was given. */
async function savedPlanArg(paths: string[], isSavedPlanText: (text: string) => boolean): Promise<string | undefined> {
  if (paths.length !== 1) return undefined;
  const p = paths[0];
  const st = await stat(p).catch(() => undefined);
  if (!st?.isFile()) return undefined;
  if (p.endsWith('.yaml') || p.endsWith('.yml')) return undefined;
  const text = await readFile(p, 'utf8');
  if (isSavedPlanText(text)) return p;
  if (/^\s*\{/.test(text) && /"formatVersion"\s*:/.test(text) && /"actions"\s*:/.test(text)) {
    throw userError(
      'plan_file.not_saved',
      `${p} is the output of \`esmctl plan --json\`, not a saved plan`,
      `Save a plan apply can check and run with: esmctl plan PATH... --out ${p}`,
    );
  }
  return undefined;
}

async function report(ctx: CliContext, render: Renderers, out: ApplyOutcome, json: boolean, savedFile: string | undefined): Promise<number> {
  if (out.kind === 'problems') {
    await printProblems(ctx.term, out.problems);
    if (json) printOut(ctx.term, JSON.stringify({ formatVersion: 1, outcome: 'problems', problems: out.problems.length }, null, 2));
    return EXIT_ERROR;
  }
  const plan = JSON.parse(render.renderPlanJson(out.plan)) as unknown;
  const c = ctx.term.c;
  switch (out.kind) {
    case 'no-changes':
      if (json) printOut(ctx.term, JSON.stringify({ formatVersion: 1, outcome: 'no-changes', plan }, null, 2));
      else printOut(ctx.term, c.green('No changes. The live mappings match the spec; nothing to apply.'));
      return EXIT_OK;
    case 'declined':
      if (json) printOut(ctx.term, JSON.stringify({ formatVersion: 1, outcome: 'declined', plan }, null, 2));
      else ctx.host.writeLine('Apply cancelled; nothing was changed.');
      return EXIT_ERROR;
    case 'stale': {
      if (json) printOut(ctx.term, JSON.stringify({ formatVersion: 1, outcome: 'stale', changes: out.changes, plan }, null, 2));
      const cErr = ctx.term.cErr;
      const lines = [
        `${cErr.red(cErr.bold('Error:'))} the saved plan is stale: the spec or AWS changed since it was made. Nothing was changed.`,
        ...out.changes.map((l) => `  - ${l}`),
        `  ${cErr.cyan('Hint:')} plan again: esmctl plan --out ${savedFile ?? 'plan.json'}, review it, then esmctl apply ${savedFile ?? 'plan.json'}`,
      ];
      ctx.host.writeLine(lines.join('\n'));
      return EXIT_ERROR;
    }
    case 'applied':
      if (json) {
        const r = JSON.parse(render.renderApplyReportJson(out.report)) as unknown;
        printOut(ctx.term, JSON.stringify({ formatVersion: 1, outcome: out.report.ok ? 'applied' : 'failed', plan, report: r }, null, 2));
      } else {
        printOut(ctx.term, `\n${render.renderApplyReportText(out.report, { color: ctx.term.color })}`);
      }
      return out.report.ok ? EXIT_OK : EXIT_ERROR;
    default:
      return assertNever(out, "apply outcome");
  }
}

