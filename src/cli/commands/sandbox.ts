// `esmctl sandbox [--port 4566] [--seed FILE] [--state-delay MS] [--kafka] [faults]`: runs the local AWS emulation in the
// foreground, prints the environment to export on stdout (details on stderr), and stops on Ctrl-C.

import type { Command } from 'commander';
import { userError } from '../../core/errors.js';

interface SandboxFlags {
  port: string;
  seed?: string;
  stateDelay: string;
  kafka?: boolean;
  partitions?: string;
  latency?: string;
  errorRate?: string;
  rateLimit: string[];
  deny: string[];
  caOut?: string;
}

/** `Operation=N` (or `service:Operation=N`, `*=N`): N requests per second. */
function rateLimits(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) {
    const m = /^([A-Za-z*][\w:*-]*)=(\d+(?:\.\d+)?)$/.exec(v.trim());
    if (!m) throw userError('cli.bad_rate_limit', `--rate-limit: '${v}' is not Operation=requestsPerSecond`, 'e.g. --rate-limit ListEventSourceMappings=5 or --rate-limit iam:GetRole=1');
    out[m[1]] = Number(m[2]);
  }
  return out;
}

function wholeNumber(flag: string, value: string, max: number): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n) || n > max) throw userError('cli.bad_number', `${flag}: '${value}' is not a whole number from 0 to ${max}`);
  return n;
}

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('Run the local AWS emulation (Lambda, IAM, STS, MSK, Secrets Manager) for trying esmctl without an AWS account')
    .option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', '4566')
    .option('--seed <file>', 'seed YAML declaring functions, roles, clusters, secrets and mappings (e.g. examples/sandbox.yaml)')
    .option('--state-delay <ms>', 'how long mapping state transitions (Creating, Updating, Deleting, …) take, in ms', '1000')
    .option('--kafka', 'also run the sandbox Kafka broker and the emulated Lambda poller')
    .option('--partitions <n>', 'partitions of topics the sandbox broker creates (with --kafka)')
    .option('--latency <ms>', 'add this many ms to every AWS request')
    .option('--error-rate <fraction>', 'answer this share (0 to 1) of AWS requests with the service\'s 5xx error')
    .option('--deny <Operation>', 'answer an operation (e.g. iam:PutRolePolicy) with AccessDenied, as for a caller lacking it (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--ca-out <file>', 'with --kafka: where to write the broker CA certificate (PEM) for TLS clients (default: a file in the temp folder)')
    .option('--rate-limit <Operation=N>', 'allow N requests per second of an operation, then throttle (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (flags: SandboxFlags) => {
      const port = wholeNumber('--port', flags.port, 65535);
      const stateDelayMs = wholeNumber('--state-delay', flags.stateDelay, 3_600_000);
      const partitions = flags.partitions === undefined ? undefined : wholeNumber('--partitions', flags.partitions, 1000);
      if (partitions !== undefined && !flags.kafka) throw userError('cli.flag_needs_kafka', '--partitions needs --kafka');
      if (partitions === 0) throw userError('cli.bad_number', '--partitions: must be at least 1');
      const latencyMs = flags.latency === undefined ? undefined : wholeNumber('--latency', flags.latency, 600_000);
      const errorRate = flags.errorRate === undefined ? undefined : Number(flags.errorRate);
      if (errorRate !== undefined && !(/^\s*\d*\.?\d+\s*$/.test(flags.errorRate!) && errorRate >= 0 && errorRate <= 1)) {
        throw userError('cli.bad_number', `--error-rate: '${flags.errorRate}' is not a fraction from 0 to 1`, 'e.g. --error-rate 0.1 answers one request in ten with a 5xx error');
      }
      const faults = { latencyMs, errorRate, rateLimits: rateLimits(flags.rateLimit), deny: flags.deny };
      const sandbox = await import('../../sandbox/index.js');
      let seed: import('../../sandbox/index.js').SandboxSeed = {};
      if (flags.seed !== undefined) {
        try {
          seed = sandbox.loadSeedFile(flags.seed);
        } catch (e) {
          if (e instanceof sandbox.SeedError) throw userError('sandbox.bad_seed', e.message, 'See the sandbox section of the README for the seed format, or start from examples/sandbox.yaml.');
          throw e;
        }
      }
      let running: Awaited<ReturnType<typeof sandbox.startSandbox>>;
      try {
        running = await sandbox.startSandbox({ port, seed: flags.seed ?? seed, stateDelayMs, faults, kafka: flags.kafka ? { partitions } : false });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw userError('sandbox.port_in_use', `port ${port} on 127.0.0.1 is already in use`, 'Choose another with --port, or --port 0 for a free one.');
        if (e instanceof sandbox.SeedError) throw userError('sandbox.bad_seed', e.message, 'Each seeded mapping must be a valid CreateEventSourceMapping request.');
        throw e;
      }
      const count = (n: number | undefined, what: string) => `${n ?? 0} ${what}${n === 1 ? '' : 's'}`;
      process.stderr.write(
        `esmctl sandbox listening on ${running.url} (region ${running.env.AWS_REGION}); Ctrl-C stops it.\n` +
          `seeded ${count(seed.functions?.length, 'function')}, ${count(seed.roles?.length, 'role')}, ${count(seed.clusters?.length, 'cluster')}, ` +
          `${count(seed.secrets?.length, 'secret')}, ${count(seed.mappings?.length, 'mapping')}${flags.seed ? ` from ${flags.seed}` : ' (no --seed: empty account)'}\n` +
          `control API: ${running.url}/_sandbox/health, /_sandbox/requests, /_sandbox/faults, /_sandbox/reset\n` +
          (latencyMs || errorRate || flags.rateLimit.length || flags.deny.length ? `faults: ${JSON.stringify(running.control.faults())}\n` : ''),
      );
      if (running.kafka) {
        const l = running.kafka.listeners;
        const parts = Object.entries(l).map(([k, v]) => `${k} ${v}`);
        process.stderr.write(`Kafka broker listeners: ${parts.join(', ')}\n`);
        const { writeFileSync } = await import('node:fs');
        const { join } = await import('node:path');
        const { tmpdir } = await import('node:os');
        const caFile = flags.caOut ?? join(tmpdir(), `esmctl-sandbox-ca-${new URL(running.url).port}.pem`);
        writeFileSync(caFile, running.kafka.caPem);
        process.stderr.write(
          `Kafka broker CA (generated at start): ${caFile}\n` +
            `  use it as: esmctl kafka test-connection --ca-file ${caFile} …  or  kcat -X security.protocol=ssl -X ssl.ca.location=${caFile} …\n`,
        );
      }
      process.stdout.write(`${Object.entries(running.env).map(([k, v]) => `export ${k}=${v}`).join('\n')}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await running.stop();
      process.stderr.write('esmctl sandbox stopped.\n');
    });
}
