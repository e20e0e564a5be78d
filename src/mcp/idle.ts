// Idle shutdown for the MCP server: a clock that every request and response resets; when it runs out the
// server closes and the process exits with one line on stderr. 0 seconds disables it.

export interface IdleClock {
  /** A request or response just happened: start counting again. */
  touch(): void;
  stop(): void;
}

export function startIdleClock(seconds: number, onIdle: () => void): IdleClock {
  if (!(seconds > 0)) return { touch() {}, stop() {} };
  const ms = Math.round(seconds * 1000);
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(onIdle, ms);
  };
  arm();
  return {
    touch: arm,
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
