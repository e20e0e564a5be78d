// The sandbox seed: the YAML file that declares functions, roles, policies, MSK clusters, secrets and
// pre-existing mappings, its types, and a loader that reports mistakes by path (e.g. `functions[2].role`).

import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode } from 'yaml';

export type ClusterAuthMode = 'unauthenticated' | 'tls' | 'mtls' | 'scram' | 'iam';

export interface SeedFunction {
  name: string;
  /** Role name or ARN (a role that the seed does not declare is created empty). */
  role: string;
  runtime?: string;
  handler?: string;
  memorySize?: number;
  timeout?: number;
  /** Published versions, e.g. ['1', '2']. */
  versions?: string[];
  /** Aliases: name -> version ('$LATEST' or a published version). */
  aliases?: Record<string, string>;
  /** The emulated poller reports a function error for every batch. */
  failing?: boolean;
  tags?: Record<string, string>;
}

export interface SeedRole {
  name: string;
  path?: string;
  assumeRolePolicy?: Record<string, unknown>;
  /** Inline policies: name -> JSON document (object or JSON text). */
  inlinePolicies?: Record<string, Record<string, unknown> | string>;
  /** Managed policy ARNs (AWS managed or declared under `policies`). */
  attachedPolicies?: string[];
}

export interface SeedPolicy {
  name: string;
  path?: string;
  document: Record<string, unknown>;
}

export interface SeedCluster {
  name: string;
  /** The last segment of the cluster ARN, e.g. `7a1b2c3d-1111-2222-3333-444455556666-1`. */
  uuid?: string;
  type?: 'PROVISIONED' | 'SERVERLESS';
  auth: ClusterAuthMode[];
  /** `sandbox`: backed by the sandbox Kafka broker (GetBootstrapBrokers returns its listeners). */
  broker?: 'sandbox';
  state?: string;
  kafkaVersion?: string;
  brokers?: number;
  subnets?: string[];
  securityGroups?: string[];
  tags?: Record<string, string>;
}

export interface SeedSecret {
  name: string;
  /** Full ARN, to pin the random suffix examples use; derived from the name otherwise. */
  arn?: string;
  /** SecretString: text, or an object stored as JSON text. Never logged. */
  value?: string | Record<string, unknown>;
  description?: string;
  kmsKeyId?: string;
  tags?: Record<string, string>;
}

export interface SandboxSeed {
  region?: string;
  accountId?: string;
  functions?: SeedFunction[];
  roles?: SeedRole[];
  policies?: SeedPolicy[];
  clusters?: SeedCluster[];
  secrets?: SeedSecret[];
  /** CreateEventSourceMapping requests (API field names), optionally with UUID, Tags and State ('Enabled'/'Disabled'). */
  mappings?: Array<Record<string, unknown>>;
}

