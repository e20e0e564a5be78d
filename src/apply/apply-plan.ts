// applyPlan: runs a plan's actions through the ports in dependency order with bounded parallelism, waits for
// mappings to settle, retries what is retryable, adopts 409 twins, skips dependents of failures, honours Ctrl-C.

import { diffConfigs } from '../core/diff.js';
import { EsmctlError, assertNever, isEsmctlError } from '../core/errors.js';
import { type EsmctlEvent, type IoHost, event } from '../core/events.js';
import { FIELD_RULES, topField } from '../core/fields.js';
import { partitionOf } from '../core/normalize.js';
import { naturalKey } from '../core/match.js';
import { TAG_MAPPING, TAG_SET } from '../core/tags.js';
import type { AwsPorts } from '../core/ports.js';
import type {
  Action,
  ActionResult,
  ActionStatus,
  ApplyReport,
  CreateAction,
  FieldChange,
  LiveMapping,
  MappingConfig,
  Plan,
} from '../core/types.js';
import { conflictUuid, isAccessDenied, isConflict, type RetryKind, withRetry } from './retry.js';
import { Semaphore } from './semaphore.js';

export interface ApplyOptions {
  /** Actions in their mutating phase at once (default 8). Waiting for a mapping to settle does not hold a slot. */
  parallelism?: number;
  /** Create/update settle timeout (default 10 min). */
  createTimeoutMs?: number;
  /** Delete-until-gone timeout (default 5 min). */
  deleteTimeoutMs?: number;
  /** How long IAM propagation errors are retried after a policy put (default 2 min). */
  iamPropagationMs?: number;
  /** First state poll delay (default 500 ms); grows ×1.5 up to maxPollIntervalMs (default 10 s). */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** Base of the jittered retry backoff (default 250 ms). */
  retryBaseDelayMs?: number;
  /** Time budget per retryable error kind (defaults: 2 min throttling / in-use / busy, 1 min 5xx). */
  retryBudgetMs?: Partial<Record<RetryKind, number>>;
}

const DEFAULTS: Required<Omit<ApplyOptions, 'retryBudgetMs'>> & Pick<ApplyOptions, 'retryBudgetMs'> = {
  parallelism: 8,
  createTimeoutMs: 600_000,
  deleteTimeoutMs: 300_000,
  iamPropagationMs: 120_000,
  pollIntervalMs: 500,
  maxPollIntervalMs: 10_000,
  retryBaseDelayMs: 250,
};

const SETTLED = new Set(['Enabled', 'Disabled']);

/** Thrown inside a run when the user cancelled before the action's first mutation. */
class Cancelled extends Error {}

/** Per-action state: whether its first mutating step has started. */
interface RunContext {
  started: boolean;
  onStart: () => void;
}

interface Outcome {
  status: Extract<ActionStatus, 'done' | 'adopted'>;
  uuid?: string;
  arn?: string;
  warnings: string[];
}

/** Reject plans whose graph is broken before anything is mutated. */
export function validateActionGraph(actions: Action[]): void {
  const ids = new Set<string>();
  for (const a of actions) {
    if (ids.has(a.id)) throw new EsmctlError('plan.duplicate-action', `the plan lists action ${a.id} twice`, { source: 'internal' });
    ids.add(a.id);
  }
  for (const a of actions) {
    for (const d of a.dependsOn) {
      if (!ids.has(d)) {
        throw new EsmctlError('plan.unknown-dependency', `action ${a.id} depends on ${d}, which the plan does not contain`, {
          source: 'user',
          hint: 'The plan file is damaged or was edited; run `esmctl plan` again.',
        });
      }
    }
  }
  // cycle check (DFS)
  const byId = new Map(actions.map((a) => [a.id, a]));
  const state = new Map<string, 1 | 2>();
  const visit = (id: string, trail: string[]) => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) {
      throw new EsmctlError('plan.cycle', `the plan's actions depend on each other in a cycle: ${[...trail, id].join(' → ')}`, {
        source: 'internal',
      });
    }
    state.set(id, 1);
    for (const d of byId.get(id)!.dependsOn) visit(d, [...trail, id]);
    state.set(id, 2);
  };
  for (const a of actions) visit(a.id, []);
}

function errorOf(e: unknown): NonNullable<ActionResult['error']> {
  if (isEsmctlError(e)) {
    const out: NonNullable<ActionResult['error']> = { code: e.code, message: e.message, source: e.source };
    if (e.hint) out.hint = e.hint;
    return out;
  }
  return { code: 'internal.error', message: e instanceof Error ? e.message : String(e), source: 'internal' };
}

