// Saved plan files: what `plan --out` writes parses back, and anything else is a located user error (never a
// crash); CLI flag parsing of durations and counts into user errors that name the flag.

import { describe, expect, it } from 'vitest';
import { EsmctlError } from '../../../src/core/errors.js';
import type { Plan } from '../../../src/core/types.js';
import { isSavedPlanText, parseSavedPlan, SAVED_PLAN_FORMAT, toSavedPlan } from '../../../src/service/saved-plan.js';
import { parseDuration, parsePositiveInt } from '../../../src/cli/parse.js';

const PLAN: Plan = {
  formatVersion: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  region: 'us-east-1',
  sets: ['shop'],
  specHash: 'abc',
  actions: [],
  warnings: [],
  unmanaged: [],
  fingerprints: [{ key: 'function:orders-ingest', hash: 'h' }],
  summary: { create: 0, update: 0, replace: 0, delete: 0, adopt: 0, putPolicy: 0, deletePolicy: 0 },
};

function userErrorOf(f: () => unknown): EsmctlError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EsmctlError);
    expect((e as EsmctlError).source).toBe('user');
    return e as EsmctlError;
  }
  throw new Error('expected a user error');
}

describe('saved plan files', () => {
  const saved = toSavedPlan(
    { kind: 'plan', plan: PLAN, sets: [], spec: { paths: ['/tmp/shop.yaml'] }, specFiles: [{ path: '/tmp/shop.yaml', sha256: 'x', text: 'apiVersion: esmctl/v1' }] },
    { replaceOnBatchingWindowReset: true },
    new Date('2026-01-01T00:00:01Z'),
  );
  const text = JSON.stringify(saved);

  it('round-trips what plan --out writes', () => {
    expect(isSavedPlanText(text)).toBe(true);
    expect(parseSavedPlan(text, 'plan.json')).toEqual(saved);
    expect(saved).toMatchObject({ format: SAVED_PLAN_FORMAT, version: 1, options: { replaceOnBatchingWindowReset: true } });
  });

  it.each([
    ['not JSON', '{ nope', /plan\.json is not valid JSON/],
    ['another JSON document', JSON.stringify({ formatVersion: 1, actions: [] }), /not an esmctl saved plan/],
    ['a newer version', JSON.stringify({ ...saved, version: 2 }), /saved-plan version 2/],
    ['a damaged plan', JSON.stringify({ ...saved, plan: { formatVersion: 1 } }), /is damaged/],
    ['no spec', JSON.stringify({ ...saved, spec: {} }), /is damaged/],
    ['an action of unknown kind', JSON.stringify({ ...saved, plan: { ...PLAN, actions: [{ id: 'x', kind: 'explode', dependsOn: [] }] } }), /damaged: an action of unknown kind "explode"/],
  ])('refuses %s with a user error', (_name, input, message) => {
    expect(userErrorOf(() => parseSavedPlan(input, 'plan.json')).message).toMatch(message);
  });

  it('does not take a YAML spec or a plan --json output for a saved plan', () => {
    expect(isSavedPlanText('apiVersion: esmctl/v1\nkind: MappingSet\n')).toBe(false);
    expect(isSavedPlanText(JSON.stringify(PLAN))).toBe(false);
  });
});

describe('CLI flag values', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['500ms', 500],
    ['30', 30_000],
  ])('duration %s = %d ms', (text, ms) => {
    expect(parseDuration('--timeout', text)).toBe(ms);
  });

  it.each(['soon', '-5s', '0', '10 minutes'])('duration %s is a user error naming the flag', (text) => {
    expect(userErrorOf(() => parseDuration('--timeout', text)).message).toMatch(/^--timeout: /);
  });

  it.each(['0', '65', '2.5', 'eight', ''])('parallelism %s is a user error', (text) => {
    expect(userErrorOf(() => parsePositiveInt('--parallelism', text, 64)).message).toMatch(/^--parallelism: .* is not a whole number from 1 to 64/);
  });

  it('accepts parallelism 1..64', () => {
    expect(parsePositiveInt('--parallelism', '1', 64)).toBe(1);
    expect(parsePositiveInt('--parallelism', '64', 64)).toBe(64);
  });
});
