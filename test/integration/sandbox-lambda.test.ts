// The sandbox's Lambda emulation through the real AWS SDK v3 client: functions, Kafka event source mappings
// (validation, conflicts, states over time, paging past 100, updates, tags) as the Lambda API reference documents them.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
} from '@aws-sdk/client-lambda';
import { startSandbox, type RunningSandbox, type SandboxSeed } from '../../src/sandbox/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const CLUSTER = `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/orders/7a1b2c3d-1111-2222-3333-444455556666-1`;
const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

const SEED: SandboxSeed = {
  functions: [
    { name: 'ingest', role: 'ingest-role' },
    { name: 'audit', role: 'audit-role', versions: ['1', '2'], aliases: { live: '2' } },
    { name: 'other', role: 'ingest-role', tags: { team: 'x' } },
  ],
  clusters: [{ name: 'orders', uuid: '7a1b2c3d-1111-2222-3333-444455556666-1', auth: ['iam', 'scram'] }],
};

function lambdaClient(sb: RunningSandbox, maxAttempts = 1): LambdaClient {
  return new LambdaClient({ endpoint: sb.url, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts });
}

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number; raw: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode, raw: err as unknown as Record<string, unknown> };
  }
  throw new Error('expected the call to fail');
}

const msk = (o: Partial<CreateEventSourceMappingCommandInput> = {}): CreateEventSourceMappingCommandInput => ({
  FunctionName: 'ingest',
  EventSourceArn: CLUSTER,
  Topics: ['orders.created'],
  StartingPosition: 'TRIM_HORIZON',
  ...o,
});

describe('sandbox Lambda: functions', () => {
  let sb: RunningSandbox;
  let lambda: LambdaClient;
  beforeAll(async () => {
    sb = await startSandbox({ seed: SEED });
    lambda = lambdaClient(sb);
  });
  afterAll(async () => sb.stop());

  it('GetFunction resolves names, partial and full ARNs, and qualifiers (alias ARN kept, version resolved)', async () => {
    const byName = await lambda.send(new GetFunctionCommand({ FunctionName: 'ingest' }));
    expect(byName.Configuration).toMatchObject({ FunctionName: 'ingest', FunctionArn: fnArn('ingest'), Role: `arn:aws:iam::${ACCOUNT}:role/ingest-role`, Version: '$LATEST' });
    const byAlias = await lambda.send(new GetFunctionCommand({ FunctionName: 'audit:live' }));
    expect(byAlias.Configuration).toMatchObject({ FunctionArn: `${fnArn('audit')}:live`, Version: '2' });
    const byParam = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${ACCOUNT}:function:audit`, Qualifier: '1' }));
    expect(byParam).toMatchObject({ FunctionArn: `${fnArn('audit')}:1`, Version: '1' });
    const tagged = await lambda.send(new GetFunctionCommand({ FunctionName: fnArn('other') }));
    expect(tagged.Tags).toEqual({ team: 'x' });
  });

  it('answers ResourceNotFoundException for unknown functions and qualifiers', async () => {
    expect(await failure(lambda.send(new GetFunctionCommand({ FunctionName: 'nope' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Function not found: ${fnArn('nope')}`,
    });
    expect((await failure(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'audit:gone' })))).message).toBe(`Function not found: ${fnArn('audit')}:gone`);
    expect((await failure(lambda.send(new GetFunctionCommand({ FunctionName: 'audit:live', Qualifier: '1' })))).name).toBe('InvalidParameterValueException');
  });

  it('ListFunctions pages with MaxItems and NextMarker', async () => {
    const first = await lambda.send(new ListFunctionsCommand({ MaxItems: 2 }));
    expect(first.Functions?.map((f) => f.FunctionName)).toEqual(['ingest', 'audit']);
    const second = await lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: first.NextMarker }));
    expect(second.Functions?.map((f) => f.FunctionName)).toEqual(['other']);
    expect(second.NextMarker).toBeUndefined();
  });
});

