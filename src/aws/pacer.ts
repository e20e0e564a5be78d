// Pacer: client-side rate limiting for one kind of call, learned from throttling. Unpaced until the first throttle;
// then it paces at a little below the rate that demonstrably succeeded (successful calls in the last window when
// the throttle arrived), spacing calls evenly, and probes upward slowly until the next throttle cuts it again.
// Unlike the SDK's adaptive mode it never cuts below what just succeeded, so it does not oscillate around 70%.
// A throttle that ends an unpaced burst means the service's allowance is spent: it waits out Retry-After first.

import type { Clock } from '../core/ports.js';

export interface PacerOptions {
  /** Fraction of the measured successful rate to pace at. Default 0.95. */
  headroom?: number;
  /** Upward probe per second without a throttle, as a fraction of the paced rate. Default 0.01. */
  probePerSecond?: number;
  /** The window successes are counted in, ms. Default 1000. */
  windowMs?: number;
  /** Lowest rate, calls per second. Default 0.5. */
  minRate?: number;
  /**
   * A throttle while paced, with successes in the window at least this fraction of the pace, cuts the pace by the
   * headroom only (a one-window count is noisy by about one call); fewer cuts it to below what succeeded. Default 0.85.
   */
  noiseFloor?: number;
}

export class Pacer {
  private readonly headroom: number;
  private readonly probe: number;
  private readonly windowMs: number;
  private readonly minRate: number;
  private readonly noiseFloor: number;
  /** Paced rate at the last cut (calls/s); Infinity while unpaced. */
  private base = Infinity;
  private cutAt = -Infinity;
  /** Earliest time the next call may start. */
  private nextAt = -Infinity;
  /** Start times of recent successful calls. */
  private readonly successes: number[] = [];
  /** At the last cut: the rate to stay under, and how many calls that started in the window before it succeeded. */
  private cutCap = Infinity;
  private cutCount = 0;

  constructor(
    private readonly clock: Clock,
    opts: PacerOptions = {},
  ) {
    this.headroom = opts.headroom ?? 0.95;
    this.probe = opts.probePerSecond ?? 0.01;
    this.windowMs = opts.windowMs ?? 1000;
    this.minRate = opts.minRate ?? 0.5;
    this.noiseFloor = opts.noiseFloor ?? 0.85;
  }

  /** The current rate (calls/s), Infinity while unpaced. */
  rate(now = this.clock.now().getTime()): number {
    if (this.base === Infinity) return Infinity;
    return this.base * (1 + (this.probe * Math.max(0, now - this.cutAt)) / 1000);
  }

  /** Waits for this call's turn (FIFO: turns are handed out in call order); resolves to the call's start time. */
  async acquire(): Promise<number> {
    const now = this.clock.now().getTime();
    const rate = this.rate(now);
    if (rate === Infinity && this.nextAt <= now) return now;
    const at = Math.max(now, this.nextAt);
    this.nextAt = rate === Infinity ? at : at + 1000 / rate;
    if (at > now) await this.clock.sleep(at - now);
    return at;
  }

  /** A call that started at `startedAt` (acquire's answer) succeeded. */
  success(startedAt: number): void {
    const now = this.clock.now().getTime();
    this.successes.push(startedAt);
    this.trim(now);
    // A call in flight at the last cut that succeeded after it: the rate measured at the cut was that much higher.
    if (startedAt <= this.cutAt && startedAt > this.cutAt - this.windowMs) {
      this.cutCount++;
      this.base = Math.max(this.base, Math.min(this.cutCap, this.headroom * this.perSecond(this.cutCount)));
    }
  }

  /** A call was throttled; `retryAfterMs` is the service's hint, if it gave one. */
  throttled(retryAfterMs?: number): void {
    const now = this.clock.now().getTime();
    this.trim(now);
    // Throttles of calls already in flight at a cut say nothing new.
    if (now - this.cutAt < this.windowMs) return;
    const wasPaced = this.base !== Infinity;
    const rate = this.rate(now);
    this.cutCount = this.successes.filter((t) => t > now - this.windowMs).length;
    const measured = this.perSecond(this.cutCount);
    // Paced: a success count within counting noise of the pace means the pace was just over the limit (back off by
    // the headroom); clearly fewer means the limit dropped (pace under what succeeded). Unpaced: what succeeded.
    this.cutCap = this.headroom * rate;
    const basis = wasPaced && measured >= this.noiseFloor * rate ? rate : measured;
    this.base = Math.max(this.minRate, Math.min(this.cutCap, this.headroom * basis));
    this.cutAt = now;
    if (!wasPaced && retryAfterMs !== undefined) this.nextAt = Math.max(this.nextAt, now + retryAfterMs);
    else this.nextAt = Math.max(this.nextAt, now + 1000 / this.base);
  }

  private perSecond(count: number): number {
    return (count * 1000) / this.windowMs;
  }

  private trim(now: number): void {
    // start times arrive nearly in order; keep two windows so late answers still count
    while (this.successes.length && this.successes[0] <= now - 2 * this.windowMs) this.successes.shift();
  }
}

/** One pacer per operation name, made on first use. */
export class Pacers {
  private readonly byName = new Map<string, Pacer>();

  constructor(
    private readonly clock: Clock,
    private readonly opts: PacerOptions = {},
  ) {}

  get(name: string): Pacer {
    let p = this.byName.get(name);
    if (!p) this.byName.set(name, (p = new Pacer(this.clock, this.opts)));
    return p;
  }
}
