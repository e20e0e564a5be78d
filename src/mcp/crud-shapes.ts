// The parameter schemas of the event source mapping tools, with the earlier server's parameter names, and the
// translation from those names to the service layer's CRUD arguments.

import { z } from 'zod';
import type { SettingsArgs } from '../service/crud.js';
import { MAPPING_OUTPUT } from './shapes.js';

export const FUNCTION_REF = z
  .string()
  .min(1)
  .max(170)
  .describe('Lambda function name, name:alias / name:version, or function ARN');

export const SOURCE_FIELDS = {
  event_source_arn: z
    .string()
    .regex(/^arn:aws[a-z-]*:kafka:/, 'an Amazon MSK cluster ARN')
    .optional()
    .describe('Amazon MSK cluster ARN (or MSK VPC connection ARN for cross-account). Give this or kafka_bootstrap_servers.'),
  kafka_bootstrap_servers: z
    .string()
    .min(3)
    .optional()
    .describe('Self-managed Kafka bootstrap servers, comma-separated host:port (e.g. b1.example.com:9092,b2.example.com:9092). Give this or event_source_arn.'),
};

export const SETTINGS_FIELDS = {
  batch_size: z.number().int().min(1).max(10000).optional().describe('Records per batch, 1–10000 (AWS default 100)'),
  max_batching_window: z.number().int().min(0).max(300).optional().describe('Seconds to gather records before invoking, 0–300'),
  enabled: z.boolean().optional().describe('false: the mapping exists but does not poll'),
  min_pollers: z.number().int().min(1).max(200).optional().describe('Provisioned mode: minimum event pollers, 1–200. Only when given; provisioned mode has a cost.'),
  max_pollers: z.number().int().min(1).max(2000).optional().describe('Provisioned mode: maximum event pollers, 1–2000. Only when given.'),
  report_batch_item_failures: z.boolean().optional().describe('Let the function report failed records (partial batch response). Kafka: provisioned mode only.'),
  retry_attempts: z.number().int().min(-1).max(10000).optional().describe('Retries on function error, -1 (infinite) or 0–10000. Kafka: provisioned mode only.'),
  bisect_batch_on_error: z.boolean().optional().describe('Split a failing batch in two and retry each. Kafka: provisioned mode only.'),
  max_record_age: z.number().int().min(-1).max(604800).optional().describe('Drop records older than this many seconds, -1 (infinite) or 60–604800. Kafka: provisioned mode only.'),
  tumbling_window: z.number().int().min(0).max(900).optional().describe('Not supported for Kafka (Kinesis/DynamoDB only): explained, never sent.'),
};

export interface SettingsParams {
  batch_size?: number;
  max_batching_window?: number;
  enabled?: boolean;
  min_pollers?: number;
  max_pollers?: number;
  report_batch_item_failures?: boolean;
  retry_attempts?: number;
  bisect_batch_on_error?: boolean;
  max_record_age?: number;
  tumbling_window?: number;
}

export function settingsArgs(p: SettingsParams): SettingsArgs {
  return {
    batchSize: p.batch_size,
    maxBatchingWindow: p.max_batching_window,
    enabled: p.enabled,
    minPollers: p.min_pollers,
    maxPollers: p.max_pollers,
    reportBatchItemFailures: p.report_batch_item_failures,
    retryAttempts: p.retry_attempts,
    bisectBatchOnError: p.bisect_batch_on_error,
    maxRecordAge: p.max_record_age,
    tumblingWindow: p.tumbling_window,
  };
}

export { MAPPING_OUTPUT };

/** One line per mapping for the text block. */
export function mappingLine(m: { uuid: string; function_name: string; source: string; topic: string; state: string }): string {
  return `${m.uuid}  ${m.function_name}  ${m.topic}  ${m.state}  ${m.source}`;
}
