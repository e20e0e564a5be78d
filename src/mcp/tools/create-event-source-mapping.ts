// create_event_source_mapping: the earlier server's create tool (same parameter names), built as a one-mapping
// plan applied; asks which source is meant when given both, explains Kafka-invalid settings, returns conflicts.

import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { refuseIfReadOnly, type ToolDeps } from '../context.js';
import { FUNCTION_REF, MAPPING_OUTPUT, SETTINGS_FIELDS, SOURCE_FIELDS, mappingLine, settingsArgs } from '../crud-shapes.js';
import { failure, guarded, ok } from '../results.js';
import { ADDITIVE, ERROR_OUTPUT, REGION } from '../shapes.js';

export function registerCreateEventSourceMappingTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'create_event_source_mapping',
    {
      title: 'Create a Kafka event source mapping',
      description:
        'Create a Lambda event source mapping that reads a Kafka topic from Amazon MSK (event_source_arn) or self-managed Kafka (kafka_bootstrap_servers). Adds the IAM permissions the mapping needs to the function\'s role first (a failure there is a warning). If a mapping with the same function, source and topic exists, returns it instead. Waits until the mapping is Enabled/Disabled. The mapping is not owned by a spec; a spec can adopt it later. Needs --allow-write.',
      inputSchema: {
        target: FUNCTION_REF.describe('The Lambda function: name, name:alias, or ARN'),
        kafka_topic: z
          .string()
          .regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]{1,248}$/, 'a Kafka topic name: 2–249 of letters, digits, . _ -, not starting with a dot (the Lambda API pattern)')
          .describe('Kafka topic to read (2–249 characters: letters, digits, . _ -; not starting with a dot)'),
        ...SOURCE_FIELDS,
        source_access_configurations: z
          .array(
            z.object({
              Type: z
                .enum(['SASL_SCRAM_512_AUTH', 'SASL_SCRAM_256_AUTH', 'BASIC_AUTH', 'CLIENT_CERTIFICATE_TLS_AUTH', 'SERVER_ROOT_CA_CERTIFICATE', 'VPC_SUBNET', 'VPC_SECURITY_GROUP'])
                .describe('Access configuration type, as the Lambda API spells it'),
              URI: z.string().min(1).describe('Secrets Manager secret ARN, or subnet:ID / security_group:ID for VPC entries'),
            }),
          )
          .max(22)
          .optional()
          .describe('Authentication and network settings (JSON array of {Type, URI}); secrets by ARN, never values. MSK with IAM auth needs none.'),
        starting_position: z.enum(['LATEST', 'TRIM_HORIZON', 'AT_TIMESTAMP']).optional().describe('Where a new consumer group starts (default LATEST)'),
        starting_position_timestamp: z.iso.datetime({ offset: true }).optional().describe('ISO-8601 instant; only with starting_position AT_TIMESTAMP'),
        kafka_consumer_group_id: z
          .string()
          .min(1)
          .max(200)
          .regex(/^[a-zA-Z0-9-\/*:_+=.@-]*$/)
          .optional()
          .describe('Consumer group id (default: the mapping UUID). Reusing a group resumes from its committed offsets.'),
        ...SETTINGS_FIELDS,
        region: REGION.optional(),
      },
      outputSchema: {
        status: z.enum(['created', 'exists']).optional().describe('exists: a mapping with this function, source and topic was already there (nothing created)'),
        uuid: z.string().optional(),
        mapping: MAPPING_OUTPUT.optional(),
        warnings: z.array(z.string()).optional(),
        permissions: z
          .looseObject({ roleName: z.string(), policyName: z.string(), status: z.string() })
          .optional()
          .describe('The IAM policy esmctl put on the function\'s role'),
        candidates: z.array(z.string()).optional().describe('The two sources given (ambiguous-source errors only)'),
        error: ERROR_OUTPUT.optional(),
      },
      annotations: ADDITIVE,
    },
    (p, extra) =>
      guarded(async () => {
        const refusal = refuseIfReadOnly(deps, 'create_event_source_mapping', 'create an event source mapping');
        if (refusal) return refusal;
        let eventSourceArn = p.event_source_arn;
        let bootstrap = p.kafka_bootstrap_servers;
        if (eventSourceArn && bootstrap) {
          const candidates = [eventSourceArn, bootstrap];
          const choice = await deps.host.choose(
            `Both an Amazon MSK cluster and self-managed bootstrap servers were given for ${p.target} / ${p.kafka_topic}. Which source should the mapping read from?`,
            'source',
            [
              { value: 'msk', title: `Amazon MSK: ${eventSourceArn}` },
              { value: 'self-managed', title: `Self-managed Kafka: ${bootstrap}` },
            ],
          );
          if (choice === undefined) {
            return failure(
              'crud.ambiguous_source',
              `Both event_source_arn (${eventSourceArn}) and kafka_bootstrap_servers (${bootstrap}) were given; a mapping reads from exactly one source. Nothing was created.`,
              'Ask the person which one is meant, then call again with only event_source_arn (MSK) or only kafka_bootstrap_servers (self-managed).',
              { candidates },
            );
          }
          if (choice === 'msk') bootstrap = undefined;
          else eventSourceArn = undefined;
        }
        const { createMapping } = await import('../../service/crud.js');
        const out = await createMapping(
          {
            region: p.region,
            target: p.target,
            kafkaTopic: p.kafka_topic,
            eventSourceArn,
            kafkaBootstrapServers: bootstrap,
            sourceAccessConfigurations: p.source_access_configurations,
            startingPosition: p.starting_position,
            startingPositionTimestamp: p.starting_position_timestamp,
            kafkaConsumerGroupId: p.kafka_consumer_group_id,
            ...settingsArgs(p),
          },
          deps.service({ region: p.region, signal: extra.signal }),
        );
        const warnings = out.warnings.length ? `\nWarnings:\n${out.warnings.map((w) => `  - ${w}`).join('\n')}` : '';
        if (out.kind === 'exists') {
          return ok(
            { status: 'exists', uuid: out.mapping.uuid, mapping: out.mapping, warnings: out.warnings },
            `A mapping for this function, source and topic already exists; nothing was created:\n${mappingLine(out.mapping)}${warnings}`,
          );
        }
        const structured: Record<string, unknown> = { status: 'created', uuid: out.mapping.uuid, mapping: out.mapping, warnings: out.warnings };
        if (out.permissions) structured.permissions = { roleName: out.permissions.roleName, policyName: out.permissions.policyName, status: out.permissions.status };
        return ok(structured, `Created ${out.mapping.state}:\n${mappingLine(out.mapping)}${warnings}`);
      }),
  );
}
