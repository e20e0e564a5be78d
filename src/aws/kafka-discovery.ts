// The AWS reads the Kafka tools make (KafkaAwsPort): GetSecretValue, GetEventSourceMapping,
// ListEventSourceMappings and MSK GetBootstrapBrokers. Read-only; SDK clients are imported lazily.

import { EsmctlError, userError } from '../core/errors.js';
import type { KafkaAwsPort, KafkaMappingView, MskBootstrapBrokers } from '../core/ports.js';
import type { SourceAccessConfig } from '../core/types.js';

export interface KafkaAwsOptions {
  region?: string;
  profile?: string;
}

/** Region from the option, AWS_REGION / AWS_DEFAULT_REGION; else a clear user error. */
function resolveRegion(opts: KafkaAwsOptions): string {
  const r = opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!r) throw userError('aws.no-region', 'No AWS region: pass --region or set AWS_REGION.', 'e.g. --region us-east-1');
  return r;
}

function awsError(e: unknown, what: string): EsmctlError {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = err.name ?? 'Error';
  const status = err.$metadata?.httpStatusCode;
  const hint =
    code === 'AccessDeniedException' || code === 'AccessDenied'
      ? 'check that your credentials allow this read-only call'
      : code === 'CredentialsProviderError'
        ? 'configure AWS credentials (environment, profile or SSO)'
        : undefined;
  return new EsmctlError('aws.kafka-discovery', `${what}: ${code}: ${err.message ?? String(e)}`, {
    source: code === 'CredentialsProviderError' ? 'user' : 'aws',
    awsCode: code,
    httpStatus: status,
    hint,
    cause: e,
  });
}

type ApiMapping = {
  UUID?: string;
  FunctionArn?: string;
  EventSourceArn?: string;
  Topics?: string[];
  SelfManagedEventSource?: { Endpoints?: Record<string, string[]> };
  SelfManagedKafkaEventSourceConfig?: { ConsumerGroupId?: string };
  AmazonManagedKafkaEventSourceConfig?: { ConsumerGroupId?: string };
  StartingPosition?: string;
  State?: string;
  StateTransitionReason?: string;
  LastProcessingResult?: string;
  SourceAccessConfigurations?: Array<{ Type?: string; URI?: string }>;
};

function isKafka(m: ApiMapping): boolean {
  return Boolean(m.SelfManagedEventSource?.Endpoints?.KAFKA_BOOTSTRAP_SERVERS) || /^arn:aws[\w-]*:kafka:/.test(m.EventSourceArn ?? '');
}

export function toKafkaMappingView(m: ApiMapping): KafkaMappingView {
  const servers = m.SelfManagedEventSource?.Endpoints?.KAFKA_BOOTSTRAP_SERVERS;
  const group = m.AmazonManagedKafkaEventSourceConfig?.ConsumerGroupId ?? m.SelfManagedKafkaEventSourceConfig?.ConsumerGroupId;
  return {
    uuid: m.UUID ?? '',
    functionArn: m.FunctionArn ?? '',
    ...(m.EventSourceArn ? { eventSourceArn: m.EventSourceArn } : {}),
    ...(servers ? { bootstrapServers: servers } : {}),
    topic: m.Topics?.[0] ?? '',
    ...(group ? { consumerGroupId: group } : {}),
    ...(m.StartingPosition ? { startingPosition: m.StartingPosition } : {}),
    state: m.State ?? 'Unknown',
    ...(m.StateTransitionReason ? { stateTransitionReason: m.StateTransitionReason } : {}),
    ...(m.LastProcessingResult ? { lastProcessingResult: m.LastProcessingResult } : {}),
    sourceAccessConfigurations: (m.SourceAccessConfigurations ?? [])
      .filter((c) => c.Type && c.URI)
      .map((c) => ({ type: c.Type as SourceAccessConfig['type'], uri: c.URI! })),
  };
}

