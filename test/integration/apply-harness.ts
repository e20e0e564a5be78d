// Shared set-up for the engine-level AWS/apply tests: an in-process sandbox reached over real HTTP by real SDK
// clients (AWS_ENDPOINT_URL), specs written as YAML text, plans built by the real core, and call-log helpers.

import { startSandbox } from '../../src/sandbox/index.js';
import { createAwsPorts } from '../../src/aws/index.js';
import { readObserved } from '../../src/aws/index.js';
import { buildPlan } from '../../src/core/plan.js';
import { loadSpecText } from '../../src/spec/index.js';
import { applyPlan, type ApplyOptions } from '../../src/apply/index.js';
import { event, type EsmctlEvent, type IoHost } from '../../src/core/events.js';
import type { AwsPorts } from '../../src/core/ports.js';
import type { ApplyReport, MappingSet, Plan } from '../../src/core/types.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const CLUSTER_UUID = '7a1b2c3d-1111-2222-3333-444455556666-1';
export const CLUSTER_ARN = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/orders/${CLUSTER_UUID}`;

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/** A seed with `functions` functions (fn-0…), each on its own role (role-0…), and one IAM-auth MSK cluster. */
export function baseSeed(functions = 3, extra: Record<string, unknown> = {}) {
  return {
    region: REGION,
    accountId: ACCOUNT,
    roles: Array.from({ length: functions }, (_, i) => ({ name: `role-${i}` })),
    functions: Array.from({ length: functions }, (_, i) => ({ name: `fn-${i}`, role: `role-${i}`, aliases: { live: '$LATEST' } })),
    clusters: [{ name: 'orders', uuid: CLUSTER_UUID, auth: ['iam'] }],
    ...extra,
  };
}

const LAMBDA_MUTATIONS = new Set([
  'CreateEventSourceMapping',
  'UpdateEventSourceMapping',
  'DeleteEventSourceMapping',
  'TagResource',
  'UntagResource',
  'PutRolePolicy',
  'DeleteRolePolicy',
]);

/** Starts a sandbox and points this process's SDK clients at it. */
export async function startTestSandbox(seed: object, opts: { stateDelayMs?: number; maxAttempts?: number } = {}): Promise<{ sb: Sandbox; ports: AwsPorts }> {
  const sb = await startSandbox({ port: 0, seed: seed as never, stateDelayMs: opts.stateDelayMs ?? 0, kafka: false });
  Object.assign(process.env, sb.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  const ports = await createAwsPorts({ region: REGION, maxAttempts: opts.maxAttempts });
  return { sb, ports };
}

export function calls(sb: Sandbox, operation?: string) {
  const log = sb.control.requestLog();
  return operation ? log.filter((r) => r.operation === operation) : log;
}

export function countBy(sb: Sandbox): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of sb.control.requestLog()) out[r.operation] = (out[r.operation] ?? 0) + 1;
  return out;
}

export function mutatingCalls(sb: Sandbox) {
  return sb.control.requestLog().filter((r) => LAMBDA_MUTATIONS.has(r.operation));
}

export interface SpecMapping {
  name: string;
  function: string;
  topic: string;
  extra?: string;
}

/** A one-set spec (YAML text) over the base seed's cluster, unauthenticated unless a mapping says otherwise. */
export function specText(set: string, mappings: SpecMapping[], defaults = '  startingPosition: TRIM_HORIZON\n  auth:\n    type: IAM\n'): string {
  const body = mappings
    .map(
      (m) =>
        `  - name: ${m.name}\n    function: ${m.function}\n    source:\n      msk: ${CLUSTER_ARN}\n    topic: ${m.topic}\n${m.extra ?? ''}`,
    )
    .join('');
  return `apiVersion: esmctl/v1\nkind: MappingSet\nmetadata:\n  name: ${set}\n  region: ${REGION}\ndefaults:\n${defaults}mappings:\n${body}`;
}

export function loadSets(text: string): MappingSet[] {
  const r = loadSpecText(text, 'test.yaml');
  if (r.problems.length) throw new Error(`spec problems: ${JSON.stringify(r.problems, null, 2)}`);
  return r.sets;
}

export async function planFor(ports: AwsPorts, sets: MappingSet[]): Promise<Plan> {
  const observed = await readObserved(ports, sets);
  return buildPlan(sets, observed);
}

export class RecordingHost implements IoHost {
  readonly events: EsmctlEvent[] = [];
  signal?: AbortSignal;
  emit(e: EsmctlEvent): void {
    this.events.push(e);
  }
  async confirm(): Promise<boolean> {
    return false;
  }
  codes(): string[] {
    return this.events.map((e) => e.code);
  }
}

/** Fast polling for tests (the sandbox settles in stateDelayMs). */
export const FAST: ApplyOptions = { pollIntervalMs: 50, maxPollIntervalMs: 200, retryBaseDelayMs: 20 };

export async function applySpec(ports: AwsPorts, text: string, opts: ApplyOptions = {}, host = new RecordingHost()): Promise<{ plan: Plan; report: ApplyReport; host: RecordingHost }> {
  const sets = loadSets(text);
  const plan = await planFor(ports, sets);
  const report = await applyPlan(plan, ports, host, { ...FAST, ...opts });
  return { plan, report, host };
}

export { event };