describe('sandbox Lambda: Kafka event source mappings', () => {
  let sb: RunningSandbox;
  let lambda: LambdaClient;
  beforeAll(async () => {
    sb = await startSandbox({ seed: SEED });
    lambda = lambdaClient(sb);
  });
  beforeEach(() => sb.control.reset());
  afterAll(async () => sb.stop());

  it('creates with 202 Creating and the documented response fields; the batching window is left out when never set', async () => {
    const before = Date.now();
    const c = await lambda.send(new CreateEventSourceMappingCommand(msk({ FunctionName: 'audit:live' })));
    expect(c.$metadata.httpStatusCode).toBe(202);
    expect(c).toMatchObject({
      State: 'Creating',
      StateTransitionReason: 'USER_INITIATED',
      LastProcessingResult: 'No records processed',
      FunctionArn: `${fnArn('audit')}:live`,
      EventSourceArn: CLUSTER,
      Topics: ['orders.created'],
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      EventSourceMappingArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:${c.UUID}`,
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: c.UUID },
    });
    expect(c.UUID).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.LastModified!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(c).not.toHaveProperty('MaximumBatchingWindowInSeconds');
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: c.UUID }));
    expect(got.State).toBe('Enabled'); // state delay 0: settled at the next read
    expect(got).not.toHaveProperty('MaximumBatchingWindowInSeconds');
  });

  it('keeps a custom consumer group, sorts self-managed bootstrap servers, and creates Disabled when Enabled is false', async () => {
    const c = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'ingest',
        SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['b-3.example.com:9096', 'b-1.example.com:9096', 'b-2.example.com:9096'] } },
        Topics: ['inventory'],
        StartingPosition: 'LATEST',
        Enabled: false,
        SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'inventory-group' },
        SourceAccessConfigurations: [
          { Type: 'SASL_SCRAM_512_AUTH', URI: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:inv-AbCdEf` },
          { Type: 'VPC_SUBNET', URI: 'subnet:subnet-0a1b2c3d' },
        ],
        MaximumBatchingWindowInSeconds: 0,
      }),
    );
    expect(c.SelfManagedEventSource?.Endpoints?.KAFKA_BOOTSTRAP_SERVERS).toEqual(['b-1.example.com:9096', 'b-2.example.com:9096', 'b-3.example.com:9096']);
    expect(c.SelfManagedKafkaEventSourceConfig).toEqual({ ConsumerGroupId: 'inventory-group' });
    expect(c.MaximumBatchingWindowInSeconds).toBe(0);
    expect(c.SourceAccessConfigurations).toHaveLength(2);
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: c.UUID }))).State).toBe('Disabled');
  });

  const invalid: Array<[string, Partial<CreateEventSourceMappingCommandInput>, RegExp]> = [
    ['two topics', { Topics: ['a1', 'b1'] }, /Topics must contain exactly one topic/],
    ['no topics', { Topics: [] }, /Topics must contain exactly one topic/],
    ['no starting position', { StartingPosition: undefined }, /StartingPosition must be specified/],
    ['AT_TIMESTAMP without a timestamp', { StartingPosition: 'AT_TIMESTAMP' }, /StartingPositionTimestamp must be specified/],
    ['both sources', { SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['a:9092'] } } }, /cannot both be specified/],
    ['no source', { EventSourceArn: undefined }, /Unrecognized event source/],
    ['unknown cluster', { EventSourceArn: `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/nope/0000-1` }, /does not exist/],
    ['an SQS queue', { EventSourceArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:q` }, /Unrecognized event source/],
    ['batch size 0', { BatchSize: 0 }, /Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1/],
    ['batch size 10001', { BatchSize: 10001 }, /at 'batchSize' .* less than or equal to 10000/],
    ['batching window 301', { MaximumBatchingWindowInSeconds: 301 }, /at 'maximumBatchingWindowInSeconds' .* less than or equal to 300/],
    ['pollers min > max', { ProvisionedPollerConfig: { MinimumPollers: 5, MaximumPollers: 2 } }, /MinimumPollers must be less than or equal to MaximumPollers/],
    ['pollers max 2001', { ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 2001 } }, /maximumPollers.*less than or equal to 2000/],
    ['retry attempts 10001', { ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 2 }, MaximumRetryAttempts: 10001 }, /maximumRetryAttempts.*less than or equal to 10000/],
    ['record age 30', { ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 2 }, MaximumRecordAgeInSeconds: 30 }, /maximumRecordAgeInSeconds.*greater than or equal to 60/],
    ['tumbling window', { TumblingWindowInSeconds: 10 }, /^Unsupported 'tumblingWindowInSeconds' parameter for given event source mapping type\.$/],
    ['parallelization factor', { ParallelizationFactor: 2 }, /^Unsupported 'parallelizationFactor' parameter for given event source mapping type\.$/],
    ['scaling config', { ScalingConfig: { MaximumConcurrency: 5 } }, /^Unsupported 'scalingConfig' parameter for given event source mapping type\.$/],
    ['retries without provisioned mode', { MaximumRetryAttempts: 3 }, /MaximumRetryAttempts is only supported .* provisioned mode/],
    ['bisect without provisioned mode', { BisectBatchOnFunctionError: true }, /BisectBatchOnFunctionError is only supported .* provisioned mode/],
    ['partial batch response without provisioned mode', { FunctionResponseTypes: ['ReportBatchItemFailures'] }, /FunctionResponseTypes is only supported .* provisioned mode/],
    ['kafka:// destination without provisioned mode', { DestinationConfig: { OnFailure: { Destination: 'kafka://dlq' } } }, /only supported in provisioned mode/],
    ['BASIC_AUTH on MSK', { SourceAccessConfigurations: [{ Type: 'BASIC_AUTH', URI: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:x-AbCdEf` }] }, /Unsupported SourceAccessConfiguration type BASIC_AUTH/],
    ['a filter that is not JSON', { FilterCriteria: { Filters: [{ Pattern: '{not json' }] } }, /Invalid filter pattern definition/],
  ];
  it.each(invalid)('rejects %s with InvalidParameterValueException naming the problem', async (_name, patch, message) => {
    sb.control.clearLog();
    const e = await failure(lambda.send(new CreateEventSourceMappingCommand(msk(patch))));
    expect(e.name).toBe('InvalidParameterValueException');
    expect(e.status).toBe(400);
    expect(e.message).toMatch(message);
    expect((await lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings).toEqual([]);
  });

  it('rejects a mapping for a function that does not exist with ResourceNotFoundException', async () => {
    const e = await failure(lambda.send(new CreateEventSourceMappingCommand(msk({ FunctionName: 'missing' }))));
    expect(e).toMatchObject({ name: 'ResourceNotFoundException', status: 404, message: `Function not found: ${fnArn('missing')}` });
  });

  it('accepts error handling, destinations, metrics and logs in provisioned mode', async () => {
    const c = await lambda.send(
      new CreateEventSourceMappingCommand(
        msk({
          ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 10, PollerGroupName: 'ledger' },
          MaximumRetryAttempts: 3,
          MaximumRecordAgeInSeconds: 3600,
          BisectBatchOnFunctionError: true,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          DestinationConfig: { OnFailure: { Destination: 'kafka://orders.dlq' } },
          MetricsConfig: { Metrics: ['EventCount'] },
          LoggingConfig: { SystemLogLevel: 'INFO' },
        }),
      ),
    );
    expect(c).toMatchObject({
      ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 10, PollerGroupName: 'ledger' },
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: 'kafka://orders.dlq' } },
      MetricsConfig: { Metrics: ['EventCount'] },
      LoggingConfig: { SystemLogLevel: 'INFO' },
    });
  });

  it('switches a provisioned mapping back to on-demand only when its provisioned-only settings are reset too', async () => {
    const c = await lambda.send(
      new CreateEventSourceMappingCommand(msk({ ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 3 }, MaximumRetryAttempts: 3, BisectBatchOnFunctionError: true })),
    );
    await lambda.send(new GetEventSourceMappingCommand({ UUID: c.UUID }));
    const refused = await failure(lambda.send(new UpdateEventSourceMappingCommand({ UUID: c.UUID, ProvisionedPollerConfig: {} })));
    expect(refused.message).toMatch(/requires removing the provisioned-mode settings \(MaximumRetryAttempts\)/);
    const u = await lambda.send(
      new UpdateEventSourceMappingCommand({ UUID: c.UUID, ProvisionedPollerConfig: {}, MaximumRetryAttempts: -1, BisectBatchOnFunctionError: false, FunctionResponseTypes: [] }),
    );
    for (const k of ['ProvisionedPollerConfig', 'MaximumRetryAttempts', 'BisectBatchOnFunctionError', 'FunctionResponseTypes']) expect(u).not.toHaveProperty(k);
    // defaults are accepted without provisioned mode, and left out of the response
    const d = await lambda.send(new CreateEventSourceMappingCommand(msk({ Topics: ['defaults'], MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1 })));
    expect(d).not.toHaveProperty('MaximumRetryAttempts');
  });

  it('answers 409 ResourceConflictException with the existing UUID for the same source, function and topic', async () => {
    const first = await lambda.send(new CreateEventSourceMappingCommand(msk()));
    const e = await failure(lambda.send(new CreateEventSourceMappingCommand(msk({ StartingPosition: 'LATEST' }))));
    expect(e.status).toBe(409);
    expect(e.name).toBe('ResourceConflictException');
    expect(e.message).toBe(
      `An event source mapping with event source arn ("${CLUSTER}"), function ("${fnArn('ingest')}") and topics ("orders.created") already exists. Please update or delete the existing mapping with UUID ${first.UUID}`,
    );
  });

  it('answers 409 for a second mapping of the same source with the same consumer group id', async () => {
    const first = await lambda.send(new CreateEventSourceMappingCommand(msk({ AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'shared' } })));
    const e = await failure(lambda.send(new CreateEventSourceMappingCommand(msk({ FunctionName: 'other', Topics: ['other.topic'], AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'shared' } }))));
    expect(e.status).toBe(409);
    expect(e.message).toBe(`An event source mapping with event source arn ("${CLUSTER}") and consumer group id ("shared") already exists. Please update or delete the existing mapping with UUID ${first.UUID}`);
  });

  it('updates only updatable fields; FilterCriteria {} clears the filters; Enabled flips go through Disabling', async () => {
    const c = await lambda.send(
      new CreateEventSourceMappingCommand(msk({ FilterCriteria: { Filters: [{ Pattern: '{"value":{"a":[1]}}' }] }, AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'g1' } })),
    );
    await lambda.send(new GetEventSourceMappingCommand({ UUID: c.UUID }));
    const u = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: c.UUID, BatchSize: 500, MaximumBatchingWindowInSeconds: 5, FilterCriteria: {} }));
    expect(u.$metadata.httpStatusCode).toBe(202);
    expect(u).toMatchObject({ State: 'Updating', BatchSize: 500, MaximumBatchingWindowInSeconds: 5, Topics: ['orders.created'], StartingPosition: 'TRIM_HORIZON', AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'g1' } });
    expect(u).not.toHaveProperty('FilterCriteria');
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: c.UUID }))).State).toBe('Enabled');
    const d = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: c.UUID, Enabled: false }));
    expect(d.State).toBe('Disabling');
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: c.UUID }))).State).toBe('Disabled');
    const e = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: c.UUID, Enabled: true }));
    expect(e.State).toBe('Enabling');
    const g = await failure(lambda.send(new UpdateEventSourceMappingCommand({ UUID: c.UUID, AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'g2' } })));
    expect(g.name).toBe('InvalidParameterValueException');
    const f = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: c.UUID, FunctionName: 'audit:live' }));
    expect(f.FunctionArn).toBe(`${fnArn('audit')}:live`);
  });

  it('validates updates the same way (ranges, unsupported fields, provisioned-only fields) and 404s an unknown UUID', async () => {
    const c = await lambda.send(new CreateEventSourceMappingCommand(msk()));
    await lambda.send(new GetEventSourceMappingCommand({ UUID: c.UUID }));
    expect((await failure(lambda.send(new UpdateEventSourceMappingCommand({ UUID: c.UUID, BatchSize: 20000 })))).message).toMatch(/batchSize/);
    expect((await failure(lambda.send(new UpdateEventSourceMappingCommand({ UUID: c.UUID, ParallelizationFactor: 2 })))).message).toMatch(/Unsupported 'parallelizationFactor'/);
    expect((await failure(lambda.send(new UpdateEventSourceMappingCommand({ UUID: c.UUID, MaximumRetryAttempts: 2 })))).message).toMatch(/provisioned mode/);
    const e = await failure(lambda.send(new UpdateEventSourceMappingCommand({ UUID: '11111111-2222-3333-4444-555555555555', BatchSize: 10 })));
    expect(e).toMatchObject({ name: 'ResourceNotFoundException', status: 404, message: 'The resource you requested does not exist.' });
  });

  it('deletes with 202 Deleting; the mapping disappears after the delay', async () => {
    const c = await lambda.send(new CreateEventSourceMappingCommand(msk()));
    await lambda.send(new GetEventSourceMappingCommand({ UUID: c.UUID }));
    const d = await lambda.send(new DeleteEventSourceMappingCommand({ UUID: c.UUID }));
    expect(d.$metadata.httpStatusCode).toBe(202);
    expect(d.State).toBe('Deleting');
    expect((await failure(lambda.send(new GetEventSourceMappingCommand({ UUID: c.UUID })))).name).toBe('ResourceNotFoundException');
    expect((await failure(lambda.send(new DeleteEventSourceMappingCommand({ UUID: c.UUID })))).name).toBe('ResourceNotFoundException');
  });

  it('tags a mapping on create and with TagResource / UntagResource / ListTags on its ARN', async () => {
    const c = await lambda.send(new CreateEventSourceMappingCommand(msk({ Tags: { 'esmctl:set': 'orders', team: 'a' } })));
    const arn = c.EventSourceMappingArn!;
    expect((await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ 'esmctl:set': 'orders', team: 'a' });
    const tagged = await lambda.send(new TagResourceCommand({ Resource: arn, Tags: { team: 'b', env: 'dev' } }));
    expect(tagged.$metadata.httpStatusCode).toBe(204);
    await lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['esmctl:set'] }));
    expect((await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ team: 'b', env: 'dev' });
    const missing = await failure(lambda.send(new ListTagsCommand({ Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:11111111-2222-3333-4444-555555555555` })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect((await lambda.send(new ListTagsCommand({ Resource: fnArn('other') }))).Tags).toEqual({ team: 'x' });
  });

  it('lists at most 100 per page with NextMarker, filtered by EventSourceArn and FunctionName (name, ARN, partial ARN, alias)', async () => {
    for (let i = 0; i < 230; i++) {
      await lambda.send(new CreateEventSourceMappingCommand(msk({ FunctionName: i % 10 === 0 ? 'audit:live' : 'ingest', Topics: [`t-${String(i).padStart(3, '0')}`] })));
    }
    const pages: number[] = [];
    const seen = new Set<string>();
    let marker: string | undefined;
    do {
      const page = await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: CLUSTER, Marker: marker }));
      pages.push(page.EventSourceMappings!.length);
      for (const m of page.EventSourceMappings!) seen.add(m.UUID!);
      marker = page.NextMarker;
    } while (marker);
    expect(pages).toEqual([100, 100, 30]);
    expect(seen.size).toBe(230);
    expect((await lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 7 }))).EventSourceMappings).toHaveLength(7);
    expect((await lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 5000 }))).EventSourceMappings).toHaveLength(100);
    const byAlias = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'audit:live' }));
    expect(byAlias.EventSourceMappings).toHaveLength(23);
    expect((await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: `${fnArn('audit')}:live` }))).EventSourceMappings).toHaveLength(23);
    expect((await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: `${ACCOUNT}:function:audit:live` }))).EventSourceMappings).toHaveLength(23);
    expect((await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'audit' }))).EventSourceMappings).toHaveLength(0);
    expect((await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: `${CLUSTER}x` }))).EventSourceMappings).toEqual([]);
    expect((await failure(lambda.send(new ListEventSourceMappingsCommand({ Marker: 'bogus' })))).name).toBe('InvalidParameterValueException');
  });
});

describe('sandbox Lambda: states over time', () => {
  let sb: RunningSandbox;
  let lambda: LambdaClient;
  const DELAY = 700; // generous: the machine may be busy, and each step must land inside the window
  beforeAll(async () => {
    sb = await startSandbox({ seed: SEED, stateDelayMs: DELAY });
    lambda = lambdaClient(sb);
  });
  afterAll(async () => sb.stop());
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const state = async (uuid: string) => (await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State;

  it('stays Creating / Updating / Deleting for the state delay, refusing updates and deletes meanwhile with ResourceInUseException', async () => {
    const c = await lambda.send(new CreateEventSourceMappingCommand(msk()));
    expect(await state(c.UUID!)).toBe('Creating');
    const inUse = await failure(lambda.send(new UpdateEventSourceMappingCommand({ UUID: c.UUID, BatchSize: 10 })));
    expect(inUse).toMatchObject({ name: 'ResourceInUseException', status: 400 });
    expect(inUse.message).toMatch(/Creating/);
    expect((await failure(lambda.send(new DeleteEventSourceMappingCommand({ UUID: c.UUID })))).name).toBe('ResourceInUseException');
    await sleep(DELAY + 100);
    expect(await state(c.UUID!)).toBe('Enabled');

    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: c.UUID, BatchSize: 10 }));
    expect(await state(c.UUID!)).toBe('Updating');
    await sleep(DELAY + 100);
    expect(await state(c.UUID!)).toBe('Enabled');

    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: c.UUID }));
    expect(await state(c.UUID!)).toBe('Deleting');
    // while Deleting, the same source/function/topic still conflicts
    expect((await failure(lambda.send(new CreateEventSourceMappingCommand(msk())))).status).toBe(409);
    await sleep(DELAY + 100);
    expect((await failure(lambda.send(new GetEventSourceMappingCommand({ UUID: c.UUID })))).name).toBe('ResourceNotFoundException');
    expect((await lambda.send(new CreateEventSourceMappingCommand(msk()))).State).toBe('Creating');
  });

  it('takes a new state delay set at run time', async () => {
    sb.control.setFaults({ stateDelayMs: 0 });
    const c = await lambda.send(new CreateEventSourceMappingCommand(msk({ Topics: ['fast'] })));
    expect(await state(c.UUID!)).toBe('Enabled');
    sb.control.setFaults({ stateDelayMs: DELAY });
  });
});