export async function createKafkaAwsPort(opts: KafkaAwsOptions = {}): Promise<KafkaAwsPort> {
  const region = resolveRegion(opts);
  const base = { region, ...(opts.profile ? { profile: opts.profile } : {}) };
  let lambda: import('@aws-sdk/client-lambda').LambdaClient | undefined;
  let secrets: import('@aws-sdk/client-secrets-manager').SecretsManagerClient | undefined;
  let kafka: import('@aws-sdk/client-kafka').KafkaClient | undefined;
  const lambdaMod = () => import('@aws-sdk/client-lambda');
  const getLambda = async () => (lambda ??= new (await lambdaMod()).LambdaClient(base));

  return {
    region,
    async getSecretString(arn) {
      const mod = await import('@aws-sdk/client-secrets-manager');
      secrets ??= new mod.SecretsManagerClient(base);
      try {
        const out = await secrets.send(new mod.GetSecretValueCommand({ SecretId: arn }));
        if (out.SecretString !== undefined) return out.SecretString;
        if (out.SecretBinary) return Buffer.from(out.SecretBinary).toString('utf8');
        throw userError('kafka.secret-empty', `Secret ${arn} has no SecretString.`);
      } catch (e) {
        if (e instanceof EsmctlError) throw e;
        if ((e as { name?: string }).name === 'ResourceNotFoundException') {
          throw userError('kafka.secret-not-found', `Secret ${arn} was not found in ${region}.`, 'check the ARN and the region');
        }
        throw awsError(e, `GetSecretValue ${arn}`);
      }
    },
    async getKafkaMapping(uuid) {
      const mod = await lambdaMod();
      const client = await getLambda();
      try {
        const out = await client.send(new mod.GetEventSourceMappingCommand({ UUID: uuid }));
        return toKafkaMappingView(out as ApiMapping);
      } catch (e) {
        if ((e as { name?: string }).name === 'ResourceNotFoundException') return null;
        throw awsError(e, `GetEventSourceMapping ${uuid}`);
      }
    },
    async findKafkaMappings(functionName, eventSourceArn) {
      const mod = await lambdaMod();
      const client = await getLambda();
      const found: KafkaMappingView[] = [];
      let marker: string | undefined;
      try {
        do {
          const out = await client.send(
            new mod.ListEventSourceMappingsCommand({
              FunctionName: functionName,
              ...(eventSourceArn ? { EventSourceArn: eventSourceArn } : {}),
              ...(marker ? { Marker: marker } : {}),
            }),
          );
          for (const m of (out.EventSourceMappings ?? []) as ApiMapping[]) if (isKafka(m)) found.push(toKafkaMappingView(m));
          marker = out.NextMarker;
        } while (marker);
      } catch (e) {
        throw awsError(e, `ListEventSourceMappings ${functionName}`);
      }
      return found;
    },
    async getBootstrapBrokers(clusterArn): Promise<MskBootstrapBrokers> {
      const mod = await import('@aws-sdk/client-kafka');
      kafka ??= new mod.KafkaClient(base);
      try {
        const out = await kafka.send(new mod.GetBootstrapBrokersCommand({ ClusterArn: clusterArn }));
        return {
          ...(out.BootstrapBrokerString ? { plaintext: out.BootstrapBrokerString } : {}),
          ...(out.BootstrapBrokerStringTls ? { tls: out.BootstrapBrokerStringTls } : {}),
          ...(out.BootstrapBrokerStringSaslScram ? { saslScram: out.BootstrapBrokerStringSaslScram } : {}),
          ...(out.BootstrapBrokerStringSaslIam ? { saslIam: out.BootstrapBrokerStringSaslIam } : {}),
        };
      } catch (e) {
        if ((e as { name?: string }).name === 'NotFoundException') {
          throw userError('kafka.cluster-not-found', `MSK cluster ${clusterArn} was not found.`, 'check the cluster ARN and region');
        }
        throw awsError(e, `GetBootstrapBrokers ${clusterArn}`);
      }
    },
  };
}