export class SeedError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid sandbox seed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const AUTH_MODES: ClusterAuthMode[] = ['unauthenticated', 'tls', 'mtls', 'scram', 'iam'];
const TOP_KEYS = ['region', 'accountId', 'functions', 'roles', 'policies', 'clusters', 'secrets', 'mappings'];

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Check a seed's structure; returns problems as `path: message` lines. */
export function checkSeed(seed: unknown): string[] {
  const p: string[] = [];
  if (!isObj(seed)) return ['(top level): must be a mapping with keys ' + TOP_KEYS.join(', ')];
  for (const k of Object.keys(seed)) if (!TOP_KEYS.includes(k)) p.push(`${k}: unknown key (allowed: ${TOP_KEYS.join(', ')})`);
  if (typeof seed.accountId === 'number') p.push(`accountId: quote it ("${String(seed.accountId).padStart(12, '0')}") so YAML keeps it as 12 digits of text`);
  else if (seed.accountId !== undefined && !/^\d{12}$/.test(String(seed.accountId))) p.push('accountId: must be 12 digits');
  if (seed.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(String(seed.region))) p.push('region: not a region name such as us-east-1');
  const list = (key: string, each: (item: Record<string, unknown>, at: string) => void) => {
    const v = seed[key];
    if (v === undefined || v === null) return;
    if (!Array.isArray(v)) return void p.push(`${key}: must be a list`);
    v.forEach((item, i) => (isObj(item) ? each(item, `${key}[${i}]`) : p.push(`${key}[${i}]: must be a mapping`)));
  };
  const str = (o: Record<string, unknown>, k: string, at: string, required = true) => {
    if (o[k] === undefined) {
      if (required) p.push(`${at}.${k}: required`);
    } else if (typeof o[k] !== 'string' || o[k] === '') p.push(`${at}.${k}: must be a non-empty string`);
  };
  list('functions', (f, at) => {
    str(f, 'name', at);
    str(f, 'role', at);
    if (typeof f.name === 'string' && !/^[a-zA-Z0-9-_]{1,64}$/.test(f.name)) p.push(`${at}.name: 1-64 letters, digits, - or _`);
    if (f.versions !== undefined && (!Array.isArray(f.versions) || f.versions.some((v) => !/^\d+$/.test(String(v))))) p.push(`${at}.versions: a list of version numbers`);
    if (f.aliases !== undefined && !isObj(f.aliases)) p.push(`${at}.aliases: a mapping of alias name to version`);
    if (f.failing !== undefined && typeof f.failing !== 'boolean') p.push(`${at}.failing: true or false`);
  });
  list('roles', (r, at) => {
    str(r, 'name', at);
    if (r.inlinePolicies !== undefined && !isObj(r.inlinePolicies)) p.push(`${at}.inlinePolicies: a mapping of policy name to document`);
    if (r.attachedPolicies !== undefined && (!Array.isArray(r.attachedPolicies) || r.attachedPolicies.some((a) => typeof a !== 'string' || !a.startsWith('arn:')))) p.push(`${at}.attachedPolicies: a list of policy ARNs`);
  });
  list('policies', (r, at) => {
    str(r, 'name', at);
    if (!isObj(r.document)) p.push(`${at}.document: required, a policy document`);
  });
  list('clusters', (c, at) => {
    str(c, 'name', at);
    str(c, 'uuid', at, false);
    if (!Array.isArray(c.auth) || c.auth.length === 0) p.push(`${at}.auth: required, a list of ${AUTH_MODES.join(' | ')}`);
    else c.auth.forEach((a, i) => AUTH_MODES.includes(a as ClusterAuthMode) || p.push(`${at}.auth[${i}]: '${String(a)}' is not one of ${AUTH_MODES.join(', ')}`));
    if (c.broker !== undefined && c.broker !== 'sandbox') p.push(`${at}.broker: only 'sandbox' is allowed`);
    if (c.type !== undefined && c.type !== 'PROVISIONED' && c.type !== 'SERVERLESS') p.push(`${at}.type: PROVISIONED or SERVERLESS`);
  });
  list('secrets', (s, at) => {
    str(s, 'name', at);
    str(s, 'arn', at, false);
    if (s.value !== undefined && typeof s.value !== 'string' && !isObj(s.value)) p.push(`${at}.value: text or a mapping`);
    if (typeof s.arn === 'string' && typeof s.name === 'string' && !new RegExp(`:secret:${s.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[A-Za-z0-9]{6}$`).test(s.arn)) {
      p.push(`${at}.arn: must end with :secret:${s.name}-XXXXXX`);
    }
  });
  list('mappings', (m, at) => {
    if (typeof m.FunctionName !== 'string') p.push(`${at}.FunctionName: required (API field names, as in CreateEventSourceMapping)`);
  });
  return p;
}

/** `functions[2].role` -> ['functions', 2, 'role']. */
function pathOf(problem: string): Array<string | number> {
  const head = /^([A-Za-z_][\w]*(?:\[\d+\]|\.[A-Za-z_][\w]*)*)(?=: )/.exec(problem)?.[1];
  if (!head) return [];
  return [...head.matchAll(/([A-Za-z_]\w*)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

/** Prefix each `path: message` problem with `file:line:col` of that path in the seed text (or its nearest parent). */
export function locateProblems(text: string, file: string, problems: string[]): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return problems.map((problem) => {
    const path = pathOf(problem);
    for (let n = path.length; n >= 1; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return `${file}:${line}:${col}: ${problem}`;
      }
    }
    return `${file}: ${problem}`;
  });
}

/** Parse seed YAML text. Throws SeedError listing every problem, each with its line and column. */
export function parseSeed(text: string, file = '(seed)'): SandboxSeed {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const { line, col } = lineCounter.linePos(e.pos[0]);
    throw new SeedError(file, [`${file}:${line}:${col}: not valid YAML: ${e.message.split('\n')[0]}`]);
  }
  const value = (doc.toJS() as unknown) ?? {};
  const problems = checkSeed(value);
  if (problems.length > 0) throw new SeedError(file, locateProblems(text, file, problems));
  return value as SandboxSeed;
}

/** Read a seed file's text (for locating problems found later, e.g. in seeded mappings). */
export function readSeedText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new SeedError(path, [`cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
}

export function loadSeedFile(path: string): SandboxSeed {
  return parseSeed(readSeedText(path), path);
}
