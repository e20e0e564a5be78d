// The spec rules as a table of named failing cases: each asserts the exact code, field path, line, column and
// message of every problem the loader reports (all at once), from the schema and the Kafka ESM semantic rules.

import { describe, expect, it } from 'vitest';
import { loadSpecText } from '../../../src/spec/index.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const MSK = 'arn:aws:kafka:us-east-1:123456789012:cluster/payments/0f1e2d3c-aaaa-bbbb-cccc-123456789abc-2';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_payments-scram-AbCdEf';
const SQS = 'arn:aws:sqs:us-east-1:123456789012:dlq';

/** Lines 1–7: the set and the first mapping's name and function. */
const HEAD = `apiVersion: esmctl/v1
kind: MappingSet
metadata: { name: payments }
defaults: { startingPosition: LATEST }
mappings:
  - name: settle
    function: settle-payment
`;
/** An MSK mapping (lines 1–10); `extra` lines start at line 11. */
const msk = (...extra: string[]) =>
  HEAD + `    source:\n      msk: ${MSK}\n    topic: payments.settled\n` + extra.map((l) => l + '\n').join('');
/** A self-managed mapping (lines 1–10); `extra` lines start at line 11. */
const selfManaged = (...extra: string[]) =>
  HEAD + `    source:\n      bootstrapServers: [b-1.kafka.internal:9096]\n    topic: payments.settled\n` + extra.map((l) => l + '\n').join('');
const PROVISIONED = '    provisionedPollers: { minimum: 1, maximum: 10 }';

interface Expected {
  code: string;
  path: string;
  line: number;
  col: number;
  message: string;
}

