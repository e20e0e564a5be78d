// createAwsPorts: the AwsPorts implementation over the AWS SDK (Lambda, IAM, Kafka, STS), imported lazily.
// Standard credential chain, region resolution with clear errors, AWS_ENDPOINT_URL honoured, adaptive retries.

import { EsmctlError, userError } from '../core/errors.js';
import type { AwsPorts, Clock } from '../core/ports.js';
import type { LiveCluster, LiveFunction, LiveMapping, MappingConfig, PolicyDocument } from '../core/types.js';
import { limiter } from './concurrency.js';
import { Pacers } from './pacer.js';
import { classifyAwsError, isNotFound, isThrottlingSdkError, retryAfterOf } from './errors.js';
import {
  type ApiCluster,
  type ApiMapping,
  clusterFromApi,
  decodePolicyDocument,
  fromApiMapping,
  isKafkaApiMapping,
} from './from-api.js';
import { toCreateRequest, toUpdateRequest } from './to-api.js';

export interface AwsPortsOptions {
  /** `--region`. */
  region?: string;
  /** `--profile` (else AWS_PROFILE, else default). */
  profile?: string;
  /** The region the spec names. */
  specRegion?: string;
  /** SDK attempts per call. Default 6. */
  maxAttempts?: number;
  /**
   * Client-side rate limiting after throttling. Default 'adaptive': the SDK's adaptive retry mode for reads, and for
   * Lambda writes a per-operation pacer (src/aws/pacer.ts) over the SDK's standard retry mode. 'standard': none.
   */
  retryMode?: 'adaptive' | 'standard';
  /** Concurrent reads inside one port call (ListTags per mapping). Default 32 (adaptive retry slows it when AWS throttles). */
  concurrency?: number;
  clock?: Clock;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Page size of ListEventSourceMappings (the API maximum). */
export const LIST_PAGE_SIZE = 100;

/**
 * Region: the spec's, else --region, else AWS_REGION / AWS_DEFAULT_REGION, else the profile's; a spec region and a
 * different --region is a user error rather than a silent choice.
 */
export async function resolveRegion(opts: Pick<AwsPortsOptions, 'region' | 'profile' | 'specRegion'>): Promise<string> {
  if (opts.specRegion && opts.region && opts.specRegion !== opts.region) {
    throw userError(
      'region.conflict',
      `the spec says region ${opts.specRegion} but --region says ${opts.region}`,
      'Drop --region, or change `region:` in the spec.',
    );
  }
  const explicit = opts.specRegion ?? opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (explicit) return explicit;
  try {
    const { STSClient } = await import('@aws-sdk/client-sts');
    const probe = new STSClient(opts.profile ? { profile: opts.profile } : {});
    const region = await probe.config.region();
    probe.destroy();
    if (region) return region;
  } catch {
    // fall through to the clear error below
  }
  throw userError(
    'region.missing',
    'no AWS region: set `region:` in the spec, pass --region, set AWS_REGION, or give the profile a region',
    'e.g. export AWS_REGION=us-east-1',
  );
}

function clientConfig(region: string, opts: AwsPortsOptions) {
  return {
    region,
    retryMode: opts.retryMode ?? 'adaptive',
    maxAttempts: opts.maxAttempts ?? 6,
    ...(opts.profile ? { profile: opts.profile } : {}),
  };
}

/** Account id and ARN of the caller (STS GetCallerIdentity). */
export async function getCallerIdentity(region: string, opts: AwsPortsOptions = {}): Promise<{ account: string; arn: string }> {
  const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const sts = new STSClient(clientConfig(region, opts));
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    return { account: out.Account ?? '', arn: out.Arn ?? '' };
  } catch (e) {
    throw classifyAwsError(e, 'sts:GetCallerIdentity');
  } finally {
    sts.destroy();
  }
}

function qualifierOf(ref: string): { name: string; qualifier?: string } {
  if (ref.startsWith('arn:')) {
    // arn:aws:lambda:region:acct:function:name[:qualifier]
    const parts = ref.split(':');
    return parts.length > 7 ? { name: parts.slice(0, 7).join(':'), qualifier: parts[7] } : { name: ref };
  }
  const parts = ref.split(':');
  // name:qualifier, or account-id:function:name[:qualifier] (partial ARN)
  if (parts.length === 2) return { name: parts[0], qualifier: parts[1] };
  if (parts.length === 4 && parts[1] === 'function') return { name: parts.slice(0, 3).join(':'), qualifier: parts[3] };
  return { name: ref };
}

