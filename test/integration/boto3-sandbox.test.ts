// A second, independent client against the sandbox: Debian's python3-boto3 runs boto3_sandbox.py (mapping life
// cycle with paging, conflicts, errors, IAM/STS/MSK/Secrets reads). Never skipped: CI installs python3-boto3.

import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';

const CLUSTER = 'arn:aws:kafka:us-east-1:123456789012:cluster/py/0f1e2d3c-aaaa-bbbb-cccc-123456789abc-2';

/** The first python3 that can import boto3: Debian's (python3-boto3) first, then the one on PATH. */
function pythonWithBoto3(): string {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(py, ['-c', 'import boto3'], { encoding: 'utf8' }).status === 0) return py;
  }
  throw new Error('no python3 with boto3: install it with `apt-get install -y python3-boto3` (.ci/run does)');
}

describe('the sandbox through boto3', () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox({
      stateDelayMs: 50,
      seed: {
        functions: [{ name: 'ingest', role: 'ingest-role' }],
        roles: [{ name: 'ingest-role', inlinePolicies: { inline: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kafka-cluster:Connect', Resource: '*' }] } } }],
        clusters: [{ name: 'py', uuid: '0f1e2d3c-aaaa-bbbb-cccc-123456789abc-2', auth: ['iam', 'scram'] }],
        secrets: [{ name: 'AmazonMSK_py', value: { username: 'py-user', password: 'pw' } }],
      },
    });
  });
  afterAll(async () => sb.stop());

  it('answers boto3 as AWS would', async () => {
    const py = pythonWithBoto3();
    // asynchronously: the sandbox answers from this process's event loop
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SANDBOX_URL: sb.url, SANDBOX_CLUSTER: CLUSTER, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
      const child = execFile(py, [join(import.meta.dirname, 'boto3_sandbox.py')], { encoding: 'utf8', timeout: 60_000, env }, (_e, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }));
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.created).toEqual({ State: 'Creating', BatchSize: 50, FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:ingest', status: 202 });
    expect(out.conflict).toMatchObject({ code: 'ResourceConflictException', status: 409 });
    expect(out.conflict.message).toMatch(/Please update or delete the existing mapping with UUID [0-9a-f-]{36}$/);
    expect(out.invalid).toMatchObject({ code: 'InvalidParameterValueException', status: 400 });
    expect(out.settled).toBe('Enabled');
    expect(out.pages).toEqual([100, 21]);
    expect(out.updated).toEqual({ State: 'Updating', BatchSize: 75 });
    expect(out.tags).toEqual({ team: 'py' });
    expect(out.deleted).toBe('Deleting');
    expect(out.missing).toMatchObject({ code: 'ResourceNotFoundException', status: 404, message: 'The resource you requested does not exist.' });
    expect(out.role).toBe('arn:aws:iam::123456789012:role/ingest-role');
    expect(out.inline).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kafka-cluster:Connect', Resource: '*' }] });
    expect(out.mskPolicyActions).toBe(12);
    expect(out.noRole).toMatchObject({ code: 'NoSuchEntity', status: 404 });
    expect(out.account).toBe('123456789012');
    expect(out.bootstrap).toEqual(['BootstrapBrokerStringSaslIam', 'BootstrapBrokerStringSaslScram']);
    expect(out.clusterAuth).toEqual({ Scram: { Enabled: true }, Iam: { Enabled: true } });
    expect(out.secretUser).toBe('py-user');
    expect(out.noSecret).toMatchObject({ code: 'ResourceNotFoundException', status: 400 });
  });
});
