// The terminal as the CLI sees it: the three streams, whether each is a TTY, and whether to colour
// (only on a TTY, never with NO_COLOR or --no-color). Passed around instead of reading process.* everywhere.

import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

export interface Terminal {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Colour for stdout output (plans, reports). */
  color: boolean;
  /** Colour for stderr output (progress, errors). */
  colorErr: boolean;
  c: Colors;
  cErr: Colors;
}

/** NO_COLOR (any non-empty value, see no-color.org) turns colour off everywhere. */
export function colorAllowed(env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  const noColor = env.NO_COLOR;
  return noColor === undefined || noColor === '';
}

export function processTerminal(opts: { color?: boolean } = {}): Terminal {
  const allowed = colorAllowed(process.env, opts.color);
  const color = allowed && process.stdout.isTTY === true;
  const colorErr = allowed && process.stderr.isTTY === true;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    color,
    colorErr,
    c: pc.createColors(color),
    cErr: pc.createColors(colorErr),
  };
}

/** `1.2s`, `45s`, `2m05s`. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
