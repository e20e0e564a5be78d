// The one catalogue of events the engine emits (as AWS CDK's messages.ts): each has a code and a level, so the
// CLI, MCP logging and tests name the same things. The engine never prints: it emits to an IoHost.

export type EventLevel = 'debug' | 'info' | 'warn' | 'error' | 'result';

/** Every event code, with its level. Add new events here (additively), never inline elsewhere. */
export const EVENTS = {
  'read.start': 'debug',
  'read.done': 'info',
  'plan.built': 'info',
  'apply.start': 'info',
  'apply.action.start': 'info',
  'apply.action.wait': 'debug',
  'apply.action.retry': 'warn',
  'apply.action.done': 'info',
  'apply.action.failed': 'error',
  'apply.action.skipped': 'warn',
  'apply.cancelled': 'warn',
  'apply.done': 'info',
  'aws.call': 'debug',
  'kafka.step': 'info',
  'kafka.progress': 'info',
} as const satisfies Record<string, EventLevel>;

export type EventCode = keyof typeof EVENTS;

export interface EsmctlEvent {
  code: EventCode;
  level: EventLevel;
  message: string;
  /** Structured facts (address, uuid, elapsedMs, …). Never secret values. */
  data?: Record<string, unknown>;
}

export function event(code: EventCode, message: string, data?: Record<string, unknown>): EsmctlEvent {
  return { code, level: EVENTS[code], message, data };
}

/** Where events go, and how the engine asks a person a question. The CLI and MCP each implement one. */
export interface IoHost {
  emit(event: EsmctlEvent): void;
  /** Ask for a yes/no confirmation; hosts that cannot ask return false. */
  confirm(question: string, details?: Record<string, unknown>): Promise<boolean>;
  /** Set when the user asked to stop (Ctrl-C, MCP cancellation): start nothing new. */
  signal?: AbortSignal;
}

/** A host that drops everything and never confirms (tests, library use). */
export const SILENT_HOST: IoHost = {
  emit() {},
  async confirm() {
    return false;
  },
};
