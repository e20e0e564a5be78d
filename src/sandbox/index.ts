// The sandbox's public API: startSandbox() starts the emulated AWS endpoint (Lambda, IAM, STS, MSK, Secrets
// Manager) on 127.0.0.1, optionally with the Kafka broker and emulated poller, and returns its URL, env and control.

import type { AddressInfo } from 'node:net';
import { createSandboxServer } from './http/router.js';
import { FaultInjector, type Faults } from './faults.js';
import { createControl, controlHttpHandler, type SandboxControl } from './control.js';
import { createKafkaHost } from './kafka-host.js';
import type { KafkaHost, KafkaSandbox } from './kafka-bridge.js';
import type { Runtime } from './runtime.js';
import { checkSeed, loadSeedFile, locateProblems, readSeedText, SeedError, type SandboxSeed } from './seed.js';
import { buildWorld, type World } from './world.js';

export type { SandboxControl, Invocation } from './control.js';
export type { Faults } from './faults.js';
export type { RequestLogEntry } from './runtime.js';
export type { SandboxSeed, SeedFunction, SeedRole, SeedPolicy, SeedCluster, SeedSecret, ClusterAuthMode } from './seed.js';
export { SeedError, parseSeed, loadSeedFile, checkSeed } from './seed.js';
export type { KafkaSandbox, KafkaListeners } from './kafka-bridge.js';

export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** A seed file path, or a seed object. */
  seed?: string | SandboxSeed;
  /** Delay of mapping state transitions in ms (default 0: settle at the next read). */
  stateDelayMs?: number;
  /** Faults active from the start. */
  faults?: Faults;
  /** Start the sandbox Kafka broker and emulated poller too. */
  kafka?: boolean | { partitions?: number };
}

export interface RunningSandbox {
  url: string;
  /** AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION for clients of this sandbox. */
  env: Record<string, string>;
  control: SandboxControl;
  kafka?: KafkaSandbox;
  stop(): Promise<void>;
}

interface KafkaModule {
  startKafkaSandbox(host: KafkaHost, opts: { partitions?: number }): Promise<KafkaSandbox>;
}

/** Path of the Kafka side, held in a variable so this module builds before src/sandbox/kafka/index.ts exists. */
const KAFKA_MODULE = './kafka/index.js';

export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const seedFile = typeof opts.seed === 'string' ? opts.seed : undefined;
  const seed: SandboxSeed = typeof opts.seed === 'string' ? loadSeedFile(opts.seed) : (opts.seed ?? {});
  if (typeof opts.seed === 'object') {
    const problems = checkSeed(opts.seed);
    if (problems.length > 0) throw new SeedError('(seed)', problems);
  }
  const stateDelayMs = opts.stateDelayMs ?? 0;
  let world: World;
  try {
    world = buildWorld(seed, { stateDelayMs, file: seedFile });
  } catch (e) {
    // problems found while seeding (e.g. a mapping AWS would refuse): point at their place in the file
    if (e instanceof SeedError && seedFile) throw new SeedError(seedFile, locateProblems(readSeedText(seedFile), seedFile, e.problems));
    throw e;
  }
  const runtime: Runtime = {
    world,
    faults: new FaultInjector(),
    log: [],
    seed,
    seedFile,
    initialStateDelayMs: stateDelayMs,
  };
  const control = createControl(runtime);
  if (opts.faults) control.setFaults(opts.faults);

  let url = '';
  const server = createSandboxServer(runtime, controlHttpHandler(runtime, control, () => url));
  // keep idle connections as AWS endpoints do (a 1 s hint makes Node's http.Agent drop every socket after use)
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;

  const closeServer = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  if (opts.kafka) {
    try {
      const mod = (await import(KAFKA_MODULE)) as KafkaModule;
      const partitions = typeof opts.kafka === 'object' ? opts.kafka.partitions : undefined;
      runtime.kafka = await mod.startKafkaSandbox(createKafkaHost(runtime), { partitions });
      runtime.world.msk.listeners = runtime.kafka.listeners;
    } catch (e) {
      await closeServer();
      throw new Error(`the sandbox Kafka broker could not start: ${(e as Error).message}`);
    }
  }

  let stopped = false;
  return {
    url,
    env: {
      AWS_ENDPOINT_URL: url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: runtime.world.region,
    },
    control,
    kafka: runtime.kafka,
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all([closeServer(), runtime.kafka?.stop()]);
    },
  };
}
