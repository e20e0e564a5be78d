// The CLI as a terminal program: the yes-prompt on a TTY (through `script`, a real pseudo-terminal), refusal
// without a TTY unless --auto-approve, colour only on a TTY and never with NO_COLOR, errors printed by audience.

import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxSeed } from '../../src/sandbox/seed.js';
import {
  ACCOUNT,
  BIN,
  CLUSTER_ARN,
  CLUSTER_NAME,
  CLUSTER_UUID,
  REGION,
  ROOT,
  cliEnv,
  collect,
  ensureBuilt,
  listAllMappings,
  mutatingCalls,
  runCli,
  tempDir,
  writeSpec,
  type CliResult,
} from './cli-harness.js';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const SEED: SandboxSeed = {
  region: REGION,
  accountId: ACCOUNT,
  functions: [{ name: 'orders-ingest', role: 'orders-ingest-role' }],
  clusters: [{ name: CLUSTER_NAME, uuid: CLUSTER_UUID, auth: ['iam'] }],
};

const SPEC = `apiVersion: esmctl/v1
kind: MappingSet
metadata:
  name: shop
  region: ${REGION}
defaults:
  startingPosition: LATEST
mappings:
  - name: ingest
    function: orders-ingest
    source:
      msk: ${CLUSTER_ARN}
    topic: orders.created
    permissions: none
`;

const COLOUR = /\x1b\[[0-9;]*m/;

let sandbox: Sandbox;
let env: Record<string, string>;
let file: string;

/** Runs the CLI inside a pseudo-terminal (util-linux `script`): stdin, stdout and stderr are all a TTY. */
function runInTty(args: string[], opts: { input?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qfec', `stty cols 200 2>/dev/null; ${quoted}`, '/dev/null'], {
    cwd: ROOT,
    env: { ...cliEnv(env, opts.env), TERM: 'xterm-256color' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return collect(child, { input: opts.input, timeoutMs: 60_000 });
}

describe('esmctl in a terminal and without one', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    ensureBuilt();
    sandbox = await startSandbox({ port: 0, seed: SEED, stateDelayMs: 20 });
    env = sandbox.env;
    file = writeSpec(tempDir(), 'shop.yaml', SPEC);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  beforeEach(() => {
    sandbox.control.reset();
    sandbox.control.setFaults({ errorRate: 0 });
    sandbox.control.clearLog();
  });

  it('refuses to apply without a TTY unless --auto-approve, before any AWS call', async () => {
    const r = await runCli(['apply', file], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: apply needs your approval, and stdin is not a terminal/m);
    expect(r.stderr).toContain('--auto-approve');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(sandbox.control.requestLog()).toEqual([]);
    expect(await listAllMappings(env)).toEqual([]);
  });

  it("asks on a TTY and changes nothing unless the answer is exactly 'yes'", async () => {
    const no = await runInTty(['apply', file], { input: 'y\n' });
    expect(no.stdout).toContain("Do you want to perform these actions? Only 'yes' will be accepted");
    expect(no.stdout).toContain('shop/ingest');
    expect(no.stdout).toMatch(/Apply cancelled/);
    expect(no.code).toBe(1);
    expect(mutatingCalls(sandbox.control.requestLog())).toEqual([]);

    const yes = await runInTty(['apply', file], { input: 'yes\n' });
    expect(yes.code, yes.stdout).toBe(0);
    // the live progress line with elapsed time, redrawn in place
    expect(yes.stdout).toMatch(/… 1 in progress: create shop\/ingest \(\d+\.\ds\)/);
    expect(yes.stdout).toContain('\r\x1b[K');
    expect(await listAllMappings(env)).toHaveLength(1);
  });

  it('treats Ctrl-C at the prompt as no: nothing changes', async () => {
    const quoted = [process.execPath, BIN, 'apply', file].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qfec', quoted, '/dev/null'], {
      cwd: ROOT,
      env: { ...cliEnv(env), TERM: 'xterm-256color' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let seen = '';
    let sent = false;
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (!sent && seen.includes('Enter a value:')) {
        sent = true;
        child.stdin!.write('\x03');
      }
    });
    const r = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    expect(sent, seen).toBe(true);
    expect(seen).toMatch(/Apply cancelled; nothing was changed\./);
    expect(r).toBe(1);
    expect(mutatingCalls(sandbox.control.requestLog())).toEqual([]);
  });

  it('shows plain progress lines without a TTY: no live line, no cursor movement', async () => {
    const r = await runCli(['apply', file, '--auto-approve'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^create shop\/ingest$/m);
    expect(r.stderr).toMatch(/^shop\/ingest: done \[\d+\.\ds\]$/m);
    expect(r.stderr).not.toContain('in progress');
    expect(r.stderr).not.toContain('\x1b[');
  });

  it('colours only on a TTY, and never with NO_COLOR or --no-color', async () => {
    const tty = await runInTty(['plan', file]);
    expect(tty.code, tty.stdout).toBe(0);
    expect(tty.stdout).toMatch(COLOUR);

    const noColor = await runInTty(['plan', file], { env: { NO_COLOR: '1' } });
    expect(noColor.stdout).toContain('shop/ingest');
    expect(noColor.stdout).not.toMatch(COLOUR);

    const flag = await runInTty(['--no-color', 'plan', file]);
    expect(flag.stdout).toContain('shop/ingest');
    expect(flag.stdout).not.toMatch(COLOUR);

    const piped = await runCli(['plan', file], env);
    expect(piped.stdout).toContain('shop/ingest');
    expect(piped.stdout + piped.stderr).not.toMatch(COLOUR);
  });

  it('prints a user mistake as one line with a hint, without a stack trace', async () => {
    const r = await runCli(['apply', file, '--auto-approve', '--parallelism', '0'], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')[0]).toBe("Error: --parallelism: '0' is not a whole number from 1 to 64");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const t = await runCli(['apply', file, '--auto-approve', '--timeout', 'soon'], env);
    expect(t.code).toBe(1);
    expect(t.stderr).toContain("--timeout: 'soon' is not a duration");
    const jsonPlan = writeSpec(tempDir(), 'plan.json', JSON.stringify({ formatVersion: 1, actions: [], warnings: [] }));
    const j = await runCli(['apply', jsonPlan], env);
    expect(j.code).toBe(1);
    expect(j.stderr).toMatch(/^Error: .*plan\.json is the output of `esmctl plan --json`, not a saved plan\n  Hint: .*--out/m);
    expect(sandbox.control.requestLog()).toEqual([]);
  });

  it('prints an AWS failure with the AWS error code, and a stack only with --debug', async () => {
    sandbox.control.setFaults({ errorRate: 1 });
    const r = await runCli(['plan', file], env, { timeoutMs: 90_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: /m);
    expect(r.stderr).toMatch(/AWS error: \w+ \(HTTP 5\d\d\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const d = await runCli(['--debug', 'plan', file], env, { timeoutMs: 90_000 });
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/\n\s+at /);
  }, 120_000);
});
