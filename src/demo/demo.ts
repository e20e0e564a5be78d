// `npm run demo`: starts the sandbox in-process (examples/sandbox.yaml, with Kafka) and walks the real esmctl CLI,
// run as child processes, through validate → plan → apply → no changes → console edit → drift → revert → replace.

import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSandbox, type RunningSandbox } from '../sandbox/index.js';
import { ensureTopics } from './kafka-topic.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'esmctl.js');
const SEED = join(ROOT, 'examples', 'sandbox.yaml');
const SPEC_SOURCE = join(ROOT, 'examples', 'demo', 'payments.yaml');
const SPEC = 'payments.yaml';
const FUNCTION = 'demo-consumer';

const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: string) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = paint('1');
const dim = paint('2');
const cyan = paint('36');
const green = paint('32');
const red = paint('31');

interface Step {
  title: string;
  note?: string;
  args: string[];
  /** Exit codes that mean the step went as the demo expects. */
  expect: number[];
}

class DemoError extends Error {}

let stepNo = 0;
const TOTAL_STEPS = 12;

function say(text = ''): void {
  process.stdout.write(`${text}\n`);
}

function heading(title: string, note?: string): void {
  stepNo++;
  say();
  say(bold(cyan(`── ${stepNo}/${TOTAL_STEPS}  ${title} ${'─'.repeat(Math.max(3, 70 - title.length))}`)));
  if (note) say(dim(note));
}

function runCli(sandbox: RunningSandbox, cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...sandbox.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        AWS_CONFIG_FILE: join(cwd, 'no-aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(cwd, 'no-aws-credentials'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      process.stdout.write(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      process.stdout.write(dim(d));
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stdout, stderr }));
  });
}

async function step(sandbox: RunningSandbox, cwd: string, s: Step): Promise<{ code: number; stdout: string; stderr: string }> {
  heading(s.title, s.note);
  say(bold(`$ esmctl ${s.args.join(' ')}`));
  const r = await runCli(sandbox, cwd, s.args);
  const ok = s.expect.includes(r.code);
  say((ok ? green : red)(`[exit ${r.code}${ok ? '' : `; the demo expected ${s.expect.join(' or ')}`}]`));
  if (!ok) throw new DemoError(`step "${s.title}" exited ${r.code}`);
  return r;
}

