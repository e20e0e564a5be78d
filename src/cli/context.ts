// What every AWS-facing command builds at its root: the terminal, the TerminalHost and the ServiceDeps whose
// ports factory imports src/aws lazily (start-up stays fast for commands that never call AWS).

import type { Command } from 'commander';
import type { AwsPorts } from '../core/ports.js';
import type { ServiceDeps } from '../service/types.js';
import { TerminalHost, type TerminalHostOptions } from './host.js';
import { processTerminal, type Terminal } from './terminal.js';

export interface AwsOptions {
  region?: string;
  profile?: string;
}

export interface GlobalOptions {
  debug?: boolean;
  color?: boolean;
}

/** Adds --region and --profile to a command that talks to AWS. */
export function addAwsOptions(cmd: Command): Command {
  return cmd
    .option('--region <region>', 'AWS region (default: the spec\'s region, then AWS_REGION / the profile)')
    .option('--profile <name>', 'AWS shared-config profile (default: AWS_PROFILE or the default chain)');
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

export interface CliContext {
  term: Terminal;
  host: TerminalHost;
  deps: ServiceDeps;
  debug: boolean;
}

export function cliContext(cmd: Command, aws: AwsOptions, hostOptions: TerminalHostOptions = {}): CliContext {
  const g = globalOptions(cmd);
  const term = processTerminal({ color: g.color });
  const debug = g.debug === true;
  const host = new TerminalHost(term, { debug, ...hostOptions });
  const ports = async (specRegion?: string): Promise<AwsPorts> => {
    const { createAwsPorts } = await import('../aws/index.js');
    return createAwsPorts({ region: aws.region, profile: aws.profile, specRegion });
  };
  return { term, host, deps: { host, ports }, debug };
}

/** Writes text to stdout with exactly one trailing newline. */
export function printOut(term: Terminal, text: string): void {
  term.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
