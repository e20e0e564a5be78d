// The MCP IoHost: engine events become MCP logging notifications (warnings and errors also one line on stderr),
// and confirmations or choices become MCP elicitation forms when the client supports them. Never stdout.

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { EsmctlEvent, IoHost } from '../core/events.js';

type LogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error';

const LEVELS: Record<EsmctlEvent['level'], LogLevel> = {
  debug: 'debug',
  info: 'info',
  result: 'notice',
  warn: 'warning',
  error: 'error',
};

/** The scalar facts of an event (address, uuid, elapsedMs…); whole plans or reports stay out of the log stream. */
function scalars(data: Record<string, unknown> | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(data ?? {})) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

export interface ChoiceOption {
  value: string;
  title: string;
}

export class McpHost implements IoHost {
  signal?: AbortSignal;

  constructor(
    private readonly server: McpServer,
    private readonly stderr: (line: string) => void,
    private readonly debug = false,
  ) {}

  emit(ev: EsmctlEvent): void {
    if (ev.level === 'warn' || ev.level === 'error' || this.debug) this.stderr(`esmctl mcp: ${ev.level}: ${ev.message}`);
    if (!this.server.isConnected()) return;
    this.server
      .sendLoggingMessage({ level: LEVELS[ev.level], logger: 'esmctl', data: { code: ev.code, message: ev.message, ...scalars(ev.data) } })
      .catch(() => {});
  }

  /** True when the connected client declared form elicitation. */
  canElicit(): boolean {
    const caps = this.server.server.getClientCapabilities()?.elicitation as { form?: unknown } | undefined;
    // A client that declares `elicitation: {}` supports form mode (the pre-URL-mode spelling).
    return caps !== undefined && (caps.form !== undefined || Object.keys(caps).length === 0);
  }

  /** Asks the person yes/no through an elicitation form; false when the client cannot ask or declines. */
  async confirm(question: string, details?: Record<string, unknown>): Promise<boolean> {
    if (!this.canElicit()) return false;
    const detailText = details === undefined ? '' : `\n\n${JSON.stringify(details, null, 2)}`;
    try {
      const answer = await this.server.server.elicitInput({
        mode: 'form',
        message: `${question}${detailText}`,
        requestedSchema: {
          type: 'object',
          properties: {
            confirm: { type: 'boolean', title: 'Proceed', description: 'Only an explicit yes (true) proceeds.' },
          },
          required: ['confirm'],
        },
      });
      return answer.action === 'accept' && answer.content?.confirm === true;
    } catch (e) {
      this.stderr(`esmctl mcp: warning: elicitation failed: ${(e as Error).message}`);
      return false;
    }
  }

  /** Asks the person to pick one option; undefined when the client cannot ask, declines or cancels. */
  async choose(message: string, field: string, options: ChoiceOption[]): Promise<string | undefined> {
    if (!this.canElicit()) return undefined;
    try {
      const answer = await this.server.server.elicitInput({
        mode: 'form',
        message,
        requestedSchema: {
          type: 'object',
          properties: {
            [field]: {
              type: 'string',
              title: 'Choose one',
              oneOf: options.map((o) => ({ const: o.value, title: o.title })),
            },
          },
          required: [field],
        },
      });
      const value = answer.action === 'accept' ? answer.content?.[field] : undefined;
      return typeof value === 'string' && options.some((o) => o.value === value) ? value : undefined;
    } catch (e) {
      this.stderr(`esmctl mcp: warning: elicitation failed: ${(e as Error).message}`);
      return undefined;
    }
  }
}