/** arn:<partition>:lambda:<region>:<account>:event-source-mapping:<uuid>, from the function ARN's parts. */
function mappingArn(functionArn: string, uuid: string, region: string): string {
  const p = functionArn.split(':');
  const partition = p[1] || partitionOf(region);
  return `arn:${partition}:lambda:${p[3] || region}:${p[4] ?? ''}:event-source-mapping:${uuid}`;
}

/** Top-level fields a list of changes touches, as UpdateEventSourceMapping carries them (tags excluded). */
function updatableFields(changes: FieldChange[]): string[] {
  return [...new Set(changes.map((c) => topField(c.path)))].filter((f) => FIELD_RULES[f].update === 'in-place');
}

function tagKeysRemoved(before: MappingConfig, after: MappingConfig): string[] {
  return Object.keys(before.tags).filter((k) => !(k in after.tags));
}

export async function applyPlan(plan: Plan, ports: AwsPorts, host: IoHost, options: ApplyOptions = {}): Promise<ApplyReport> {
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS;
  validateActionGraph(plan.actions);
  const clock = ports.clock;
  const emit = (e: EsmctlEvent) => host.emit(e);
  const startedAt = clock.now().toISOString();
  const slots = new Semaphore(Math.max(1, o.parallelism));
  // State polls are cheap but not free: bound them separately.
  const polls = new Semaphore(Math.max(16, o.parallelism * 2));
  const signal = host.signal;

  emit(event('apply.start', `applying ${plan.actions.length} action(s) with parallelism ${o.parallelism}`, { actions: plan.actions.length, parallelism: o.parallelism }));

  const retry = <T>(action: Action, fn: () => Promise<T>, kinds?: Partial<Record<RetryKind, number>>) =>
    withRetry(fn, {
      clock,
      baseDelayMs: o.retryBaseDelayMs,
      budgetMs: { ...o.retryBudgetMs, 'iam-propagation': o.iamPropagationMs, ...kinds },
      onRetry: ({ kind, attempt, delayMs, error }) =>
        emit(
          event('apply.action.retry', `${action.address}: ${kind}, retry ${attempt} in ${delayMs} ms`, {
            id: action.id,
            address: action.address,
            kind,
            attempt,
            delayMs,
            error: isEsmctlError(error) ? error.awsCode ?? error.code : String(error),
          }),
        ),
    });

  /**
   * Runs one mutating step inside a parallelism slot. An action starts (and says so) when its first step gets a
   * slot; once the user cancelled, a first step refuses to start.
   */
  const mutate = async <T>(ctx: RunContext, fn: () => Promise<T>): Promise<T> => {
    const release = await slots.acquire();
    try {
      if (!ctx.started) {
        if (signal?.aborted) throw new Cancelled();
        ctx.started = true;
        ctx.onStart();
      }
      return await fn();
    } finally {
      release();
    }
  };

  const poll = async (action: Action, uuid: string): Promise<LiveMapping | null> => {
    const release = await polls.acquire();
    try {
      return await retry(action, () => ports.mappings.getMapping(uuid, { tags: false }));
    } finally {
      release();
    }
  };

  const waitSettled = async (action: Action, uuid: string, expectEnabled: boolean, warnings: string[]): Promise<LiveMapping> => {
    const deadline = clock.now().getTime() + o.createTimeoutMs;
    let delay = o.pollIntervalMs;
    for (;;) {
      await clock.sleep(delay);
      const live = await poll(action, uuid);
      if (!live) {
        throw new EsmctlError('apply.mapping-vanished', `mapping ${uuid} disappeared while esmctl waited for it to settle`, {
          source: 'aws',
          hint: 'Someone deleted it meanwhile; run `esmctl plan` again.',
        });
      }
      if (SETTLED.has(live.state)) {
        if (live.lastProcessingResult?.startsWith('PROBLEM:')) warnings.push(`LastProcessingResult: ${live.lastProcessingResult}`);
        const want = expectEnabled ? 'Enabled' : 'Disabled';
        if (live.state !== want) {
          warnings.push(`settled in ${live.state}, not ${want}${live.stateTransitionReason ? ` (${live.stateTransitionReason})` : ''}`);
        }
        return live;
      }
      const now = clock.now().getTime();
      if (now >= deadline) {
        throw new EsmctlError('apply.timeout', `mapping ${uuid} still ${live.state} after ${Math.round(o.createTimeoutMs / 1000)} s`, {
          source: 'aws',
          hint: 'Raise --create-timeout, or look at the mapping in the console; running apply again continues from here.',
        });
      }
      emit(event('apply.action.wait', `${action.address}: ${live.state}`, { id: action.id, uuid, state: live.state }));
      delay = Math.min(o.maxPollIntervalMs, Math.round(delay * 1.5), Math.max(50, deadline - now));
    }
  };

  const waitGone = async (action: Action, uuid: string): Promise<void> => {
    const deadline = clock.now().getTime() + o.deleteTimeoutMs;
    let delay = o.pollIntervalMs;
    for (;;) {
      await clock.sleep(delay);
      const live = await poll(action, uuid);
      if (!live) return;
      const now = clock.now().getTime();
      if (now >= deadline) {
        throw new EsmctlError('apply.timeout', `mapping ${uuid} still ${live.state} ${Math.round(o.deleteTimeoutMs / 1000)} s after its delete`, {
          source: 'aws',
          hint: 'Raise --delete-timeout; running apply again continues from here.',
        });
      }
      emit(event('apply.action.wait', `${action.address}: ${live.state}`, { id: action.id, uuid, state: live.state }));
      delay = Math.min(o.maxPollIntervalMs, Math.round(delay * 1.5), Math.max(50, deadline - now));
    }
  };

  /**
   * Create with conflict handling. A 409 naming a mapping with the same function, source and topic adopts it
   * (tag, then update what differs); naming `replacedUuid` means the old mapping is not gone yet (retry).
   */
  const createOrAdopt = async (
    action: CreateAction | Extract<Action, { kind: 'replace' }>,
    desired: MappingConfig,
    ctx: RunContext,
    replacedUuid?: string,
  ): Promise<Outcome> => {
    const warnings: string[] = [];
    const tags = action.tags;
    const deadline = clock.now().getTime() + o.deleteTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const created = await mutate(ctx, () => retry(action, () => ports.mappings.createMapping(desired, tags)));
        await waitSettled(action, created.uuid, desired.enabled, warnings);
        return { status: 'done', uuid: created.uuid, arn: created.arn, warnings };
      } catch (e) {
        const uuid = conflictUuid(e);
        if (!uuid || !isConflict(e)) throw e;
        if (uuid === replacedUuid && clock.now().getTime() < deadline) {
          await clock.sleep(o.pollIntervalMs);
          continue;
        }
        if (attempt > 20) throw e;
        const live = await retry(action, () => ports.mappings.getMapping(uuid));
        if (!live) continue; // it vanished meanwhile: try the create again
        if (live.state === 'Deleting') {
          // a mapping on its way out (ours from a replace, or someone else's): wait until it is gone, then create
          await waitGone(action, uuid);
          continue;
        }
        if (naturalKey(live.config) !== naturalKey(desired)) {
          throw new EsmctlError(
            'apply.conflict',
            `AWS refused the create: mapping ${uuid} of function ${live.config.functionArn} (topic ${live.config.topic}) conflicts with ${action.address}: ${e instanceof Error ? e.message : e}`,
            { source: 'aws', awsCode: 'ResourceConflictException', httpStatus: 409, hint: 'Use another consumer group id, or remove the other mapping.', cause: e },
          );
        }
        const owner = live.tags[TAG_SET];
        if (owner && owner !== tags[TAG_SET]) {
          throw new EsmctlError(
            'apply.conflict',
            `mapping ${uuid} already exists for ${action.address}'s function, source and topic, and belongs to set ${owner}`,
            { source: 'aws', awsCode: 'ResourceConflictException', httpStatus: 409, hint: `Remove it from set ${owner} first, or drop ${action.address} from this spec.`, cause: e },
          );
        }
        const changes = diffConfigs(live.config, desired);
        const forced = changes.filter((c) => FIELD_RULES[topField(c.path)].update === 'replace').map((c) => c.path);
        if (forced.length) {
          throw new EsmctlError(
            'apply.conflict',
            `mapping ${uuid} already exists for ${action.address}'s function, source and topic, but differs in ${forced.join(', ')}, which cannot be updated in place`,
            { source: 'aws', awsCode: 'ResourceConflictException', httpStatus: 409, hint: 'Run `esmctl plan` again: it will plan a replace.', cause: e },
          );
        }
        const ours = live.tags[TAG_SET] === tags[TAG_SET] && live.tags[TAG_MAPPING] === tags[TAG_MAPPING];
        emit(event('apply.action.retry', `${action.address}: mapping ${uuid} already exists; ${ours ? 'it is ours' : 'adopting it'}`, { id: action.id, uuid, kind: 'conflict' }));
        const arn = live.arn || mappingArn(live.config.functionArn, uuid, ports.region);
        await mutate(ctx, () => retry(action, () => ports.mappings.tagMapping(arn, tags)));
        const fields = updatableFields(changes);
        if (fields.length) {
          await mutate(ctx, () => retry(action, () => ports.mappings.updateMapping(uuid, desired, fields)));
        }
        const removed = tagKeysRemoved(live.config, desired);
        if (removed.length) await mutate(ctx, () => retry(action, () => ports.mappings.untagMapping(arn, removed)));
        await waitSettled(action, uuid, desired.enabled, warnings);
        return { status: ours ? 'done' : 'adopted', uuid, arn, warnings };
      }
    }
  };

  const withPolicyHint = (e: unknown, roleName: string, policyName: string, verb: string, document?: unknown): unknown => {
    if (!isAccessDenied(e) || !isEsmctlError(e)) return e;
    const doc = document ? ` The policy esmctl wanted to write: ${JSON.stringify(document)}` : '';
    return new EsmctlError(e.code, e.message, {
      source: e.source,
      awsCode: e.awsCode,
      httpStatus: e.httpStatus,
      hint: `esmctl needs iam:${verb} on role ${roleName} (inline policy ${policyName}).${doc}`,
      cause: e,
    });
  };

  const run = async (action: Action, ctx: RunContext): Promise<Outcome> => {
    switch (action.kind) {
      case 'put-policy':
        try {
          await mutate(ctx, () => retry(action, () => ports.iam.putRolePolicy(action.roleName, action.policyName, action.after)));
        } catch (e) {
          throw withPolicyHint(e, action.roleName, action.policyName, 'PutRolePolicy', action.after);
        }
        return { status: 'done', warnings: [] };
      case 'delete-policy':
        try {
          await mutate(ctx, () => retry(action, () => ports.iam.deleteRolePolicy(action.roleName, action.policyName)));
        } catch (e) {
          throw withPolicyHint(e, action.roleName, action.policyName, 'DeleteRolePolicy');
        }
        return { status: 'done', warnings: [] };
      case 'create':
        return createOrAdopt(action, action.desired, ctx);
      case 'update': {
        const warnings: string[] = [];
        const fields = updatableFields(action.changes);
        let arn = mappingArn(action.after.functionArn, action.uuid, ports.region);
        if (fields.length) {
          const updated = await mutate(ctx, () => retry(action, () => ports.mappings.updateMapping(action.uuid, action.after, fields)));
          if (updated.arn) arn = updated.arn;
        }
        await mutate(ctx, () => retry(action, () => ports.mappings.tagMapping(arn, action.tags)));
        const removed = tagKeysRemoved(action.before, action.after);
        if (removed.length) await mutate(ctx, () => retry(action, () => ports.mappings.untagMapping(arn, removed)));
        if (fields.length) await waitSettled(action, action.uuid, action.after.enabled, warnings);
        return { status: 'done', uuid: action.uuid, arn, warnings };
      }
      case 'replace': {
        await mutate(ctx, () => retry(action, () => ports.mappings.deleteMapping(action.uuid)));
        await waitGone(action, action.uuid);
        return createOrAdopt(action, action.after, ctx, action.uuid);
      }
      case 'delete':
        await mutate(ctx, () => retry(action, () => ports.mappings.deleteMapping(action.uuid)));
        await waitGone(action, action.uuid);
        return { status: 'done', uuid: action.uuid, warnings: [] };
      case 'adopt': {
        const warnings: string[] = [];
        const arn = mappingArn(action.before.functionArn, action.uuid, ports.region);
        // Ownership first (as ACK marks a resource managed before changing it), then what differs.
        await mutate(ctx, () => retry(action, () => ports.mappings.tagMapping(arn, action.tags)));
        const fields = updatableFields(action.changes);
        if (fields.length) {
          await mutate(ctx, () => retry(action, () => ports.mappings.updateMapping(action.uuid, action.after, fields)));
        }
        const removed = tagKeysRemoved(action.before, action.after);
        if (removed.length) await mutate(ctx, () => retry(action, () => ports.mappings.untagMapping(arn, removed)));
        if (fields.length) await waitSettled(action, action.uuid, action.after.enabled, warnings);
        return { status: 'adopted', uuid: action.uuid, arn, warnings };
      }
      default:
        return assertNever(action, 'action kind');
    }
  };

  // ── scheduling: start an action when all it depends on is done; failures skip their dependents ──
  const results = new Map<string, ActionResult>();
  const dependents = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const a of plan.actions) {
    waiting.set(a.id, a.dependsOn.length);
    for (const d of a.dependsOn) dependents.set(d, [...(dependents.get(d) ?? []), a.id]);
  }
  const byId = new Map(plan.actions.map((a) => [a.id, a]));
  const inFlight = new Set<Promise<void>>();
  let cancelledEmitted = false;

  const settle = (a: Action, r: ActionResult) => {
    results.set(a.id, r);
  };

  const skipDependents = (rootId: string, fromId: string) => {
    for (const id of dependents.get(fromId) ?? []) {
      if (results.has(id)) continue;
      const a = byId.get(id)!;
      settle(a, { id, address: a.address, kind: a.kind, status: 'skipped', durationMs: 0, skippedBecause: rootId, warnings: [] });
      emit(event('apply.action.skipped', `${a.address}: skipped because ${byId.get(rootId)!.address} failed`, { id, address: a.address, skippedBecause: rootId }));
      skipDependents(rootId, id);
    }
  };

  const start = (a: Action) => {
    let t0 = clock.now().getTime();
    const ctx: RunContext = {
      started: false,
      onStart: () => {
        t0 = clock.now().getTime();
        emit(event('apply.action.start', `${a.kind} ${a.address}`, { id: a.id, address: a.address, kind: a.kind }));
      },
    };
    const p = run(a, ctx)
      .then((out) => {
        const r: ActionResult = { id: a.id, address: a.address, kind: a.kind, status: out.status, durationMs: clock.now().getTime() - t0, warnings: out.warnings };
        if (out.uuid) r.uuid = out.uuid;
        if (out.arn) r.arn = out.arn;
        settle(a, r);
        emit(event('apply.action.done', `${a.address}: ${out.status}`, { id: a.id, address: a.address, kind: a.kind, status: out.status, uuid: out.uuid, durationMs: r.durationMs, warnings: out.warnings }));
        for (const id of dependents.get(a.id) ?? []) {
          const left = waiting.get(id)! - 1;
          waiting.set(id, left);
          if (left === 0 && !results.has(id)) launch(byId.get(id)!);
        }
      })
      .catch((e) => {
        if (e instanceof Cancelled) {
          settle(a, { id: a.id, address: a.address, kind: a.kind, status: 'cancelled', durationMs: 0, warnings: [] });
          return;
        }
        const r: ActionResult = { id: a.id, address: a.address, kind: a.kind, status: 'failed', durationMs: clock.now().getTime() - t0, error: errorOf(e), warnings: [] };
        if ('uuid' in a) r.uuid = a.uuid;
        settle(a, r);
        emit(event('apply.action.failed', `${a.address}: ${r.error!.message}`, { id: a.id, address: a.address, kind: a.kind, error: r.error }));
        skipDependents(a.id, a.id);
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  const launch = (a: Action) => {
    if (signal?.aborted) {
      if (!cancelledEmitted) {
        cancelledEmitted = true;
        emit(event('apply.cancelled', 'cancelled: starting no new actions; waiting for those in flight'));
      }
      settle(a, { id: a.id, address: a.address, kind: a.kind, status: 'cancelled', durationMs: 0, warnings: [] });
      return;
    }
    start(a);
  };

  for (const a of plan.actions) if (a.dependsOn.length === 0) launch(a);
  while (inFlight.size) await Promise.race(inFlight);

  // Anything never reached (cancelled before its dependencies finished).
  for (const a of plan.actions) {
    if (!results.has(a.id)) settle(a, { id: a.id, address: a.address, kind: a.kind, status: 'cancelled', durationMs: 0, warnings: [] });
  }
  if (signal?.aborted && !cancelledEmitted) emit(event('apply.cancelled', 'cancelled: in-flight actions finished'));

  const ordered = plan.actions.map((a) => results.get(a.id)!);
  const report: ApplyReport = {
    formatVersion: 1,
    startedAt,
    finishedAt: clock.now().toISOString(),
    results: ordered,
    ok: ordered.every((r) => r.status === 'done' || r.status === 'adopted'),
  };
  const count = (s: ActionStatus) => ordered.filter((r) => r.status === s).length;
  emit(
    event('apply.done', `apply ${report.ok ? 'complete' : 'finished with problems'}: ${count('done')} done, ${count('adopted')} adopted, ${count('failed')} failed, ${count('skipped')} skipped, ${count('cancelled')} cancelled`, {
      ok: report.ok,
      done: count('done'),
      adopted: count('adopted'),
      failed: count('failed'),
      skipped: count('skipped'),
      cancelled: count('cancelled'),
    }),
  );
  return report;
}