async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw classifyAwsError(e, operation);
  }
}

/** Builds the AwsPorts over real SDK clients. SDK modules are imported here, on first use of this function. */
export async function createAwsPorts(opts: AwsPortsOptions = {}): Promise<AwsPorts> {
  const region = await resolveRegion(opts);
  const cfg = clientConfig(region, opts);
  const concurrency = opts.concurrency ?? 32;
  const [lambdaSdk, iamSdk, kafkaSdk] = await Promise.all([
    import('@aws-sdk/client-lambda'),
    import('@aws-sdk/client-iam'),
    import('@aws-sdk/client-kafka'),
  ]);
  // Reads and writes on separate clients: the adaptive retry mode's client-side rate limiter then slows down only
  // the kind of call AWS throttled (a throttled create must not also slow the state polls, and vice versa).
  const lambda = new lambdaSdk.LambdaClient(cfg);
  // Writes: the SDK's adaptive limiter cuts to 70% at each throttle and recovers slowly; a per-operation pacer that
  // learns the rate that succeeded paces each attempt (retries included) instead, over the standard retry mode
  // (which honours Retry-After). Same attempts per call as before.
  const lambdaWrite = new lambdaSdk.LambdaClient(cfg.retryMode === 'adaptive' ? { ...cfg, retryMode: 'standard' } : cfg);
  if (cfg.retryMode === 'adaptive') {
    const pacers = new Pacers(opts.clock ?? SYSTEM_CLOCK);
    lambdaWrite.middlewareStack.addRelativeTo(
      ((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        const pacer = pacers.get(context.commandName ?? '');
        const startedAt = await pacer.acquire();
        try {
          const out = await next(args);
          pacer.success(startedAt);
          return out;
        } catch (e) {
          if (isThrottlingSdkError(e)) pacer.throttled(retryAfterOf(e));
          throw e;
        }
      }) as never,
      { relation: 'after', toMiddleware: 'retryMiddleware', name: 'esmctlPacer' },
    );
  }
  const iam = new iamSdk.IAMClient(cfg);
  const kafka = new kafkaSdk.KafkaClient(cfg);

  const listTags = (arn: string): Promise<Record<string, string>> =>
    call('lambda:ListTags', async () => (await lambda.send(new lambdaSdk.ListTagsCommand({ Resource: arn }))).Tags ?? {});

  const getApiMapping = async (uuid: string): Promise<ApiMapping | null> => {
    try {
      return (await lambda.send(new lambdaSdk.GetEventSourceMappingCommand({ UUID: uuid }))) as ApiMapping;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw classifyAwsError(e, 'lambda:GetEventSourceMapping');
    }
  };

  const ports: AwsPorts = {
    region,
    clock: opts.clock ?? SYSTEM_CLOCK,
    mappings: {
      async listKafkaMappings(): Promise<LiveMapping[]> {
        // Tags are read while later pages are still being listed (pipelined, bounded).
        const limit = limiter(concurrency);
        const reads: Array<Promise<LiveMapping>> = [];
        let marker: string | undefined;
        do {
          const page = await call('lambda:ListEventSourceMappings', () =>
            lambda.send(new lambdaSdk.ListEventSourceMappingsCommand({ MaxItems: LIST_PAGE_SIZE, Marker: marker })),
          );
          for (const m of (page.EventSourceMappings ?? []) as ApiMapping[]) {
            if (!isKafkaApiMapping(m)) continue;
            const read = limit(async () => {
              // Encrypted filter criteria are left out of List responses: read those mappings one by one.
              const full = m.KMSKeyArn && !m.FilterCriteria ? ((await getApiMapping(m.UUID ?? '')) ?? m) : m;
              const tags = full.EventSourceMappingArn ? await listTags(full.EventSourceMappingArn) : {};
              return fromApiMapping(full, tags);
            });
            read.catch(() => undefined); // handled below; keeps a failed page read from leaving it unhandled
            reads.push(read);
          }
          marker = page.NextMarker || undefined;
        } while (marker);
        // A mapping deleted between List and ListTags is gone: drop it rather than fail the read.
        const settled = await Promise.allSettled(reads);
        const out: LiveMapping[] = [];
        for (const r of settled) {
          if (r.status === 'fulfilled') out.push(r.value);
          else if (!isNotFound(r.reason)) throw r.reason;
        }
        return out;
      },
      async getMapping(uuid: string, options?: { tags?: boolean }): Promise<LiveMapping | null> {
        const m = await getApiMapping(uuid);
        if (!m) return null;
        const tags = options?.tags === false || !m.EventSourceMappingArn ? {} : await listTags(m.EventSourceMappingArn);
        return fromApiMapping(m, tags);
      },
      async createMapping(config: MappingConfig, tags: Record<string, string>): Promise<LiveMapping> {
        const req = toCreateRequest(config, tags);
        const out = await call('lambda:CreateEventSourceMapping', () =>
          lambdaWrite.send(new lambdaSdk.CreateEventSourceMappingCommand(req as never)),
        );
        return fromApiMapping(out as ApiMapping, tags);
      },
      async updateMapping(uuid: string, config: MappingConfig, changed: string[]): Promise<LiveMapping> {
        const req = toUpdateRequest(uuid, config, changed);
        if (!req) {
          const cur = await ports.mappings.getMapping(uuid);
          if (!cur) throw new EsmctlError('aws.ResourceNotFoundException', `mapping ${uuid} does not exist`, { source: 'aws', awsCode: 'ResourceNotFoundException', httpStatus: 404 });
          return cur;
        }
        const out = await call('lambda:UpdateEventSourceMapping', () =>
          lambdaWrite.send(new lambdaSdk.UpdateEventSourceMappingCommand(req as never)),
        );
        return fromApiMapping(out as ApiMapping, {});
      },
      async deleteMapping(uuid: string): Promise<void> {
        try {
          await lambdaWrite.send(new lambdaSdk.DeleteEventSourceMappingCommand({ UUID: uuid }));
        } catch (e) {
          if (isNotFound(e)) return;
          throw classifyAwsError(e, 'lambda:DeleteEventSourceMapping');
        }
      },
      async tagMapping(arn: string, tags: Record<string, string>): Promise<void> {
        if (!Object.keys(tags).length) return;
        await call('lambda:TagResource', () => lambdaWrite.send(new lambdaSdk.TagResourceCommand({ Resource: arn, Tags: tags })));
      },
      async untagMapping(arn: string, keys: string[]): Promise<void> {
        if (!keys.length) return;
        await call('lambda:UntagResource', () => lambdaWrite.send(new lambdaSdk.UntagResourceCommand({ Resource: arn, TagKeys: keys })));
      },
    },
    functions: {
      async getFunction(ref: string): Promise<LiveFunction | null> {
        const { name, qualifier } = qualifierOf(ref);
        try {
          const out = await lambda.send(new lambdaSdk.GetFunctionCommand({ FunctionName: name, Qualifier: qualifier }));
          const c = out.Configuration ?? {};
          let functionArn = c.FunctionArn ?? '';
          const unqualified = functionArn.split(':').slice(0, 7).join(':');
          functionArn = qualifier ? `${unqualified}:${qualifier}` : unqualified;
          return { ref, functionArn, roleArn: c.Role ?? '' };
        } catch (e) {
          if (isNotFound(e)) return null;
          throw classifyAwsError(e, 'lambda:GetFunction');
        }
      },
    },
    iam: {
      async getRolePolicy(roleName: string, policyName: string): Promise<PolicyDocument | null> {
        try {
          const out = await iam.send(new iamSdk.GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
          return out.PolicyDocument ? decodePolicyDocument(out.PolicyDocument) : null;
        } catch (e) {
          if (isNotFound(e)) return null;
          throw classifyAwsError(e, 'iam:GetRolePolicy');
        }
      },
      async putRolePolicy(roleName: string, policyName: string, document: PolicyDocument): Promise<void> {
        await call('iam:PutRolePolicy', () =>
          iam.send(new iamSdk.PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: JSON.stringify(document) })),
        );
      },
      async deleteRolePolicy(roleName: string, policyName: string): Promise<void> {
        try {
          await iam.send(new iamSdk.DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
        } catch (e) {
          if (isNotFound(e)) return;
          throw classifyAwsError(e, 'iam:DeleteRolePolicy');
        }
      },
    },
    clusters: {
      async describeCluster(arn: string): Promise<LiveCluster | null> {
        try {
          const out = await kafka.send(new kafkaSdk.DescribeClusterV2Command({ ClusterArn: arn }));
          return out.ClusterInfo ? clusterFromApi(out.ClusterInfo as ApiCluster, arn) : null;
        } catch (e) {
          if (isNotFound(e)) return null;
          throw classifyAwsError(e, 'kafka:DescribeClusterV2');
        }
      },
    },
  };
  return ports;
}
