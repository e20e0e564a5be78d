// The running sandbox's mutable state, shared by the HTTP server, the control surface and the Kafka host:
// the current world (swapped on reset), the fault injector, the request log and the Kafka side.

import type { FaultInjector } from './faults.js';
import type { KafkaSandbox } from './kafka-bridge.js';
import type { SandboxSeed } from './seed.js';
import type { World } from './world.js';

export interface RequestLogEntry {
  service: string;
  operation: string;
  status: number;
  /** ISO time the request arrived. */
  at: string;
  /** Time to answer, including injected latency. */
  ms: number;
}

export interface Runtime {
  world: World;
  faults: FaultInjector;
  log: RequestLogEntry[];
  seed: SandboxSeed;
  seedFile?: string;
  /** Initial state delay, restored by reset. */
  initialStateDelayMs: number;
  kafka?: KafkaSandbox;
}
