// Fault injection for tests and benchmarks: per-operation request-rate limits (a sliding one-second window),
// added latency, a deterministic rate of 5xx answers, and the state-transition delay.

export interface Faults {
  /** Requests per second allowed, by operation name ('ListEventSourceMappings'), 'service:Operation', or '*'. */
  rateLimits?: Record<string, number>;
  /** Added to every AWS request, in ms. */
  latencyMs?: number;
  /** Fraction 0..1 of AWS requests answered with the service's 5xx error (deterministic: the next request fails, then one in 1/rate; 0.5 fails every other request). */
  errorRate?: number;
  /** Delay of mapping state transitions, in ms. */
  stateDelayMs?: number;
  /** Operations ('PutRolePolicy', 'iam:PutRolePolicy' or '*') answered with the service's AccessDenied, as for a caller whose IAM policy lacks them. */
  deny?: string[];
}

export class FaultInjector {
  rateLimits: Record<string, number> = {};
  latencyMs = 0;
  errorRate = 0;
  deny: string[] = [];
  private windows = new Map<string, number[]>();
  private errorCredit = 0;

  set(f: Faults): void {
    if (f.rateLimits !== undefined) {
      for (const [k, v] of Object.entries(f.rateLimits)) if (!(typeof v === 'number' && v >= 0)) throw new Error(`rateLimits.${k} must be a number of requests per second (>= 0)`);
      this.rateLimits = { ...f.rateLimits };
      this.windows.clear();
    }
    if (f.latencyMs !== undefined) {
      if (!(f.latencyMs >= 0)) throw new Error('latencyMs must be >= 0');
      this.latencyMs = f.latencyMs;
    }
    if (f.deny !== undefined) {
      if (!Array.isArray(f.deny) || f.deny.some((d) => typeof d !== 'string' || d === '')) throw new Error('deny must be a list of operation names');
      this.deny = [...f.deny];
    }
    if (f.errorRate !== undefined) {
      if (!(f.errorRate >= 0 && f.errorRate <= 1)) throw new Error('errorRate must be between 0 and 1');
      this.errorRate = f.errorRate;
      // the first request after setting a rate fails, then one in every 1/rate
      this.errorCredit = f.errorRate > 0 ? 1 - f.errorRate : 0;
    }
  }

  clear(): void {
    this.rateLimits = {};
    this.latencyMs = 0;
    this.errorRate = 0;
    this.errorCredit = 0;
    this.deny = [];
    this.windows.clear();
  }

  /** True when the caller is denied this operation. */
  isDenied(service: string, operation: string): boolean {
    return this.deny.some((d) => d === operation || d === `${service}:${operation}` || d === '*');
  }

  /** True when this request exceeds its operation's rate; accepted requests are counted. */
  isThrottled(service: string, operation: string, now: number): boolean {
    const key = [operation, `${service}:${operation}`, '*'].find((k) => this.rateLimits[k] !== undefined);
    if (key === undefined) return false;
    const limit = this.rateLimits[key];
    const w = (this.windows.get(key) ?? []).filter((t) => t > now - 1000);
    this.windows.set(key, w);
    if (w.length >= limit) return true;
    w.push(now);
    return false;
  }

  /** True when this request should get a 5xx answer. */
  isFailure(): boolean {
    if (this.errorRate <= 0) return false;
    this.errorCredit += this.errorRate;
    if (this.errorCredit >= 1 - 1e-9) {
      this.errorCredit -= 1;
      return true;
    }
    return false;
  }
}
