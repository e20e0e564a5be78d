// The sandbox's control surface, apart from the emulated AWS APIs: the in-process `SandboxControl` object
// and the same operations over HTTP under `/_sandbox/` (request log, faults, out-of-band edits, reset).

import type { WireReply, SandboxRequest } from './http/protocols.js';
import { AwsError, safeDecode } from './http/protocols.js';
import type { Faults } from './faults.js';
import type { KafkaSandbox } from './kafka-bridge.js';
import type { RequestLogEntry, Runtime } from './runtime.js';
import { buildWorld } from './world.js';
import { editMapping } from './services/lambda/handlers.js';

export type Invocation = ReturnType<KafkaSandbox['invocations']>[number];

export interface SandboxControl {
  /** Every AWS request answered since start (or the last clearLog/reset), oldest first. */
  requestLog(): RequestLogEntry[];
  clearLog(): void;
  /** Change faults at run time; fields left out keep their value. */
  setFaults(f: Faults): void;
  /** Current faults. */
  faults(): Required<Faults>;
  /** Change a mapping out of band, as if someone used the console (API field names; `Enabled` sets the state). */
  editMapping(uuid: string, patch: Record<string, unknown>): void;
  /** Back to the seed: stores rebuilt, faults cleared, log emptied. */
  reset(): void;
  /** Invocations the emulated poller recorded for a mapping (empty without the Kafka broker). */
  invocations(uuid: string): Invocation[];
}

export function createControl(runtime: Runtime): SandboxControl {
  const control: SandboxControl = {
    requestLog: () => runtime.log.map((e) => ({ ...e })),
    clearLog: () => {
      runtime.log.length = 0;
    },
    setFaults(f) {
      runtime.faults.set(f);
      if (f.stateDelayMs !== undefined) {
        if (!(f.stateDelayMs >= 0)) throw new Error('stateDelayMs must be >= 0');
        runtime.world.stateDelayMs = f.stateDelayMs;
      }
    },
    faults: () => ({
      rateLimits: { ...runtime.faults.rateLimits },
      latencyMs: runtime.faults.latencyMs,
      errorRate: runtime.faults.errorRate,
      stateDelayMs: runtime.world.stateDelayMs,
      deny: [...runtime.faults.deny],
    }),
    editMapping(uuid, patch) {
      try {
        editMapping(runtime.world, uuid, patch);
      } catch (e) {
        if (e instanceof AwsError) throw new Error(`editMapping: no event source mapping ${uuid}`);
        throw e;
      }
    },
    reset() {
      runtime.world = buildWorld(runtime.seed, { stateDelayMs: runtime.initialStateDelayMs, listeners: runtime.kafka?.listeners, file: runtime.seedFile });
      runtime.faults.clear();
      runtime.log.length = 0;
    },
    invocations: (uuid) => runtime.kafka?.invocations(uuid) ?? [],
  };
  return control;
}

const json = (status: number, body: unknown): WireReply => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The control surface over HTTP, under /_sandbox/. */
export function controlHttpHandler(runtime: Runtime, control: SandboxControl, url: () => string) {
  return async (req: SandboxRequest): Promise<WireReply> => {
    const seg = req.rawPath.split('/').filter(Boolean).map(safeDecode).slice(1);
    const body = (): Record<string, unknown> => {
      const v = req.body.length ? (JSON.parse(req.body.toString('utf8')) as unknown) : {};
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('the body must be a JSON object');
      return v as Record<string, unknown>;
    };
    try {
      const route = `${req.method} ${seg.join('/')}`;
      if (route === 'GET health' || route === 'GET ') {
        return json(200, { ok: true, url: url(), region: runtime.world.region, accountId: runtime.world.accountId, kafka: runtime.kafka ? runtime.kafka.listeners : null });
      }
      if (route === 'GET requests') return json(200, { requests: control.requestLog() });
      if (route === 'DELETE requests') return control.clearLog(), json(200, { ok: true });
      if (route === 'GET faults') return json(200, control.faults());
      if (route === 'POST faults' || route === 'PUT faults') return control.setFaults(body() as Faults), json(200, control.faults());
      if (route === 'POST reset') return control.reset(), json(200, { ok: true });
      if (seg[0] === 'mappings' && seg.length === 2 && (req.method === 'PATCH' || req.method === 'POST')) {
        control.editMapping(seg[1], body());
        return json(200, { ok: true });
      }
      if (seg[0] === 'mappings' && seg.length === 3 && seg[2] === 'invocations' && req.method === 'GET') return json(200, { invocations: control.invocations(seg[1]) });
      return json(404, {
        error: `no control route ${req.method} /_sandbox/${seg.join('/')}`,
        routes: ['GET /_sandbox/health', 'GET|DELETE /_sandbox/requests', 'GET|POST /_sandbox/faults', 'POST /_sandbox/reset', 'PATCH /_sandbox/mappings/{uuid}', 'GET /_sandbox/mappings/{uuid}/invocations'],
      });
    } catch (e) {
      return json(400, { error: (e as Error).message });
    }
  };
}
