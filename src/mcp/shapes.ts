// Input and output schema pieces the MCP tools share (zod, every field described), and the annotation sets
// for read-only, additive and destructive tools.

import { z } from 'zod';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';

export const REGION = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as us-east-1')
  .describe('AWS region, e.g. us-east-1. Default: the spec\'s region, else the server\'s --region, else AWS_REGION or the profile.');

/** Either inline YAML or paths; exactly one (checked by loadSpecInput). */
export const SPEC_INPUT = {
  spec_yaml: z
    .string()
    .min(1)
    .max(1_000_000)
    .optional()
    .describe('The spec as YAML text (one or more `apiVersion: esmctl/v1` documents). Give this or `paths`, not both.'),
  paths: z
    .array(z.string().min(1).describe('A .yaml/.yml file or a directory of them, on the machine running the server'))
    .min(1)
    .max(100)
    .optional()
    .describe('Spec files or directories on the server\'s machine (absolute paths are safest: relative ones resolve against the server\'s working directory). Give this or `spec_yaml`, not both.'),
};

export const ERROR_OUTPUT = z
  .object({
    code: z.string(),
    source: z.enum(['user', 'aws', 'internal']),
    message: z.string(),
    awsCode: z.string().optional(),
    httpStatus: z.number().optional(),
    hint: z.string().optional(),
  })
  .describe('Present only on error results (isError: true).');

export const PROBLEM_OUTPUT = z.looseObject({
  code: z.string().describe('Problem code, e.g. spec.required, spec.enum'),
  file: z.string(),
  line: z.number(),
  col: z.number(),
  path: z.string().describe('Dotted path of the field in the document'),
  message: z.string(),
  hint: z.string().optional(),
});

/** The plan model of `esmctl plan --json` (format v1); described, not re-validated field by field. */
export const PLAN_OUTPUT = z
  .looseObject({
    formatVersion: z.literal(1),
    region: z.string(),
    sets: z.array(z.string()),
    actions: z.array(z.looseObject({ id: z.string(), kind: z.string(), address: z.string(), reason: z.string() })),
    warnings: z.array(z.looseObject({ code: z.string(), message: z.string() })),
    summary: z.record(z.string(), z.number()),
  })
  .describe('The plan, in the same versioned model as `esmctl plan --json` (schemas/plan.schema.json).');

export const MAPPING_OUTPUT = z
  .looseObject({
    uuid: z.string(),
    function_name: z.string().describe('Function name, with its qualifier when the mapping targets a version or alias'),
    function_arn: z.string(),
    source: z.string().describe('MSK cluster ARN or comma-separated bootstrap servers'),
    source_kind: z.enum(['msk', 'self-managed']),
    topic: z.string(),
    state: z.string(),
  })
  .describe('One Kafka event source mapping, flattened for reading.');

export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
/** Reads nothing from AWS at all (validation only). */
export const LOCAL_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
export const ADDITIVE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
export const ADDITIVE_IDEMPOTENT: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true };
export const DESTRUCTIVE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };
export const DESTRUCTIVE_IDEMPOTENT: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true };
