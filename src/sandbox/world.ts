// The sandbox's whole emulated AWS account: one store per service, the clock and the state delay, built from
// a seed. Reset rebuilds it from the same seed.

import type { SandboxSeed } from './seed.js';
import { SeedError } from './seed.js';
import { AwsError } from './http/protocols.js';
import { IamStore } from './services/iam/store.js';
import { LambdaStore, type MappingState } from './services/lambda/store.js';
import { createMapping } from './services/lambda/handlers.js';
import { MskStore } from './services/kafka/store.js';
import { SecretsStore } from './services/secrets-manager/store.js';
import type { KafkaListeners } from './kafka-bridge.js';

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT = '123456789012';

export interface World {
  region: string;
  accountId: string;
  now(): number;
  /** Delay of every mapping state transition (Creating, Updating, Enabling, Disabling, Deleting), in ms. */
  stateDelayMs: number;
  lambda: LambdaStore;
  iam: IamStore;
  msk: MskStore;
  secrets: SecretsStore;
}

export function buildWorld(seed: SandboxSeed, opts: { stateDelayMs: number; now?: () => number; listeners?: KafkaListeners; file?: string }): World {
  const region = seed.region ?? DEFAULT_REGION;
  const accountId = seed.accountId ?? DEFAULT_ACCOUNT;
  const now = opts.now ?? (() => Date.now());
  const world: World = {
    region,
    accountId,
    now,
    stateDelayMs: opts.stateDelayMs,
    lambda: undefined as unknown as LambdaStore,
    iam: new IamStore(accountId, now),
    msk: new MskStore(region, accountId, now),
    secrets: new SecretsStore(region, accountId, now),
  };
  world.lambda = new LambdaStore(region, accountId, now, () => world.stateDelayMs);
  world.msk.listeners = opts.listeners;
  const problems: string[] = [];
  const attempt = (at: string, f: () => void) => {
    try {
      f();
    } catch (e) {
      problems.push(`${at}: ${e instanceof AwsError ? `${e.code}: ${e.message}` : (e as Error).message}`);
    }
  };
  (seed.policies ?? []).forEach((p, i) => attempt(`policies[${i}]`, () => world.iam.addPolicy(p)));
  (seed.roles ?? []).forEach((r, i) => attempt(`roles[${i}]`, () => world.iam.addRole(r)));
  (seed.functions ?? []).forEach((f, i) =>
    attempt(`functions[${i}]`, () => {
      const role = world.iam.findRole(f.role) ?? world.iam.addRole({ name: f.role.startsWith('arn:') ? f.role.slice(f.role.lastIndexOf('/') + 1) : f.role });
      world.lambda.addFunction(f, role.arn);
    }),
  );
  (seed.clusters ?? []).forEach((c, i) => attempt(`clusters[${i}]`, () => world.msk.add(c)));
  (seed.secrets ?? []).forEach((s, i) => attempt(`secrets[${i}]`, () => world.secrets.add(s)));
  (seed.mappings ?? []).forEach((m, i) =>
    attempt(`mappings[${i}]`, () => {
      const { UUID, State, ...request } = m as { UUID?: string; State?: MappingState } & Record<string, unknown>;
      const settled: MappingState = State ?? (request.Enabled === false ? 'Disabled' : 'Enabled');
      createMapping(world, request, { uuid: UUID, settledState: settled });
    }),
  );
  if (problems.length > 0) throw new SeedError(opts.file ?? '(seed)', problems);
  return world;
}
