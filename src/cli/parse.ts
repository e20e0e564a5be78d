// Parsing and checking CLI flag values (durations, counts, exclusive output formats) into user errors that name
// the flag, so a typo never reaches AWS.

import { userError } from '../core/errors.js';

/** `90s`, `10m`, `1h`, `500ms`, or a bare number of seconds → milliseconds. */
export function parseDuration(flag: string, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(value);
  if (!m) {
    throw userError('cli.bad_duration', `${flag}: '${value}' is not a duration`, 'Use a number with a unit, e.g. 90s, 10m or 1h.');
  }
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  const ms = unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000;
  if (ms <= 0) throw userError('cli.bad_duration', `${flag}: must be more than zero`, 'e.g. 10m');
  return Math.round(ms);
}

export function parsePositiveInt(flag: string, value: string, max = 1000): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n) || n < 1 || n > max) {
    throw userError('cli.bad_number', `${flag}: '${value}' is not a whole number from 1 to ${max}`);
  }
  return n;
}

export function exclusive(flags: Record<string, unknown>): void {
  const set = Object.entries(flags).filter(([, v]) => v === true || (typeof v === 'string' && v !== ''));
  if (set.length > 1) {
    throw userError('cli.exclusive_flags', `${set.map(([k]) => k).join(' and ')} cannot be used together`, 'Choose one output format.');
  }
}
