// The one way MCP tools answer: `structuredContent` is always an object, with a short human text beside it;
// failures become `isError` results carrying the error code, AWS's code and message, and what to do next.

import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isEsmctlError } from '../core/errors.js';

export type ToolResult = CallToolResult;

/** The structured shape of every error result. */
export interface ToolErrorContent {
  error: {
    code: string;
    source: 'user' | 'aws' | 'internal';
    message: string;
    awsCode?: string;
    httpStatus?: number;
    /** What to do next. */
    hint?: string;
  };
  [key: string]: unknown;
}

/** A successful result: `structured` goes out as structuredContent, `text` as the one text block. */
export function ok(structured: Record<string, unknown>, text: string): ToolResult {
  return { structuredContent: structured, content: [{ type: 'text', text }] };
}

/**
 * A refusal or failure the caller can act on; `extra` adds facts (e.g. the candidates of an ambiguity). Clients
 * validate error structuredContent against the tool's outputSchema too: every `extra` key must be declared there.
 */
export function failure(
  code: string,
  message: string,
  hint?: string,
  extra: Record<string, unknown> = {},
  source: 'user' | 'aws' | 'internal' = 'user',
): ToolResult {
  const error: ToolErrorContent['error'] = { code, source, message };
  if (hint !== undefined) error.hint = hint;
  return {
    isError: true,
    structuredContent: { ...extra, error },
    content: [{ type: 'text', text: hint === undefined ? `Error: ${message}` : `Error: ${message}\nNext: ${hint}` }],
  };
}

/** Any thrown value as an error result: EsmctlErrors keep their audience; nothing else leaks a stack. */
export function fromError(e: unknown): ToolResult {
  if (isEsmctlError(e)) {
    const result = failure(e.code, e.message, e.hint, {}, e.source);
    const error = (result.structuredContent as ToolErrorContent).error;
    // AWS errors always name AWS's code: from the error, else from an `aws.<Code>` error code.
    const awsCode = e.awsCode ?? (e.source === 'aws' && /^aws\.[A-Z]\w+$/.test(e.code) ? e.code.slice(4) : undefined);
    if (awsCode !== undefined) error.awsCode = awsCode;
    if (e.httpStatus !== undefined) error.httpStatus = e.httpStatus;
    if (e.source === 'aws' && error.hint === undefined) error.hint = 'Check the AWS error code and message; fix the input or permissions, then retry.';
    if (awsCode !== undefined) {
      result.content = [
        {
          type: 'text',
          text: `Error: ${e.message} (AWS ${awsCode}${e.httpStatus ? ` ${e.httpStatus}` : ''})${error.hint ? `\nNext: ${error.hint}` : ''}`,
        },
      ];
    }
    return result;
  }
  const err = e as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  const message = typeof err?.message === 'string' ? err.message : String(e);
  if (err?.$metadata !== undefined && typeof err.name === 'string') {
    // An AWS SDK error that escaped classification: keep AWS's code and message.
    const result = failure('aws.error', message, 'Check the AWS code and message; then retry or fix the input.', {}, 'aws');
    const error = (result.structuredContent as ToolErrorContent).error;
    error.awsCode = err.name;
    if (err.$metadata.httpStatusCode !== undefined) error.httpStatus = err.$metadata.httpStatusCode;
    return result;
  }
  return failure('internal.error', message, 'This is a bug in esmctl; please report it with the tool input.', {}, 'internal');
}

/** Runs a tool body; anything it throws becomes an error result. */
export async function guarded(body: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await body();
  } catch (e) {
    return fromError(e);
  }
}
