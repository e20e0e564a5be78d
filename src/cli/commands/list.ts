// `esmctl list [--function NAME] [--source ARN|SERVERS] [--set NAME] [--json]`: the Kafka event source mappings of
// the region with their state and esmctl owner (set/mapping), one per line; read-only.

import type { Command } from 'commander';
import { addAwsOptions, cliContext, printOut, type AwsOptions } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';

interface ListFlags extends AwsOptions {
  function?: string;
  source?: string;
  set?: string;
  json?: boolean;
}

export function registerList(program: Command): void {
  addAwsOptions(
    program
      .command('list')
      .description('List the Kafka event source mappings in the region, with state and esmctl owner')
      .option('--function <name>', 'only mappings of this function (name, name:alias or ARN)')
      .option('--source <arn|servers>', 'only mappings of this MSK cluster ARN, or these bootstrap servers (comma-separated)')
      .option('--set <name>', 'only mappings owned by this esmctl set')
      .option('--json', 'print { region, mappings } as JSON'),
  ).action(async (flags: ListFlags, cmd: Command) => {
    const ctx = cliContext(cmd, flags);
    const { listMappings } = await import('../../service/list.js');
    try {
      const out = await listMappings({ functionName: flags.function, source: flags.source, set: flags.set, region: flags.region }, ctx.deps);
      if (flags.json) {
        printOut(ctx.term, JSON.stringify(out, null, 2));
      } else if (out.mappings.length === 0) {
        printOut(ctx.term, `No Kafka event source mappings match in ${out.region}.`);
      } else {
        const c = ctx.term.c;
        const rows = out.mappings.map((m) => [
          m.uuid,
          m.state,
          m.functionArn.replace(/^arn:[^:]+:lambda:[^:]+:\d+:function:/, ''),
          m.source.kind === 'msk' ? m.source.arn.replace(/^arn:[^:]+:kafka:[^:]+:\d+:cluster\//, 'msk:') : m.source.bootstrapServers.join(','),
          m.topic,
          m.owner ? `${m.owner.set}/${m.owner.mapping ?? '?'}` : '(unmanaged)',
        ]);
        const header = ['UUID', 'STATE', 'FUNCTION', 'SOURCE', 'TOPIC', 'OWNER'];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
        const line = (r: string[]) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]))).join('  ');
        printOut(ctx.term, [c.bold(line(header)), ...rows.map(line)].join('\n'));
        ctx.host.writeLine(`${out.mappings.length} Kafka mapping(s) in ${out.region}`);
      }
      process.exitCode = EXIT_OK;
    } finally {
      ctx.host.close();
    }
  });
}
