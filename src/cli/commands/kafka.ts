// `esmctl kafka test-connection | produce | validate | offsets`: the Kafka test tools on the command line.
// Settings come from flags, a config secret, a mapping, else a TTY prompt (hidden for secrets); --json everywhere.

import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { userError } from '../../core/errors.js';
import type { AskField, SettingName, SettingsAsker } from '../../kafka/index.js';
import type { KafkaServiceDeps } from '../../service/kafka.js';
import { addAwsOptions, cliContext, printOut, type AwsOptions } from '../context.js';
import { EXIT_ERROR, EXIT_OK } from '../exit-codes.js';
import { parseDuration, parsePositiveInt } from '../parse.js';
import type { Terminal } from '../terminal.js';

interface ConnFlags extends AwsOptions {
  bootstrapServers?: string;
  auth?: string;
  securityProtocol?: string;
  username?: string;
  caFile?: string;
  caSecret?: string;
  authSecret?: string;
  configSecret?: string;
  configBlock?: string;
  mapping?: string;
  topic?: string;
  clusterArn?: string;
  group?: string;
  json?: boolean;
}

export const PASSWORD_ENV = 'ESMCTL_KAFKA_PASSWORD';

const HOW_TO_GIVE: KafkaServiceDeps['howToGive'] = {
  bootstrapServers: '--bootstrap-servers host:port,…',
  auth: '--auth <mode>',
  topic: '--topic <name>',
  username: '--username <name>',
  password: `${PASSWORD_ENV} in the environment (or run on a terminal to be asked)`,
  consumerGroupId: '--group <id>',
  configSecretArn: '--config-secret <arn>',
  authSecretArn: '--auth-secret <arn>',
  mappingUuid: '--mapping <uuid>',
};

function addConnectionOptions(cmd: Command): Command {
  return addAwsOptions(
    cmd
      .option('--bootstrap-servers <list>', 'comma-separated host:port list of brokers')
      .option('--auth <mode>', 'PLAINTEXT, TLS, SASL_PLAIN, SASL_SCRAM_256, SASL_SCRAM_512, MTLS or IAM')
      .option('--security-protocol <p>', 'for SASL modes: SASL_SSL (default, as Lambda) or SASL_PLAINTEXT')
      .option('--username <name>', `SASL user name (the password comes from ${PASSWORD_ENV}, a secret, or a hidden prompt)`)
      .option('--ca-file <pem>', 'PEM file of a private root CA that signed the broker certificates')
      .option('--ca-secret <arn>', 'SERVER_ROOT_CA_CERTIFICATE secret ARN ({"certificate": PEM})')
      .option('--auth-secret <arn>', 'secret ARN with SASL {"username","password"} or mTLS {"certificate","privateKey","privateKeyPassword"}')
      .option('--config-secret <arn>', 'secret ARN holding the whole config ({"iam": {...}, "sasl": {...}, "topic", "cluster_arn"})')
      .option('--config-block <name>', 'which block of --config-secret to use: iam or sasl')
      .option('--mapping <uuid>', 'read the settings from an existing event source mapping')
      .option('--topic <name>', 'Kafka topic')
      .option('--cluster-arn <arn>', 'MSK cluster ARN (region for IAM signing)')
      .option('--json', 'print the result as JSON'),
  );
}

/** Asks on a TTY (stderr prompts; hidden input for secrets). Without a TTY, returns nothing. */
export function ttyAsker(term: Terminal): SettingsAsker | undefined {
  if (term.stdin.isTTY !== true || term.stderr.isTTY !== true) return undefined;
  const ask = (question: string, hidden: boolean): Promise<string> =>
    new Promise((resolve) => {
      const rl = createInterface({ input: term.stdin, output: term.stderr, terminal: true });
      let muted = false;
      const r = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
      const orig = r._writeToOutput.bind(rl);
      r._writeToOutput = (s: string) => {
        if (!muted) orig(s);
        else if (s.includes('\n') || s.includes('\r')) orig('\n');
      };
      rl.once('close', () => resolve(''));
      rl.question(question, (a) => {
        resolve(a); // before close(): its 'close' event would otherwise answer ''
        rl.close();
      });
      muted = hidden;
    });
  return {
    async askValues(fields: AskField[]) {
      const out: Partial<Record<SettingName, string>> = {};
      for (const f of fields) {
        const suffix = f.choices ? ` [${f.choices.join('|')}]${f.default ? ` (default ${f.default})` : ''}` : '';
        const a = (await ask(`${f.label}${suffix}: `, false)).trim();
        out[f.name] = a || f.default || '';
      }
      return out;
    },
    async askSecret(f: AskField) {
      const a = await ask(`${f.label} (hidden): `, true);
      return a || undefined;
    },
  };
}

