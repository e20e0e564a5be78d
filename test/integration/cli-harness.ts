// Test harness for the CLI integration tests: builds dist/ once if missing, starts the in-process sandbox, runs
// `node bin/esmctl.js …` as a child process with the sandbox env, and reads the sandbox with a real AWS SDK client.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'esmctl.js');

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const CLUSTER_NAME = 'orders';
export const CLUSTER_UUID = '7a1b2c3d-1111-2222-3333-444455556666-1';
export const CLUSTER_ARN = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/${CLUSTER_NAME}/${CLUSTER_UUID}`;

/** Operations that change AWS: none may appear in the log of a refused or failed-before-mutation run. */
export const MUTATING_OPERATIONS = [
  'CreateEventSourceMapping',
  'UpdateEventSourceMapping',
  'DeleteEventSourceMapping',
  'TagResource',
  'UntagResource',
  'PutRolePolicy',
  'DeleteRolePolicy',
];

/** Builds dist/ when it is missing (npm test builds first through `pretest`). */
export function ensureBuilt(): void {
  if (existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', ROOT], { encoding: 'utf8' });
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
}

/** The environment a user would have: PATH and HOME, the sandbox endpoint and dummy credentials. */
export function cliEnv(sandboxEnv: Record<string, string>, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...sandboxEnv,
    AWS_REGION: REGION,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // no shared config/credentials files from the machine running the tests
    AWS_CONFIG_FILE: join(tmpdir(), 'esmctl-test-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'esmctl-test-no-aws-credentials'),
  };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function startCli(args: string[], sandboxEnv: Record<string, string>, opts: RunOptions = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: cliEnv(sandboxEnv, opts.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export function runCli(args: string[], sandboxEnv: Record<string, string>, opts: RunOptions = {}): Promise<CliResult> {
  const child = startCli(args, sandboxEnv, opts);
  return collect(child, opts);
}

export function collect(child: ChildProcess, opts: { input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI timed out after ${opts.timeoutMs ?? 60_000} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin!.end();
  });
}

/** A fresh temporary directory for spec files. */
export function tempDir(prefix = 'esmctl-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeSpec(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text, 'utf8');
  return file;
}

/** Every Kafka mapping the sandbox holds, through the real Lambda SDK client (all pages). */
export async function listAllMappings(sandboxEnv: Record<string, string>): Promise<Array<Record<string, any>>> {
  const { LambdaClient, ListEventSourceMappingsCommand } = await import('@aws-sdk/client-lambda');
  const client = new LambdaClient({
    region: REGION,
    endpoint: sandboxEnv.AWS_ENDPOINT_URL,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const out: Array<Record<string, any>> = [];
  let marker: string | undefined;
  do {
    const page = await client.send(new ListEventSourceMappingsCommand({ Marker: marker, MaxItems: 100 }));
    out.push(...((page.EventSourceMappings ?? []) as Array<Record<string, any>>));
    marker = page.NextMarker;
  } while (marker);
  client.destroy();
  return out;
}

/** Operations in the sandbox request log that change something. */
export function mutatingCalls(log: Array<{ operation: string }>): string[] {
  return log.map((e) => e.operation).filter((op) => MUTATING_OPERATIONS.includes(op));
}

/** No escape sequences at all (colour, cursor movement). */
export function hasAnsi(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /\x1b\[/.test(text);
}