const CASES: Array<{ name: string; text: string; expected: Expected[] }> = [
  {
    name: 'batchSize above the API range',
    text: msk('    batchSize: 10001'),
    expected: [{ code: 'spec.range', path: 'mappings[0].batchSize', line: 11, col: 16, message: 'must be between 1 and 10000 (got 10001)' }],
  },
  {
    name: 'batching window above 300 seconds',
    text: msk('    maximumBatchingWindowInSeconds: 301'),
    expected: [{ code: 'spec.range', path: 'mappings[0].maximumBatchingWindowInSeconds', line: 11, col: 37, message: 'must be between 0 and 300 (got 301)' }],
  },
  {
    name: 'both msk and bootstrapServers',
    text: HEAD + `    source:\n      msk: ${MSK}\n      bootstrapServers: [b-1.kafka.internal:9096]\n    topic: t1\n`,
    expected: [
      {
        code: 'spec.source-both',
        path: 'mappings[0].source',
        line: 8,
        col: 5,
        message: 'has both `msk` and `bootstrapServers`; choose one: `msk` for Amazon MSK, `bootstrapServers` for self-managed Kafka',
      },
    ],
  },
  {
    name: 'an empty source',
    text: HEAD + `    source: {}\n    topic: t1\n`,
    expected: [
      {
        code: 'spec.source-missing',
        path: 'mappings[0].source',
        line: 8,
        col: 5,
        message: 'needs one of `msk` (an MSK cluster ARN) or `bootstrapServers` (self-managed Kafka brokers)',
      },
    ],
  },
  {
    name: 'no source at all: points at the mapping',
    text: HEAD + `    topic: t1\n`,
    expected: [{ code: 'spec.required', path: 'mappings[0].source', line: 6, col: 5, message: 'missing required field `source`' }],
  },
  {
    name: 'no topic, function or starting position: all reported at the mapping',
    text: `apiVersion: esmctl/v1\nkind: MappingSet\nmetadata:\n  name: payments\nmappings:\n  - name: settle\n    source: { msk: ${MSK} }\n`,
    expected: [
      { code: 'spec.required', path: 'mappings[0].function', line: 6, col: 5, message: 'missing required field `function`' },
      { code: 'spec.required', path: 'mappings[0].startingPosition', line: 6, col: 5, message: 'missing required field `startingPosition`' },
      { code: 'spec.required', path: 'mappings[0].topic', line: 6, col: 5, message: 'missing required field `topic`' },
    ],
  },
  {
    name: 'missing metadata.name points at metadata',
    text: `apiVersion: esmctl/v1\nkind: MappingSet\nmetadata:\n  region: us-east-1\nmappings: []\n`,
    expected: [{ code: 'spec.required', path: 'metadata.name', line: 3, col: 1, message: 'missing required field `name`' }],
  },
  {
    name: 'unknown key with a did-you-mean',
    text: msk('    batchsize: 100'),
    expected: [{ code: 'spec.unknown-key', path: 'mappings[0].batchsize', line: 11, col: 5, message: 'unknown field `batchsize`; did you mean `batchSize`?' }],
  },
  {
    name: 'AWS API spelling Topics suggests topic',
    text: HEAD + `    source: { msk: ${MSK} }\n    topics: [a]\n`,
    expected: [
      { code: 'spec.required', path: 'mappings[0].topic', line: 6, col: 5, message: 'missing required field `topic`' },
      { code: 'spec.unknown-key', path: 'mappings[0].topics', line: 9, col: 5, message: 'unknown field `topics`; did you mean `topic`?' },
    ],
  },
  {
    name: 'keys named like Object.prototype members are plain unknown keys',
    text: msk('    __proto__: { polluted: true }', '    constructor: x'),
    expected: [
      { code: 'spec.unknown-key', path: 'mappings[0].__proto__', line: 11, col: 5, message: 'unknown field `__proto__`' },
      { code: 'spec.unknown-key', path: 'mappings[0].constructor', line: 12, col: 5, message: 'unknown field `constructor`' },
    ],
  },
  {
    name: 'tumbling window is for streams',
    text: msk('    tumblingWindowInSeconds: 60'),
    expected: [
      {
        code: 'spec.not-for-kafka',
        path: 'mappings[0].tumblingWindowInSeconds',
        line: 11,
        col: 5,
        message: '`tumblingWindowInSeconds` applies to Kinesis and DynamoDB streams only; Kafka event source mappings do not support it',
      },
    ],
  },
  {
    name: 'parallelization factor is for streams',
    text: msk('    parallelizationFactor: 2'),
    expected: [
      {
        code: 'spec.not-for-kafka',
        path: 'mappings[0].parallelizationFactor',
        line: 11,
        col: 5,
        message: '`parallelizationFactor` applies to Kinesis and DynamoDB streams only; Kafka event source mappings do not support it',
      },
    ],
  },
  {
    name: 'SQS scaling config',
    text: msk('    scalingConfig: { maximumConcurrency: 5 }'),
    expected: [
      { code: 'spec.not-for-kafka', path: 'mappings[0].scalingConfig', line: 11, col: 5, message: '`scalingConfig` applies to Amazon SQS only; Kafka event source mappings do not support it' },
    ],
  },
  {
    name: 'on-success destinations',
    text: msk(`    onSuccess: ${SQS}`),
    expected: [
      {
        code: 'spec.not-for-kafka',
        path: 'mappings[0].onSuccess',
        line: 11,
        col: 5,
        message: '`onSuccess` applies to Kinesis and DynamoDB streams (on-success destinations) only; Kafka event source mappings do not support it',
      },
    ],
  },
  {
    name: 'error handling without provisioned mode',
    text: msk('    errorHandling: { maximumRetryAttempts: 3 }'),
    expected: [
      {
        code: 'spec.needs-provisioned',
        path: 'mappings[0].errorHandling',
        line: 11,
        col: 5,
        message: '`errorHandling` needs provisioned mode: error handling (retries, record age, bisect, partial batch responses) is only available with provisioned pollers',
      },
    ],
  },
  {
    name: 'schema registry without provisioned mode',
    text: msk('    schemaRegistry: { uri: "https://registry.example.com", eventRecordFormat: JSON }'),
    expected: [
      {
        code: 'spec.needs-provisioned',
        path: 'mappings[0].schemaRegistry',
        line: 11,
        col: 5,
        message: '`schemaRegistry` needs provisioned mode: a schema registry is only available with provisioned pollers',
      },
    ],
  },
  {
    name: 'kafka:// on-failure topic without provisioned mode',
    text: msk('    onFailure: kafka://payments.dlq'),
    expected: [
      {
        code: 'spec.needs-provisioned',
        path: 'mappings[0].onFailure',
        line: 11,
        col: 5,
        message: '`onFailure` needs provisioned mode: a Kafka topic as on-failure destination is only available with provisioned pollers',
      },
    ],
  },
  {
    name: 'minimum pollers above maximum',
    text: msk('    provisionedPollers: { minimum: 50, maximum: 10 }'),
    expected: [
      { code: 'spec.pollers-min-max', path: 'mappings[0].provisionedPollers.maximum', line: 11, col: 49, message: 'minimum pollers (50) must not exceed maximum pollers (10)' },
    ],
  },
  {
    name: 'maximum pollers above 2000',
    text: msk('    provisionedPollers: { maximum: 2001 }'),
    expected: [{ code: 'spec.range', path: 'mappings[0].provisionedPollers.maximum', line: 11, col: 36, message: 'must be between 1 and 2000 (got 2001)' }],
  },
  {
    name: 'retry attempts below -1',
    text: msk(PROVISIONED, '    errorHandling: { maximumRetryAttempts: -2 }'),
    expected: [{ code: 'spec.range', path: 'mappings[0].errorHandling.maximumRetryAttempts', line: 12, col: 44, message: 'must be between -1 and 10000 (got -2)' }],
  },
  {
    name: 'record age between -1 and 60',
    text: msk(PROVISIONED, '    errorHandling: { maximumRecordAgeInSeconds: 30 }'),
    expected: [
      {
        code: 'spec.range',
        path: 'mappings[0].errorHandling.maximumRecordAgeInSeconds',
        line: 12,
        col: 49,
        message: 'must be -1 (infinite) or between 60 and 604800 seconds (got 30)',
      },
    ],
  },
  {
    name: 'topic starting with a dot',
    text: HEAD + `    source: { msk: ${MSK} }\n    topic: .hidden\n`,
    expected: [
      { code: 'spec.pattern', path: 'mappings[0].topic', line: 9, col: 12, message: "must be 1–249 characters of letters, digits, . _ - and must not start with '.'" },
    ],
  },
  {
    name: 'topic longer than 249 characters',
    text: HEAD + `    source: { msk: ${MSK} }\n    topic: ${'t'.repeat(250)}\n`,
    expected: [
      { code: 'spec.length', path: 'mappings[0].topic', line: 9, col: 12, message: "must be 1–249 characters of letters, digits, . _ - and must not start with '.'" },
    ],
  },
  {
    name: 'consumer group with a character AWS refuses',
    text: msk('    consumerGroupId: "settle group"'),
    expected: [
      { code: 'spec.pattern', path: 'mappings[0].consumerGroupId', line: 11, col: 22, message: 'must be 1–200 characters of letters, digits and - / * : _ + = . @' },
    ],
  },
  {
    name: 'AT_TIMESTAMP without a timestamp',
    text: msk('    startingPosition: AT_TIMESTAMP'),
    expected: [
      {
        code: 'spec.at-timestamp-without-timestamp',
        path: 'mappings[0].startingPosition',
        line: 11,
        col: 23,
        message: 'AT_TIMESTAMP needs `startingPositionTimestamp` (an ISO-8601 instant such as 2024-05-01T00:00:00Z)',
      },
    ],
  },
  {
    name: 'a timestamp without AT_TIMESTAMP',
    text: msk('    startingPosition: LATEST', '    startingPositionTimestamp: 2025-05-01T00:00:00Z'),
    expected: [
      {
        code: 'spec.timestamp-without-at-timestamp',
        path: 'mappings[0].startingPositionTimestamp',
        line: 12,
        col: 5,
        message: 'a starting timestamp needs `startingPosition: AT_TIMESTAMP`',
      },
    ],
  },
  {
    name: 'a timestamp in the future',
    text: msk('    startingPosition: AT_TIMESTAMP', '    startingPositionTimestamp: 2026-06-01T00:00:00Z'),
    expected: [
      {
        code: 'spec.timestamp-future',
        path: 'mappings[0].startingPositionTimestamp',
        line: 12,
        col: 32,
        message: 'must not be in the future (got 2026-06-01T00:00:00Z; now is 2026-01-01T00:00:00Z)',
      },
    ],
  },
  {
    name: 'a timestamp that is not a calendar date',
    text: msk('    startingPosition: AT_TIMESTAMP', '    startingPositionTimestamp: 2025-02-30T00:00:00Z'),
    expected: [
      { code: 'spec.timestamp-invalid', path: 'mappings[0].startingPositionTimestamp', line: 12, col: 32, message: 'is not a real instant (got "2025-02-30T00:00:00Z")' },
    ],
  },
  {
    name: 'kafka:// destination equal to the source topic',
    text: msk(PROVISIONED, '    onFailure: kafka://payments.settled'),
    expected: [
      {
        code: 'spec.on-failure-source-topic',
        path: 'mappings[0].onFailure',
        line: 12,
        col: 16,
        message: 'the on-failure topic must differ from the source topic `payments.settled` (Lambda refuses the loop)',
      },
    ],
  },
  {
    name: 'an on-failure destination that is not SQS, SNS, S3 or Kafka',
    text: msk('    onFailure: arn:aws:lambda:us-east-1:123456789012:function:dlq'),
    expected: [
      { code: 'spec.pattern', path: 'mappings[0].onFailure', line: 11, col: 16, message: 'must be an SQS queue, SNS topic or S3 bucket ARN, or kafka://TOPIC' },
    ],
  },
  {
    name: 'IAM auth on self-managed Kafka',
    text: selfManaged('    auth: { type: IAM }'),
    expected: [
      {
        code: 'spec.auth-for-source',
        path: 'mappings[0].auth.type',
        line: 11,
        col: 19,
        message: 'IAM is not available for self-managed Kafka sources; use one of BASIC_AUTH, SASL_SCRAM_256, SASL_SCRAM_512, MTLS, NONE',
      },
    ],
  },
  {
    name: 'SCRAM-256 on MSK',
    text: msk(`    auth: { type: SASL_SCRAM_256, secretArn: ${SECRET} }`),
    expected: [
      {
        code: 'spec.auth-for-source',
        path: 'mappings[0].auth.type',
        line: 11,
        col: 19,
        message: 'SASL_SCRAM_256 is not available for Amazon MSK sources; use one of IAM, SASL_SCRAM_512, MTLS, NONE (MSK supports SCRAM-SHA-512 only)',
      },
    ],
  },
  {
    name: 'SCRAM without a secret: points at auth',
    text: selfManaged('    auth:', '      type: SASL_SCRAM_512'),
    expected: [
      {
        code: 'spec.auth-secret-required',
        path: 'mappings[0].auth.secretArn',
        line: 11,
        col: 5,
        message: 'SASL_SCRAM_512 needs `secretArn`: the Secrets Manager secret with the username and password',
      },
    ],
  },
  {
    name: 'IAM with a secret',
    text: msk('    auth:', '      type: IAM', `      secretArn: ${SECRET}`),
    expected: [
      {
        code: 'spec.auth-secret-unused',
        path: 'mappings[0].auth.secretArn',
        line: 13,
        col: 7,
        message: 'IAM does not use a secret; remove `secretArn` or choose an auth type that uses it',
      },
    ],
  },
  {
    name: 'MSK SCRAM secret without the AmazonMSK_ prefix',
    text: msk('    auth:', '      type: SASL_SCRAM_512', '      secretArn: arn:aws:secretsmanager:us-east-1:123456789012:secret:payments-AbCdEf'),
    expected: [
      {
        code: 'spec.msk-scram-secret-name',
        path: 'mappings[0].auth.secretArn',
        line: 13,
        col: 18,
        message: 'MSK SASL/SCRAM secrets must be named with the AmazonMSK_ prefix (got "payments-AbCdEf")',
      },
    ],
  },
  {
    name: 'a root CA on MSK',
    text: msk('    auth:', '      type: IAM', '      serverRootCaSecretArn: arn:aws:secretsmanager:us-east-1:123456789012:secret:ca-AbCdEf'),
    expected: [
      {
        code: 'spec.root-ca-for-msk',
        path: 'mappings[0].auth.serverRootCaSecretArn',
        line: 13,
        col: 7,
        message: 'a server root CA is for self-managed Kafka only; MSK brokers use certificates Lambda already trusts',
      },
    ],
  },
  {
    name: 'VPC config on MSK',
    text: msk('    vpc: { subnets: [subnet-0a1b2c3d], securityGroups: [sg-0a1b2c3d] }'),
    expected: [
      {
        code: 'spec.vpc-for-msk',
        path: 'mappings[0].vpc',
        line: 11,
        col: 5,
        message: "`vpc` is for self-managed Kafka only; Lambda reaches an MSK cluster through the cluster's own VPC",
      },
    ],
  },
  {
    name: 'a VPC without security groups',
    text: selfManaged('    vpc:', '      subnets: [subnet-0a1b2c3d]'),
    expected: [{ code: 'spec.required', path: 'mappings[0].vpc.securityGroups', line: 11, col: 5, message: 'missing required field `securityGroups`' }],
  },
  {
    name: 'access configs on a Glue registry',
    text: msk(
      PROVISIONED,
      '    schemaRegistry:',
      '      uri: arn:aws:glue:us-east-1:123456789012:registry/payments',
      '      eventRecordFormat: JSON',
      '      accessConfigs: [{ type: BASIC_AUTH, uri: "arn:aws:secretsmanager:us-east-1:123456789012:secret:reg-AbCdEf" }]',
    ),
    expected: [
      {
        code: 'spec.registry-access-for-glue',
        path: 'mappings[0].schemaRegistry.accessConfigs',
        line: 15,
        col: 7,
        message: 'an AWS Glue registry is reached with the execution role; `accessConfigs` are for Confluent registries only',
      },
    ],
  },
  {
    name: 'more than five filters',
    text: msk('    filters: [{ value: { a: [1] } }, { value: { a: [2] } }, { value: { a: [3] } }, { value: { a: [4] } }, { value: { a: [5] } }, { value: { a: [6] } }]'),
    expected: [{ code: 'spec.items', path: 'mappings[0].filters', line: 11, col: 5, message: 'must have 1–5 items (got 6)' }],
  },
  {
    name: 'a filter pattern that is a plain value',
    text: msk('    filters:', '      - value: high'),
    expected: [
      {
        code: 'spec.filter-pattern',
        path: 'mappings[0].filters[0].value',
        line: 12,
        col: 16,
        message: 'a filter pattern on `value` must be a mapping of fields to match rules (or a list of values)',
      },
    ],
  },
  {
    name: 'a filter on the record key (Kafka filters on value only)',
    text: msk('    filters:', '      - key: [abc]'),
    expected: [
      { code: 'spec.filter-pattern', path: 'mappings[0].filters[0].key', line: 12, col: 9, message: 'Kafka event source mappings filter on the record `value` only (not `key`)' },
      { code: 'spec.required', path: 'mappings[0].filters[0].value', line: 12, col: 9, message: 'missing required field `value`' },
    ],
  },
  {
    name: 'a reserved esmctl: tag',
    text: msk('    tags:', '      esmctl:set: other'),
    expected: [
      {
        code: 'spec.reserved-tag',
        path: 'mappings[0].tags.esmctl:set',
        line: 12,
        col: 7,
        message: 'tag keys starting with `esmctl:` are reserved (esmctl sets its ownership tags itself)',
      },
    ],
  },
  {
    name: 'a tag key longer than 128 characters',
    text: msk('    tags:', `      ${'k'.repeat(129)}: v`),
    expected: [{ code: 'spec.length', path: `mappings[0].tags.${'k'.repeat(129)}`, line: 12, col: 7, message: 'key must be 1–128 characters long (got 129)' }],
  },
  {
    name: 'an enum value in the wrong case',
    text: msk('    startingPosition: latest'),
    expected: [
      {
        code: 'spec.enum',
        path: 'mappings[0].startingPosition',
        line: 11,
        col: 23,
        message: 'must be one of TRIM_HORIZON, LATEST, AT_TIMESTAMP (got "latest"); did you mean LATEST?',
      },
    ],
  },
  {
    name: 'a number where a string is needed',
    text: msk('    consumerGroupId: 12345'),
    expected: [{ code: 'spec.type', path: 'mappings[0].consumerGroupId', line: 11, col: 22, message: 'must be a string (got 12345)' }],
  },
  {
    name: 'yes is not a boolean in YAML 1.2',
    text: msk('    enabled: yes'),
    expected: [{ code: 'spec.type', path: 'mappings[0].enabled', line: 11, col: 14, message: 'must be a boolean (got "yes")' }],
  },
  {
    name: 'an unsupported apiVersion',
    text: msk().replace('esmctl/v1', 'esmctl/v2'),
    expected: [{ code: 'spec.api-version', path: 'apiVersion', line: 1, col: 13, message: 'must be esmctl/v1 (got "esmctl/v2")' }],
  },
  {
    name: 'a duplicate YAML key',
    text: msk('    batchSize: 10', '    batchSize: 20'),
    expected: [{ code: 'yaml.syntax', path: '', line: 12, col: 5, message: 'duplicate key: each key may appear only once in a mapping' }],
  },
  {
    name: 'duplicate mapping names',
    text: msk('  - name: settle', '    function: other', `    source: { msk: ${MSK} }`, '    topic: other'),
    expected: [
      { code: 'spec.duplicate-name', path: 'mappings[1].name', line: 11, col: 11, message: 'duplicate mapping name `settle` in set `payments` (first at spec.yaml:6)' },
    ],
  },
  {
    name: 'same function, source and topic twice',
    text: msk('  - name: settle-again', '    function: settle-payment', `    source: { msk: ${MSK} }`, '    topic: payments.settled'),
    expected: [
      {
        code: 'spec.duplicate-mapping',
        path: 'mappings[1].name',
        line: 11,
        col: 11,
        message: '`settle-again` has the same function, source and topic as `settle` (spec.yaml:6); AWS allows only one such mapping',
      },
    ],
  },
  {
    name: 'same cluster and consumer group twice',
    text: msk('    consumerGroupId: shared', '  - name: audit', '    function: audit', `    source: { msk: ${MSK} }`, '    topic: payments.settled', '    consumerGroupId: shared'),
    expected: [
      {
        code: 'spec.duplicate-consumer-group',
        path: 'mappings[1].consumerGroupId',
        line: 16,
        col: 22,
        message: 'consumer group `shared` on this cluster is already used by `settle` (spec.yaml:6); AWS rejects a second mapping in the same group',
      },
    ],
  },
  {
    name: 'a cluster in another region than the set',
    text: msk().replace('metadata: { name: payments }\n', 'metadata: { name: payments, region: eu-west-1 }\n'),
    expected: [
      {
        code: 'spec.region-mismatch',
        path: 'mappings[0].source.msk',
        line: 9,
        col: 12,
        message: 'the cluster is in us-east-1 but the set is in eu-west-1 (metadata.region); a mapping reads only from its own region',
      },
    ],
  },
  {
    name: 'a cluster ARN in another account than the function',
    text: msk().replace('function: settle-payment', 'function: arn:aws:lambda:us-east-1:999999999999:function:settle-payment'),
    expected: [
      {
        code: 'spec.cross-account-cluster',
        path: 'mappings[0].source.msk',
        line: 9,
        col: 12,
        message:
          'the cluster is in account 123456789012 and the function in 999999999999; a cluster in another account is reached through its MSK multi-VPC connection',
      },
    ],
  },
  {
    name: 'a value from defaults is located in defaults',
    text: `apiVersion: esmctl/v1
kind: MappingSet
metadata:
  name: payments
defaults:
  auth: { type: IAM }
mappings:
  - name: settle
    function: settle-payment
    source: { bootstrapServers: [b-1.kafka.internal:9096] }
    topic: payments.settled
    startingPosition: LATEST
`,
    expected: [
      {
        code: 'spec.auth-for-source',
        path: 'mappings[0].auth.type',
        line: 6,
        col: 17,
        message:
          'IAM is not available for self-managed Kafka sources; use one of BASIC_AUTH, SASL_SCRAM_256, SASL_SCRAM_512, MTLS, NONE (value from defaults)',
      },
    ],
  },
];

