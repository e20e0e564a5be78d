// The semantic rules Kafka event source mappings really have, beyond the schema: source kind vs auth and VPC,
// provisioned-mode-only features, poller bounds, starting timestamps, on-failure topics, filters, reserved tags.

import type { DocContext, FieldPath } from './locate.js';
import { problemAt, type ProblemInit } from './locate.js';
import type { SpecProblem } from './problems.js';
import { PATTERNS } from './schema-source.js';

/** A mapping after `defaults` were merged: each top-level key remembers the document path it came from. */
export interface MergedMapping {
  ctx: DocContext;
  index: number;
  /** The mapping item's own path, e.g. ['mappings', 2]. */
  itemPath: FieldPath;
  value: Record<string, unknown>;
  /** Top-level key -> path of its value in the document (the item's, or `defaults`'). */
  origin: Record<string, FieldPath>;
}

export const MSK_AUTH = ['IAM', 'SASL_SCRAM_512', 'MTLS', 'NONE'] as const;
export const SELF_MANAGED_AUTH = ['BASIC_AUTH', 'SASL_SCRAM_256', 'SASL_SCRAM_512', 'MTLS', 'NONE'] as const;
const NEEDS_SECRET = new Set(['SASL_SCRAM_512', 'SASL_SCRAM_256', 'BASIC_AUTH', 'MTLS']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class MappingChecker {
  readonly problems: SpecProblem[] = [];
  constructor(
    readonly m: MergedMapping,
    private readonly now: Date,
    /** The document's metadata.region, when it names one. */
    private readonly region?: string,
  ) {}

  /** Report at `key.rest…` of the mapping: located where the value came from, shown under the mapping's path. */
  at(rel: FieldPath, init: ProblemInit, mode: 'value' | 'key' | 'parent' = 'value'): void {
    const [key, ...rest] = rel;
    const origin = this.m.origin[String(key)];
    const fromDefaults = origin !== undefined && origin[0] === 'defaults';
    const where = origin ? [...origin, ...rest] : [...this.m.itemPath, ...rel];
    const shown = [...this.m.itemPath, ...rel];
    const message = fromDefaults ? `${init.message} (value from defaults)` : init.message;
    this.problems.push(problemAt(this.m.ctx, where, { ...init, message }, origin || mode === 'parent' ? mode : 'parent', shown));
  }

  run(): SpecProblem[] {
    const v = this.m.value;
    for (const field of ['function', 'source', 'topic', 'startingPosition'] as const) {
      if (v[field] === undefined) {
        this.at([field], {
          code: 'spec.required',
          keys: [field],
          message: `missing required field \`${field}\``,
          hint:
            field === 'source'
              ? 'add source: { msk: CLUSTER_ARN } or source: { bootstrapServers: [host:port, …] }'
              : field === 'startingPosition'
                ? 'AWS has no default for Kafka mappings: set TRIM_HORIZON (oldest record), LATEST (new records only) or AT_TIMESTAMP, on the mapping or in defaults'
                : `set it on the mapping or in defaults`,
        }, 'parent');
      }
    }
    const source = isObject(v.source) ? v.source : undefined;
    const kind = source && 'msk' in source && !('bootstrapServers' in source) ? 'msk' : source && 'bootstrapServers' in source && !('msk' in source) ? 'self-managed' : undefined;
    const provisioned = isObject(v.provisionedPollers);

    // provisioned mode only
    const needsProvisioned: Array<[string, boolean, string]> = [
      ['errorHandling', v.errorHandling !== undefined, 'error handling (retries, record age, bisect, partial batch responses)'],
      ['schemaRegistry', v.schemaRegistry !== undefined, 'a schema registry'],
      ['onFailure', typeof v.onFailure === 'string' && v.onFailure.startsWith('kafka://'), 'a Kafka topic as on-failure destination'],
      ['logLevel', v.logLevel !== undefined, 'system logging'],
      ['metrics', v.metrics !== undefined, 'metrics'],
    ];
    if (!provisioned) {
      for (const [field, present, what] of needsProvisioned) {
        if (present)
          this.at([field], {
            code: 'spec.needs-provisioned',
            keys: [field, 'provisionedPollers'],
            message: `\`${field}\` needs provisioned mode: ${what} is only available with provisioned pollers`,
            hint: 'add provisionedPollers: { minimum: 1, maximum: 10 } to this mapping (or to defaults)',
          }, 'key');
      }
    } else {
      const pp = v.provisionedPollers as Record<string, unknown>;
      const min = typeof pp.minimum === 'number' ? pp.minimum : 1;
      const max = typeof pp.maximum === 'number' ? pp.maximum : 200;
      if (min > max) {
        const field = typeof pp.maximum === 'number' ? 'maximum' : 'minimum';
        this.at(['provisionedPollers', field], {
          code: 'spec.pollers-min-max',
          minimum: min,
          maximum: max,
          message:
            `minimum pollers (${min}) must not exceed maximum pollers (${max}` + (typeof pp.maximum === 'number' ? ')' : ', the AWS default)'),
        });
      }
    }

    // starting position
    const ts = v.startingPositionTimestamp;
    if (typeof ts === 'string') {
      if (v.startingPosition !== 'AT_TIMESTAMP') {
        this.at(['startingPositionTimestamp'], {
          code: 'spec.timestamp-without-at-timestamp',
          message: 'a starting timestamp needs `startingPosition: AT_TIMESTAMP`',
          hint: v.startingPosition === undefined ? 'add startingPosition: AT_TIMESTAMP' : `startingPosition is ${String(v.startingPosition)}; remove the timestamp or use AT_TIMESTAMP`,
        }, 'key');
      } else if (new RegExp(PATTERNS.timestamp).test(ts)) {
        const t = Date.parse(ts);
        if (Number.isNaN(t) || !sameCalendar(ts, t)) {
          this.at(['startingPositionTimestamp'], { code: 'spec.timestamp-invalid', message: `is not a real instant (got "${ts}")` });
        } else if (t > this.now.getTime()) {
          this.at(['startingPositionTimestamp'], {
            code: 'spec.timestamp-future',
            message: `must not be in the future (got ${ts}; now is ${this.now.toISOString().replace(/\.\d+Z$/, 'Z')})`,
          });
        }
      }
    } else if (v.startingPosition === 'AT_TIMESTAMP' && ts === undefined) {
      this.at(['startingPosition'], {
        code: 'spec.at-timestamp-without-timestamp',
        keys: ['startingPositionTimestamp'],
        message: 'AT_TIMESTAMP needs `startingPositionTimestamp` (an ISO-8601 instant such as 2024-05-01T00:00:00Z)',
      });
    }

    // on-failure kafka:// destination
    if (typeof v.onFailure === 'string' && v.onFailure.startsWith('kafka://')) {
      const dest = v.onFailure.slice('kafka://'.length);
      if (!new RegExp(PATTERNS.topic).test(dest) || dest.length > 249) {
        this.at(['onFailure'], { code: 'spec.pattern', message: `kafka://TOPIC needs a valid topic name (got "${dest}")` });
      } else if (dest === v.topic) {
        this.at(['onFailure'], {
          code: 'spec.on-failure-source-topic',
          keys: ['onFailure', 'topic'],
          message: `the on-failure topic must differ from the source topic \`${dest}\` (Lambda refuses the loop)`,
          hint: `use another topic on the same cluster, e.g. kafka://${dest}.dlq`,
        });
      }
    }

    // auth vs source kind
    const auth = isObject(v.auth) ? v.auth : undefined;
    if (auth && typeof auth.type === 'string' && kind) {
      const allowed: readonly string[] = kind === 'msk' ? MSK_AUTH : SELF_MANAGED_AUTH;
      if (!allowed.includes(auth.type)) {
        this.at(['auth', 'type'], {
          code: 'spec.auth-for-source',
          allowed: [...allowed],
          message:
            `${auth.type} is not available for ${kind === 'msk' ? 'Amazon MSK' : 'self-managed Kafka'} sources; use one of ${allowed.join(', ')}` +
            (auth.type === 'SASL_SCRAM_256' ? ' (MSK supports SCRAM-SHA-512 only)' : ''),
        });
      }
      if (kind === 'msk' && auth.serverRootCaSecretArn !== undefined) {
        this.at(['auth', 'serverRootCaSecretArn'], {
          code: 'spec.root-ca-for-msk',
          message: 'a server root CA is for self-managed Kafka only; MSK brokers use certificates Lambda already trusts',
          hint: 'remove serverRootCaSecretArn',
        }, 'key');
      }
      if (kind === 'msk' && auth.type === 'SASL_SCRAM_512' && typeof auth.secretArn === 'string') {
        const name = /:secret:(.+)$/.exec(auth.secretArn)?.[1];
        if (name && !name.startsWith('AmazonMSK_')) {
          this.at(['auth', 'secretArn'], {
            code: 'spec.msk-scram-secret-name',
            message: `MSK SASL/SCRAM secrets must be named with the AmazonMSK_ prefix (got "${name}")`,
            hint: 'create the secret as AmazonMSK_<name> and associate it with the cluster',
          });
        }
      }
    }
    if (auth && typeof auth.type === 'string') {
      if (NEEDS_SECRET.has(auth.type) && auth.secretArn === undefined) {
        this.at(['auth', 'secretArn'], {
          code: 'spec.auth-secret-required',
          keys: ['secretArn'],
          message: `${auth.type} needs \`secretArn\`: the Secrets Manager secret with the ${auth.type === 'MTLS' ? 'client certificate and key' : 'username and password'}`,
        }, 'parent');
      }
      if ((auth.type === 'IAM' || auth.type === 'NONE') && auth.secretArn !== undefined) {
        this.at(['auth', 'secretArn'], {
          code: 'spec.auth-secret-unused',
          message: `${auth.type} does not use a secret; remove \`secretArn\` or choose an auth type that uses it`,
        }, 'key');
      }
    }

    // region and account of the cluster and the function
    const mskArn = kind === 'msk' && typeof source?.msk === 'string' ? parseArn(source.msk) : undefined;
    const fnArn = typeof v.function === 'string' ? parseFunctionRef(v.function) : undefined;
    if (this.region && mskArn && mskArn.region !== this.region) {
      this.at(['source', 'msk'], {
        code: 'spec.region-mismatch',
        message: `the cluster is in ${mskArn.region} but the set is in ${this.region} (metadata.region); a mapping reads only from its own region`,
      });
    }
    if (this.region && fnArn?.region && fnArn.region !== this.region) {
      this.at(['function'], {
        code: 'spec.region-mismatch',
        message: `the function is in ${fnArn.region} but the set is in ${this.region} (metadata.region)`,
      });
    }
    if (mskArn && fnArn?.account && mskArn.resource.startsWith('cluster/') && mskArn.account !== fnArn.account) {
      this.at(['source', 'msk'], {
        code: 'spec.cross-account-cluster',
        message: `the cluster is in account ${mskArn.account} and the function in ${fnArn.account}; a cluster in another account is reached through its MSK multi-VPC connection`,
        hint: 'use the VPC connection ARN (arn:aws:kafka:REGION:ACCOUNT:vpc-connection/…) as source.msk',
      });
    }

    // VPC config: self-managed only
    if (kind === 'msk' && v.vpc !== undefined) {
      this.at(['vpc'], {
        code: 'spec.vpc-for-msk',
        message: '`vpc` is for self-managed Kafka only; Lambda reaches an MSK cluster through the cluster\'s own VPC',
        hint: 'remove vpc',
      }, 'key');
    }

    // schema registry: access configs are for Confluent
    const reg = isObject(v.schemaRegistry) ? v.schemaRegistry : undefined;
    if (reg && typeof reg.uri === 'string' && reg.uri.startsWith('arn:') && reg.accessConfigs !== undefined) {
      this.at(['schemaRegistry', 'accessConfigs'], {
        code: 'spec.registry-access-for-glue',
        message: 'an AWS Glue registry is reached with the execution role; `accessConfigs` are for Confluent registries only',
        hint: 'remove accessConfigs',
      }, 'key');
    }

    // filters
    if (Array.isArray(v.filters)) {
      v.filters.forEach((f, i) => {
        if (!isObject(f)) return;
        for (const [k, pattern] of Object.entries(f)) {
          if (!isObject(pattern) && !Array.isArray(pattern)) {
            this.at(['filters', i, k], {
              code: 'spec.filter-pattern',
              message: `a filter pattern on \`${k}\` must be a mapping of fields to match rules (or a list of values)`,
              hint: `e.g. ${k}: { status: [active] }`,
            });
          }
        }
        const size = JSON.stringify(f).length;
        if (size > 4096) {
          this.at(['filters', i], { code: 'spec.filter-pattern', maximum: 4096, message: `the pattern is ${size} characters as JSON; Lambda allows at most 4096` });
        }
      });
    }

    // tags: reserved prefixes
    if (isObject(v.tags)) {
      for (const k of Object.keys(v.tags)) {
        const lower = k.toLowerCase();
        if (lower.startsWith('aws:') || lower.startsWith('esmctl:')) {
          this.at(['tags', k], {
            code: 'spec.reserved-tag',
            keys: [k],
            message: `tag keys starting with \`${lower.startsWith('aws:') ? 'aws:' : 'esmctl:'}\` are reserved${lower.startsWith('esmctl:') ? ' (esmctl sets its ownership tags itself)' : ''}`,
          }, 'key');
        }
      }
    }
    return this.problems;
  }
}

/** Date.parse rolls 2024-02-30 over to March; a real instant keeps its calendar date. */
function sameCalendar(text: string, t: number): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(text);
  if (!m) return false;
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(text);
  const shift = offset ? (offset[1] === '+' ? 1 : -1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  const local = new Date(t + shift * 60_000);
  return (
    local.getUTCFullYear() === Number(m[1]) &&
    local.getUTCMonth() + 1 === Number(m[2]) &&
    local.getUTCDate() === Number(m[3]) &&
    local.getUTCHours() === Number(m[4]) &&
    local.getUTCMinutes() === Number(m[5])
  );
}

function parseArn(arn: string): { region: string; account: string; resource: string } | undefined {
  const m = /^arn:[^:]+:[^:]+:([^:]*):(\d{12}):(.+)$/.exec(arn);
  return m ? { region: m[1], account: m[2], resource: m[3] } : undefined;
}

/** Region and account of a function given as a full ARN or a partial ARN (ACCOUNT:function:NAME); none for names. */
function parseFunctionRef(ref: string): { region?: string; account?: string } | undefined {
  const full = /^arn:[^:]+:lambda:([^:]+):(\d{12}):function:/.exec(ref);
  if (full) return { region: full[1], account: full[2] };
  const partial = /^(\d{12}):function:/.exec(ref);
  return partial ? { account: partial[1] } : undefined;
}
