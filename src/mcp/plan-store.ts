// The per-session plan store: plan_id → the saved plan (the plan with its spec hash and fingerprints, and the
// spec it was built from), so `apply` can run exactly that plan later and refuse it when anything moved.

import { randomBytes } from 'node:crypto';
import type { SavedPlan } from '../service/saved-plan.js';

export interface StoredPlan {
  id: string;
  saved: SavedPlan;
  /** The region the plan tool was asked for (undefined: from the spec, --region or the environment). */
  region?: string;
  /** Set once apply ran it (a plan is applied at most once). */
  appliedAt?: string;
}

/** Plans kept per session; the oldest are dropped beyond `limit`. */
export class PlanStore {
  private readonly plans = new Map<string, StoredPlan>();

  constructor(private readonly limit = 50) {}

  put(saved: SavedPlan, region: string | undefined): StoredPlan {
    const id = `plan-${randomBytes(6).toString('hex')}`;
    const stored: StoredPlan = { id, saved, region };
    this.plans.set(id, stored);
    while (this.plans.size > this.limit) {
      const oldest = this.plans.keys().next().value as string;
      this.plans.delete(oldest);
    }
    return stored;
  }

  get(id: string): StoredPlan | undefined {
    return this.plans.get(id);
  }
}