/** The UUID of the demo function's mapping on a topic, read from the sandbox's Lambda API as any client would. */
async function mappingUuid(sandbox: RunningSandbox, topic: string): Promise<string> {
  const res = await fetch(`${sandbox.url}/2015-03-31/event-source-mappings?FunctionName=${FUNCTION}`, {
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${sandbox.env.AWS_REGION}/lambda/aws4_request, SignedHeaders=host, Signature=0`,
    },
  });
  const body = (await res.json()) as { EventSourceMappings?: Array<{ UUID: string; Topics?: string[] }> };
  const hit = (body.EventSourceMappings ?? []).find((m) => m.Topics?.[0] === topic);
  if (!hit) throw new DemoError(`no mapping of ${FUNCTION} on topic ${topic} in the sandbox`);
  return hit.UUID;
}

async function main(): Promise<void> {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'esmctl-demo-'));
  say(bold('esmctl demo') + dim(' — the real CLI against the local sandbox (no AWS account, no network, no input)'));
  say(dim(`Starting the sandbox from examples/sandbox.yaml with its Kafka broker; working in ${work}`));
  const sandbox = await startSandbox({ port: 0, seed: SEED, stateDelayMs: 200, kafka: true });
  try {
    say(dim(`Sandbox AWS endpoint: ${sandbox.url} (AWS_ENDPOINT_URL); every command below is \`esmctl\` run as a child process.`));
    if (sandbox.kafka?.listeners.plaintext) {
      await ensureTopics(sandbox.kafka.listeners.plaintext, ['payments.v1', 'payments.v2']);
      say(dim(`Kafka broker: ${Object.values(sandbox.kafka.listeners).join(', ')}; topics payments.v1 and payments.v2 exist on cluster demo.`));
    }
    copyFileSync(SPEC_SOURCE, join(work, SPEC));
    say();
    say(bold(`The spec (${SPEC}, copied from examples/demo/payments.yaml):`));
    say(readFileSync(join(work, SPEC), 'utf8').replace(/^#.*\n/gm, '').trimEnd());

    await step(sandbox, work, { title: 'Validate the spec (offline, no AWS calls)', args: ['validate', SPEC], expect: [0] });
    await step(sandbox, work, {
      title: 'Plan: what would change?',
      note: '--detailed-exitcode: exit 2 means there are changes (0 none, 1 error), as Terraform.',
      args: ['plan', SPEC, '--detailed-exitcode'],
      expect: [2],
    });
    await step(sandbox, work, {
      title: 'Apply',
      note: "In a terminal esmctl shows the plan and asks for 'yes'; the demo has no input, so it passes --auto-approve.",
      args: ['apply', SPEC, '--auto-approve'],
      expect: [0],
    });
    await step(sandbox, work, { title: 'Plan again: nothing left to do', args: ['plan', SPEC, '--detailed-exitcode'], expect: [0] });

    heading('Someone edits the mapping in the AWS console', 'Out of band: BatchSize 10 → 500 (through the sandbox control, as a console edit).');
    const uuid = await mappingUuid(sandbox, 'payments.v1');
    sandbox.control.editMapping(uuid, { BatchSize: 500 });
    say(`Edited mapping ${uuid}: BatchSize = 500`);

    await step(sandbox, work, {
      title: 'Drift check (what CI runs on a schedule)',
      note: 'Exit 2: the live mapping differs from the spec; the report names the field.',
      args: ['drift', SPEC],
      expect: [2],
    });
    await step(sandbox, work, { title: 'Apply reverts the console edit', args: ['apply', SPEC, '--auto-approve'], expect: [0] });

    writeFileSync(join(work, SPEC), readFileSync(join(work, SPEC), 'utf8').replace('topic: payments.v1', 'topic: payments.v2'));
    await step(sandbox, work, {
      title: 'Change the topic: AWS cannot update it in place',
      note: `Edited ${SPEC}: topic payments.v1 → payments.v2. The plan replaces the mapping and says what that costs.`,
      args: ['plan', SPEC, '--detailed-exitcode'],
      expect: [2],
    });
    await step(sandbox, work, {
      title: 'Apply the replacement (delete first, create after the delete finished)',
      args: ['apply', SPEC, '--auto-approve'],
      expect: [0],
    });

    const caFile = join(work, 'sandbox-ca.pem');
    if (sandbox.kafka) writeFileSync(caFile, sandbox.kafka.caPem);
    const newUuid = await mappingUuid(sandbox, 'payments.v2');
    await step(sandbox, work, {
      title: 'Produce messages to the topic the mapping reads',
      note: 'esmctl kafka produce: settings (brokers, IAM auth, topic) come from the mapping; the CA file trusts the sandbox broker.',
      args: ['kafka', 'produce', '--mapping', newUuid, '--ca-file', caFile, '-n', '50', '--size', '256'],
      expect: [0],
    });
    await step(sandbox, work, {
      title: 'Prove the mapping consumes them',
      note: 'esmctl kafka validate: produce 20 more, then wait until the consumer group has committed past them.',
      args: ['kafka', 'validate', '--mapping', newUuid, '--ca-file', caFile, '-n', '20', '--timeout', '30s'],
      expect: [0],
    });
    const seen = sandbox.control.invocations(newUuid);
    say();
    say(
      `The emulated Lambda poller invoked ${FUNCTION} ${seen.length} time(s) with ${seen.reduce((n, i) => n + i.records, 0)} record(s) from payments.v2.`,
    );
    await step(sandbox, work, { title: 'Final plan: the account matches the spec', args: ['plan', SPEC, '--detailed-exitcode'], expect: [0] });

    say();
    say(green(bold(`Demo complete in ${((Date.now() - started) / 1000).toFixed(1)}s.`)) + ' Try it yourself: esmctl sandbox --seed examples/sandbox.yaml --kafka');
  } finally {
    await sandbox.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (e) {
  process.stderr.write(`${red('demo failed:')} ${e instanceof DemoError ? e.message : (e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
}
