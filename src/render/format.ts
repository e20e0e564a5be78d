// Shared pieces of every plan/report view: the JSON model round trip, action symbols and titles, value and
// duration formatting, the summary line and markdown escaping. Deterministic: no clock, no locale.

import pc from 'picocolors';
import { canonicalJson } from '../core/canonical-json.js';
import type { Action, ActionKind, FieldChange, Plan } from '../core/types.js';

export type Colors = ReturnType<typeof pc.createColors>;

export function colors(enabled: boolean | undefined): Colors {
  return pc.createColors(enabled === true);
}

/** Renderers work only from the JSON model: what --json prints is all any view can show. */
export function toModel<T>(value: T): T {
  return JSON.parse(canonicalJson(value)) as T;
}

export const SYMBOL: Record<ActionKind, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  adopt: '<=',
  'put-policy': '~',
  'delete-policy': '-',
};

export function symbolOf(a: Action): string {
  return a.kind === 'put-policy' && a.before === null ? '+' : SYMBOL[a.kind];
}

export function paint(c: Colors, a: Action, text: string): string {
  switch (a.kind) {
    case 'create':
      return c.green(text);
    case 'update':
      return c.yellow(text);
    case 'replace':
      return c.magenta(text);
    case 'delete':
    case 'delete-policy':
      return c.red(text);
    case 'adopt':
      return c.cyan(text);
    case 'put-policy':
      return a.before === null ? c.green(text) : c.yellow(text);
  }
}

/** "will be created", "will be updated in place", … */
export function titleOf(a: Action): string {
  switch (a.kind) {
    case 'create':
      return `${a.address} will be created`;
    case 'update':
      return `${a.address} will be updated in place${a.drift ? ' (drift: changed outside esmctl)' : ''}`;
    case 'replace':
      return `${a.address} must be replaced${a.drift ? ' (drift: changed outside esmctl)' : ''}`;
    case 'delete':
      return `${a.address} will be deleted`;
    case 'adopt':
      return `${a.address} will be adopted (tagged as owned by esmctl)${a.changes.length > 0 ? ' and updated in place' : ''}`;
    case 'put-policy':
      return `IAM policy ${a.policyName} on role ${a.roleName} will be ${a.before === null ? 'created' : 'updated'}`;
    case 'delete-policy':
      return `IAM policy ${a.policyName} on role ${a.roleName} will be deleted`;
  }
}

/** A value as one line: strings quoted, null as (unset), lists in brackets, filters and access configs readable. */
export function formatValue(v: unknown, path = ''): string {
  if (v === null || v === undefined) return '(unset)';
  if (typeof v === 'string') return path === 'filters' ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => formatValue(x, path)).join(', ')}]`;
  const o = v as Record<string, unknown>;
  if (path === 'source' && o.kind === 'msk') return `msk ${String(o.arn)}`;
  if (path === 'source' && o.kind === 'self-managed') return `self-managed ${formatValue(o.bootstrapServers)}`;
  if (path === 'sourceAccessConfigurations' && typeof o.type === 'string') return `${o.type} ${String(o.uri)}`;
  const keys = Object.keys(o).sort();
  if (keys.length === 0) return '{}';
  return `{ ${keys.map((k) => `${k} = ${formatValue(o[k])}`).join(', ')} }`;
}

export function formatChange(ch: FieldChange): string {
  return `${formatValue(ch.before, ch.path)} → ${formatValue(ch.after, ch.path)}`;
}

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete, ${s.adopt} to adopt.`;
}

export function iamSummaryLine(plan: Plan): string | null {
  const s = plan.summary;
  if (s.putPolicy === 0 && s.deletePolicy === 0) return null;
  const p = (n: number) => `${n} ${n === 1 ? 'policy' : 'policies'}`;
  return `IAM: ${p(s.putPolicy)} to write, ${s.deletePolicy} to delete.`;
}

/** 340ms, 1.2s, 2m05s */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m${String(s).padStart(2, '0')}s`;
}

/** Text safe inside a markdown table cell. */
export function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** Inline code that survives backticks in the text. */
export function mdCode(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

export function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}