function connectionInput(flags: ConnFlags, caPem: string | undefined) {
  let tls: boolean | undefined;
  if (flags.securityProtocol) {
    const p = flags.securityProtocol.toUpperCase();
    if (!['SASL_SSL', 'SASL_PLAINTEXT', 'SSL', 'PLAINTEXT'].includes(p)) {
      throw userError('cli.bad_security_protocol', `--security-protocol: '${flags.securityProtocol}' is not one of SASL_SSL, SASL_PLAINTEXT, SSL, PLAINTEXT`);
    }
    tls = p === 'SASL_SSL' || p === 'SSL';
  }
  const password = process.env[PASSWORD_ENV];
  return {
    ...(flags.bootstrapServers !== undefined ? { bootstrapServers: flags.bootstrapServers } : {}),
    ...(flags.auth !== undefined ? { auth: flags.auth } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(flags.username !== undefined ? { username: flags.username } : {}),
    ...(password ? { password } : {}),
    ...(caPem !== undefined ? { caPem } : {}),
    ...(flags.caSecret ? { caSecretArn: flags.caSecret } : {}),
    ...(flags.authSecret ? { authSecretArn: flags.authSecret } : {}),
    ...(flags.configSecret ? { configSecretArn: flags.configSecret } : {}),
    ...(flags.configBlock ? { configBlock: flags.configBlock } : {}),
    ...(flags.mapping ? { mappingUuid: flags.mapping } : {}),
    ...(flags.topic ? { topic: flags.topic } : {}),
    ...(flags.clusterArn ? { clusterArn: flags.clusterArn } : {}),
    ...(flags.group ? { consumerGroupId: flags.group } : {}),
    ...(flags.region ? { region: flags.region } : {}),
  };
}

async function readCa(flags: ConnFlags): Promise<string | undefined> {
  if (!flags.caFile) return undefined;
  try {
    const pem = await readFile(flags.caFile, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw userError('cli.bad_ca_file', `--ca-file ${flags.caFile}: no PEM certificate in the file`);
    return pem;
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw userError('cli.bad_ca_file', `--ca-file ${flags.caFile}: no such file`);
    throw e;
  }
}

async function setup(cmd: Command, flags: ConnFlags) {
  const ctx = cliContext(cmd, flags, { quiet: flags.json });
  const deps: KafkaServiceDeps = {
    host: ctx.host,
    aws: async (region?: string) => {
      const { createKafkaAwsPort } = await import('../../aws/kafka-discovery.js');
      return createKafkaAwsPort({ region: region ?? flags.region, profile: flags.profile });
    },
    asker: ttyAsker(ctx.term),
    howToGive: HOW_TO_GIVE,
  };
  const render = await import('../../service/kafka-render.js');
  const c = ctx.term.c;
  const paint = { green: c.green, red: c.red, yellow: c.yellow, dim: c.dim, bold: c.bold };
  return { ctx, deps, render, paint, input: connectionInput(flags, await readCa(flags)) };
}

/** A progress bar on a TTY (stderr), nothing otherwise. */
function progressBar(term: Terminal, label: string): { tick: (done: number, total: number) => void; end: () => void } {
  if (term.stderr.isTTY !== true) return { tick: () => undefined, end: () => undefined };
  let last = 0;
  let shown = false;
  const draw = (done: number, total: number) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    term.stderr.write(`\r\x1b[K${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    shown = true;
  };
  return {
    tick(done, total) {
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      draw(done, total);
    },
    end() {
      if (shown) term.stderr.write('\r\x1b[K');
    },
  };
}

export function registerKafka(program: Command): void {
  const kafka = program.command('kafka').description('Kafka test tools: test a connection as Lambda would, produce test messages, validate a mapping consumes them');

  addConnectionOptions(
    kafka
      .command('test-connection')
      .description('Diagnose the connection step by step: DNS, TCP, TLS, authentication, metadata, consumer group')
      .option('--group <id>', 'consumer group to check (default: the mapping\'s custom group, else its UUID)')
      .option('--step-timeout <duration>', 'upper bound of each step (default 10s)'),
  ).action(async (flags: ConnFlags & { stepTimeout?: string }, cmd: Command) => {
    const stepTimeoutMs = flags.stepTimeout ? parseDuration('--step-timeout', flags.stepTimeout) : undefined;
    const { ctx, deps, render, paint, input } = await setup(cmd, flags);
    try {
      const { testKafkaConnection } = await import('../../service/kafka.js');
      const out = await testKafkaConnection({ ...input, ...(stepTimeoutMs ? { stepTimeoutMs } : {}) }, deps);
      printOut(ctx.term, flags.json ? JSON.stringify(out, null, 2) : render.renderConnectionText(out.settings, out.report, paint));
      process.exitCode = out.report.ok ? EXIT_OK : EXIT_ERROR;
    } finally {
      ctx.host.close();
    }
  });

  addConnectionOptions(
    kafka
      .command('produce')
      .description('Produce test messages (id, run id, sequence, timestamp), keyed to spread over partitions')
      .option('-n, --count <n>', 'number of messages', '100')
      .option('--size <bytes>', 'bytes per message value', '1024')
      .option('--key <key>', 'one fixed key for every message (default: spread over partitions)')
      .option('--batch-size <n>', 'messages per produce request', '500')
      .option('--concurrency <n>', 'produce requests in flight (more helps only on high-latency links)', '2'),
  ).action(async (flags: ConnFlags & { count: string; size: string; key?: string; batchSize: string; concurrency: string }, cmd: Command) => {
    const count = parsePositiveInt('--count', flags.count, 10_000_000);
    const sizeBytes = parsePositiveInt('--size', flags.size, 1_000_000);
    const batchSize = parsePositiveInt('--batch-size', flags.batchSize, 100_000);
    const concurrency = parsePositiveInt('--concurrency', flags.concurrency, 64);
    const { ctx, deps, render, paint, input } = await setup(cmd, flags);
    const bar = progressBar(ctx.term, 'producing');
    try {
      const { produceMessages } = await import('../../service/kafka.js');
      const out = await produceMessages({ ...input, count, sizeBytes, batchSize, concurrency, ...(flags.key !== undefined ? { key: flags.key } : {}), onProgress: bar.tick }, deps);
      bar.end();
      printOut(ctx.term, flags.json ? JSON.stringify(out, null, 2) : render.renderProduceText(out.settings, out.report, paint));
      process.exitCode = out.report.failed === 0 ? EXIT_OK : EXIT_ERROR;
    } finally {
      bar.end();
      ctx.host.close();
    }
  });

  addConnectionOptions(
    kafka
      .command('validate')
      .description("Prove a mapping consumes: produce N messages and wait until its consumer group's committed offsets cover them")
      .option('--function <name>', 'find the mapping by function (with --topic, and --cluster-arn or --bootstrap-servers)')
      .option('--group <id>', "consumer group (default: the mapping's custom ConsumerGroupId, else its UUID)")
      .option('--observe', 'produce nothing: watch existing traffic and the group\'s progress')
      .option('-n, --count <n>', 'test messages to produce', '10')
      .option('--size <bytes>', 'bytes per test message', '256')
      .option('--timeout <duration>', 'how long to wait for the offsets to cover the messages', '60s'),
  ).action(async (flags: ConnFlags & { function?: string; observe?: boolean; count: string; size: string; timeout: string }, cmd: Command) => {
    const count = parsePositiveInt('--count', flags.count, 1_000_000);
    const sizeBytes = parsePositiveInt('--size', flags.size, 1_000_000);
    const timeoutMs = parseDuration('--timeout', flags.timeout);
    if (!flags.mapping && !flags.function && !flags.group) {
      throw userError('cli.kafka_validate_target', 'validate needs --mapping <uuid>, or --function <name> with --topic, or --group <id>');
    }
    const { ctx, deps, render, paint, input } = await setup(cmd, flags);
    const bar = progressBar(ctx.term, 'producing');
    try {
      const { validateEsmProcessing } = await import('../../service/kafka.js');
      const out = await validateEsmProcessing(
        { ...input, ...(flags.function ? { functionName: flags.function } : {}), observe: flags.observe === true, count, sizeBytes, timeoutMs, onProgress: bar.tick },
        deps,
      );
      bar.end();
      printOut(ctx.term, flags.json ? JSON.stringify(out, null, 2) : render.renderValidateText(out.settings, out.report, paint));
      const good = ['consumed', 'caught-up', 'no-traffic'].includes(out.report.verdict);
      process.exitCode = good ? EXIT_OK : EXIT_ERROR;
    } finally {
      bar.end();
      ctx.host.close();
    }
  });

  addConnectionOptions(
    kafka
      .command('offsets')
      .description("Show a consumer group's committed vs end offsets; --save a snapshot, --compare a saved one (the two-step check)")
      .option('--function <name>', 'find the mapping by function (with --topic)')
      .option('--group <id>', "consumer group (default: the mapping's custom ConsumerGroupId, else its UUID)")
      .option('--save <file>', 'write the snapshot to FILE (JSON) for a later --compare')
      .option('--compare <file>', 'compare against a snapshot saved with --save: what was produced and consumed since'),
  ).action(async (flags: ConnFlags & { function?: string; save?: string; compare?: string }, cmd: Command) => {
    const { ctx, deps, render, input } = await setup(cmd, flags);
    try {
      const svc = await import('../../service/kafka.js');
      const target = { ...input, ...(flags.function ? { functionName: flags.function } : {}) };
      if (flags.compare) {
        let initial;
        try {
          initial = JSON.parse(await readFile(flags.compare, 'utf8'));
        } catch {
          throw userError('cli.bad_snapshot', `--compare ${flags.compare}: not a snapshot file written by --save`);
        }
        const out = await svc.checkOffsetsAfterProduction({ ...target, initial: initial.snapshot ?? initial }, deps);
        printOut(ctx.term, flags.json ? JSON.stringify(out, null, 2) : render.renderComparisonText(out.comparison));
      } else {
        const out = await svc.getInitialOffsets(target, deps);
        if (flags.save) await writeFile(flags.save, `${JSON.stringify(out.snapshot, null, 2)}\n`);
        printOut(ctx.term, flags.json ? JSON.stringify(out, null, 2) : render.renderSnapshotText(out.snapshot));
      }
      process.exitCode = EXIT_OK;
    } finally {
      ctx.host.close();
    }
  });
}
