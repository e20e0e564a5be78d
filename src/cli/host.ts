// The CLI's IoHost: engine events become progress lines on stderr (a live line with elapsed time on a TTY, plain
// lines otherwise), a built plan can be shown on stdout, and confirmations are the `yes` prompt on a TTY only.

import { createInterface } from 'node:readline';
import type { EsmctlEvent, IoHost } from '../core/events.js';
import type { Plan } from '../core/types.js';
import { formatDuration, type Terminal } from './terminal.js';

export interface TerminalHostOptions {
  debug?: boolean;
  /** Called when the engine has built a plan (apply prints it before asking). */
  onPlan?: (plan: Plan, saved: boolean) => void;
  /** Suppress info-level progress (e.g. --json keeps stderr to warnings and errors). */
  quiet?: boolean;
}

interface InFlight {
  label: string;
  startedAt: number;
}

const LIVE_TICK_MS = 1000;

export class TerminalHost implements IoHost {
  signal?: AbortSignal;
  private readonly inFlight = new Map<string, InFlight>();
  private timer: NodeJS.Timeout | undefined;
  private liveShown = false;
  private readonly live: boolean;
  private readonly abort = new AbortController();
  private sigintHandler: (() => void) | undefined;
  private cancelPrompt: (() => void) | undefined;

  constructor(
    private readonly term: Terminal,
    private readonly options: TerminalHostOptions = {},
  ) {
    this.live = term.stderr.isTTY === true;
  }

  emit(ev: EsmctlEvent): void {
    if (ev.code === 'plan.built') {
      const plan = ev.data?.plan as Plan | undefined;
      if (plan && this.options.onPlan) {
        this.clearLive();
        this.options.onPlan(plan, ev.data?.saved === true);
        this.drawLive();
        return;
      }
      if (!this.options.debug) return; // the command prints the plan and its summary itself
    }
    if (ev.level === 'debug' && !this.options.debug) return;
    if (this.options.quiet && (ev.level === 'info' || ev.level === 'result' || ev.level === 'debug') && !this.options.debug) {
      this.track(ev);
      return;
    }
    const elapsed = this.track(ev);
    const { cErr: c } = this.term;
    let line = ev.message;
    if (elapsed !== undefined && !/\b\d+(\.\d+)?\s?(ms|s)\b/.test(line)) line += c.dim(` [${formatDuration(elapsed)}]`);
    if (ev.level === 'warn') line = `${c.yellow('Warning:')} ${line}`;
    else if (ev.level === 'error') line = `${c.red('Error:')} ${line}`;
    else if (ev.level === 'debug') line = c.dim(line);
    this.writeLine(line);
  }

  /** Writes a permanent line to stderr, keeping the live line below it. */
  writeLine(line: string): void {
    this.clearLive();
    this.term.stderr.write(`${line}\n`);
    this.drawLive();
  }

  /** Asks on a TTY; without a TTY (or when stdin closes) the answer is no. Only `yes` is accepted. */
  async confirm(question: string): Promise<boolean> {
    if (this.term.stdin.isTTY !== true) return false;
    this.clearLive();
    const { cErr: c } = this.term;
    const rl = createInterface({ input: this.term.stdin, output: this.term.stderr, terminal: true });
    try {
      const answer = await new Promise<string | null>((resolve) => {
        // Ctrl-C at the prompt (raw mode: readline's SIGINT; cooked: the process signal) answers no.
        this.cancelPrompt = () => resolve(null);
        rl.once('SIGINT', () => resolve(null));
        rl.once('close', () => resolve(null));
        rl.question(`\n${c.bold(question)}\n  Enter a value: `, (a) => resolve(a));
      });
      if (answer === null) this.term.stderr.write('\n');
      return answer !== null && answer.trim() === 'yes';
    } finally {
      this.cancelPrompt = undefined;
      rl.close();
    }
  }

  /**
   * While the engine runs: the first Ctrl-C stops new actions (the engine waits for those in flight and reports),
   * a second one exits at once.
   */
  handleInterrupts(): void {
    this.signal = this.abort.signal;
    let count = 0;
    this.sigintHandler = () => {
      if (this.cancelPrompt) {
        this.cancelPrompt();
        return;
      }
      count++;
      if (count === 1) {
        this.abort.abort();
        this.writeLine(this.term.cErr.yellow('Interrupt received: no new actions will start; waiting for those in flight. Press Ctrl-C again to exit now.'));
      } else {
        this.close();
        process.exit(130);
      }
    };
    process.on('SIGINT', this.sigintHandler);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clearLive();
    if (this.sigintHandler) process.off('SIGINT', this.sigintHandler);
    this.sigintHandler = undefined;
  }

  /** Tracks action starts and ends; returns the elapsed time of an action that just ended. */
  private track(ev: EsmctlEvent): number | undefined {
    const key = String(ev.data?.id ?? ev.data?.address ?? '');
    if (!key) return undefined;
    if (ev.code === 'apply.action.start') {
      const label = String(ev.data?.address ?? key);
      const kind = ev.data?.kind ? `${String(ev.data.kind)} ` : '';
      this.inFlight.set(key, { label: `${kind}${label}`, startedAt: Date.now() });
      this.ensureTimer();
      return undefined;
    }
    if (ev.code === 'apply.action.done' || ev.code === 'apply.action.failed' || ev.code === 'apply.action.skipped') {
      const f = this.inFlight.get(key);
      this.inFlight.delete(key);
      if (this.inFlight.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
      return f ? Date.now() - f.startedAt : undefined;
    }
    return undefined;
  }

  private ensureTimer(): void {
    if (!this.live || this.timer) return;
    this.timer = setInterval(() => {
      this.clearLive();
      this.drawLive();
    }, LIVE_TICK_MS);
    this.timer.unref();
  }

  private drawLive(): void {
    if (!this.live || this.inFlight.size === 0) return;
    const now = Date.now();
    const items = [...this.inFlight.values()].map((f) => `${f.label} (${formatDuration(now - f.startedAt)})`);
    const width = Math.max(40, (this.term.stderr.columns || 100) - 1);
    let text = `… ${this.inFlight.size} in progress: ${items.join(', ')}`;
    if (text.length > width) text = `${text.slice(0, width - 1)}…`;
    this.term.stderr.write(this.term.cErr.dim(text));
    this.liveShown = true;
  }

  private clearLive(): void {
    if (!this.liveShown) return;
    this.term.stderr.write('\r\x1b[K');
    this.liveShown = false;
  }
}