describe('spec rules: each failing case reports exactly these problems', () => {
  it.each(CASES)('$name', ({ text, expected }) => {
    const { problems } = loadSpecText(text, 'spec.yaml', { now: NOW });
    expect(problems.map(({ code, path, line, col, message }) => ({ code, path, line, col, message }))).toEqual(expected);
    for (const p of problems) expect(p.file).toBe('spec.yaml');
  });

  it('every case is valid once the offending text is gone (the base specs themselves are valid)', () => {
    expect(loadSpecText(msk(), 'spec.yaml', { now: NOW }).problems).toEqual([]);
    expect(loadSpecText(selfManaged(), 'spec.yaml', { now: NOW }).problems).toEqual([]);
    expect(loadSpecText(msk(PROVISIONED, '    onFailure: kafka://payments.dlq'), 'spec.yaml', { now: NOW }).problems).toEqual([]);
    const crossAccount = msk().replace('function: settle-payment', 'function: arn:aws:lambda:us-east-1:999999999999:function:settle-payment:live');
    const viaVpcConnection = crossAccount.replace(MSK, 'arn:aws:kafka:us-east-1:999999999999:vpc-connection/123456789012/payments/0f1e2d3c-aaaa-bbbb-cccc-123456789abc-2');
    expect(loadSpecText(viaVpcConnection, 'spec.yaml', { now: NOW }).problems).toEqual([]);
    expect(
      loadSpecText(msk('    startingPosition: AT_TIMESTAMP', '    startingPositionTimestamp: 2025-12-31T23:00:00Z'), 'spec.yaml', { now: NOW }).problems,
    ).toEqual([]);
  });

  it('reports all problems of a file at once, sorted by line', () => {
    const { problems } = loadSpecText(
      msk('    batchSize: 0', '    batchsize: 3', '    logLevel: TRACE', '    startingPosition: AT_TIMESTAMP'),
      'spec.yaml',
      { now: NOW },
    );
    expect(problems.map((p) => [p.line, p.code])).toEqual([
      [11, 'spec.range'],
      [12, 'spec.unknown-key'],
      [13, 'spec.enum'],
      [14, 'spec.at-timestamp-without-timestamp'],
    ]);
  });

  it('carries facts for machines: range bounds, allowed values, suggestion, keys', () => {
    const [range] = loadSpecText(msk('    batchSize: 10001'), 'spec.yaml').problems;
    expect(range).toMatchObject({ minimum: 1, maximum: 10000 });
    const [unknown] = loadSpecText(msk('    batchsize: 1'), 'spec.yaml').problems;
    expect(unknown).toMatchObject({ keys: ['batchsize'], suggestion: 'batchSize' });
    expect(unknown.allowed).toContain('consumerGroupId');
    const [both] = loadSpecText(
      HEAD + `    source:\n      msk: ${MSK}\n      bootstrapServers: [b-1.kafka.internal:9096]\n    topic: t1\n`,
      'spec.yaml',
    ).problems;
    expect(both.keys).toEqual(['msk', 'bootstrapServers']);
  });
});
