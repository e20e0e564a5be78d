// validateSpecs: load and check specs without AWS (no credentials, no network) and summarise each set.
// Returns data for the CLI (`esmctl validate`) and the MCP server; never prints.

import type { SpecProblem } from '../spec/index.js';
import { loadSpec } from './spec-input.js';
import type { ServiceDeps, SpecInput } from './types.js';

export interface ValidatedSet {
  name: string;
  region?: string;
  files: string[];
  /** `set/name` of each mapping, in spec order. */
  addresses: string[];
}

export interface ValidateOutcome {
  ok: boolean;
  sets: ValidatedSet[];
  problems: SpecProblem[];
}

/** Checks the spec; `deps` is accepted for symmetry with the other service functions and never used (no AWS). */
export async function validateSpecs(input: { spec: SpecInput }, _deps?: Partial<ServiceDeps>): Promise<ValidateOutcome> {
  const { sets, problems } = await loadSpec(input.spec);
  return {
    ok: problems.length === 0,
    sets: sets.map((s) => ({
      name: s.name,
      ...(s.region !== undefined ? { region: s.region } : {}),
      files: s.files,
      addresses: s.mappings.map((m) => m.address),
    })),
    problems,
  };
}

/** `payments: 2 mappings valid (region us-east-1; examples/msk-scram.yaml)` */
export function summarizeSet(s: ValidatedSet): string {
  const n = s.addresses.length;
  const region = s.region ? `region ${s.region}` : 'region from --region/AWS_REGION';
  return `${s.name}: ${n} mapping${n === 1 ? '' : 's'} valid (${region}; ${s.files.join(', ')})`;
}
