// The write pacer (src/aws/pacer.ts): unpaced until a throttle, then paced a little under what succeeded, probing
// upward slowly. Deterministic: a manual clock whose sleep advances time.

import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/ports.js';
import { Pacer, Pacers } from '../../../src/aws/pacer.js';

function manualClock(start = 1_000_000) {
  let t = start;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => new Date(t),
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
  return { clock, sleeps, at: () => t, advance: (ms: number) => (t += ms) };
}

/** n calls that succeed, each `spacingMs` after the previous one starts; returns their start times. */
async function succeed(p: Pacer, c: ReturnType<typeof manualClock>, n: number, spacingMs = 0): Promise<number[]> {
  const starts: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = await p.acquire();
    starts.push(s);
    p.success(s);
    c.advance(spacingMs);
  }
  return starts;
}

describe('Pacer', () => {
  it('does not pace before the first throttle', async () => {
    const c = manualClock();
    const p = new Pacer(c.clock);
    await succeed(p, c, 50);
    expect(c.sleeps).toEqual([]);
    expect(p.rate()).toBe(Infinity);
  });

  it('after a throttle ends an unpaced burst, waits out Retry-After, then paces at 95% of what succeeded', async () => {
    const c = manualClock();
    const p = new Pacer(c.clock);
    await succeed(p, c, 10, 5);
    p.throttled(1000);
    expect(p.rate()).toBeCloseTo(9.5, 5);
    const t0 = c.at();
    const first = await p.acquire();
    expect(first).toBe(t0 + 1000);
    const second = await p.acquire();
    expect(second - first).toBeCloseTo(1000 / 9.5, 0); // spacing fixed when the first turn was handed out
  });

  it('counts calls in flight at the cut that succeed after it', async () => {
    const c = manualClock();
    const p = new Pacer(c.clock);
    const inFlight = [await p.acquire(), await p.acquire()];
    await succeed(p, c, 8, 5);
    p.throttled(1000);
    expect(p.rate()).toBeCloseTo(0.95 * 8, 5);
    for (const s of inFlight) p.success(s);
    expect(p.rate()).toBeCloseTo(0.95 * 10, 5);
  });

  it('ignores throttles within a window of the last cut (answers to calls already sent)', async () => {
    const c = manualClock();
    const p = new Pacer(c.clock);
    await succeed(p, c, 10, 5);
    p.throttled(1000);
    c.advance(200);
    p.throttled(1000);
    p.throttled(1000);
    expect(p.rate()).toBeCloseTo(9.5 * 1.002, 5);
  });

  it('probes upward by 1% of the paced rate per second', async () => {
    const c = manualClock();
    const p = new Pacer(c.clock);
    await succeed(p, c, 10, 5);
    p.throttled(1000);
    c.advance(10_000);
    expect(p.rate()).toBeCloseTo(9.5 * 1.1, 5);
  });

  it('paced, a throttle with successes near the pace backs off by 5%; clearly fewer cuts below what succeeded', async () => {
    const c = manualClock();
    const p = new Pacer(c.clock);
    await succeed(p, c, 10, 5);
    p.throttled(1000);
    c.advance(5000); // rate now 9.5 · 1.05
    // the last second at the pace: ~9 successes (≥ 85% of the pace)
    const pace = p.rate();
    await succeed(p, c, 9, 100);
    const before = p.rate();
    p.throttled(1000);
    expect(p.rate()).toBeCloseTo(0.95 * before, 5);
    expect(before).toBeGreaterThan(pace);

    // the limit drops: over the next window only 4 calls succeed
    c.advance(2000);
    await succeed(p, c, 4, 200);
    const rate = p.rate();
    p.throttled(1000);
    expect(p.rate()).toBeCloseTo(0.95 * 4, 5);
    expect(p.rate()).toBeLessThan(0.95 * rate);
  });

  it('hands out turns in call order at the paced spacing, never below the minimum rate', async () => {
    const c = manualClock();
    const p = new Pacer(c.clock, { minRate: 2 });
    p.throttled(); // first call throttled: nothing succeeded, no Retry-After
    expect(p.rate()).toBe(2);
    const starts = await Promise.all([p.acquire(), p.acquire(), p.acquire()]);
    for (const gap of [starts[1] - starts[0], starts[2] - starts[1]]) {
      expect(gap).toBeGreaterThan(490); // 1000 / 2, less the probe's growth meanwhile
      expect(gap).toBeLessThanOrEqual(500);
    }
  });
});

describe('Pacers', () => {
  it('keeps one pacer per operation', () => {
    const c = manualClock();
    const ps = new Pacers(c.clock);
    expect(ps.get('CreateEventSourceMappingCommand')).toBe(ps.get('CreateEventSourceMappingCommand'));
    expect(ps.get('CreateEventSourceMappingCommand')).not.toBe(ps.get('DeleteEventSourceMappingCommand'));
  });
});
