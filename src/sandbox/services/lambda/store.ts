// Lambda state of the sandbox: functions (versions, aliases, the `failing` flag), Kafka event source mappings
// kept in API field names with their state machine (settled lazily against the clock), and resource tags.

import { createHash } from 'node:crypto';
import type { SeedFunction } from '../../seed.js';
import { functionNotFound, invalidParameter, notFound } from './errors.js';

export interface StoredFunction {
  name: string;
  /** Unqualified ARN. */
  arn: string;
  roleArn: string;
  runtime: string;
  handler: string;
  memorySize: number;
  timeout: number;
  versions: string[];
  aliases: Map<string, string>;
  failing: boolean;
  tags: Record<string, string>;
  lastModified: string;
  codeSha256: string;
}

export type MappingState = 'Creating' | 'Enabling' | 'Enabled' | 'Disabling' | 'Disabled' | 'Updating' | 'Deleting';
export const TRANSITIONAL: ReadonlySet<string> = new Set(['Creating', 'Enabling', 'Disabling', 'Updating', 'Deleting']);

export interface StoredMapping {
  uuid: string;
  /** Configuration in API field names (FunctionArn, EventSourceArn | SelfManagedEventSource, Topics, …). */
  api: Record<string, unknown>;
  enabled: boolean;
  state: MappingState;
  /** A transition in flight: at `at` (epoch ms) the state becomes `to` (or the mapping disappears). */
  pending?: { at: number; to: MappingState | 'gone' };
  stateTransitionReason: string;
  lastProcessingResult: string;
  lastModified: number; // epoch ms
  createdAt: number;
  tags: Record<string, string>;
}

/** A function reference resolved: the function, its qualifier (if any) and the ARN as a mapping records it. */
export interface ResolvedFunction {
  fn: StoredFunction;
  qualifier?: string;
  arn: string;
}

const FN_REF = /^(?:(?:arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):)?(\d{12}):function:)?([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;

export class LambdaStore {
  functions = new Map<string, StoredFunction>();
  mappings = new Map<string, StoredMapping>();

  constructor(
    readonly region: string,
    readonly accountId: string,
    private readonly clock: () => number,
    /** Delay of state transitions, read at each transition. */
    readonly stateDelay: () => number,
  ) {}

  addFunction(f: SeedFunction, roleArn: string): StoredFunction {
    const arn = `arn:aws:lambda:${this.region}:${this.accountId}:function:${f.name}`;
    const fn: StoredFunction = {
      name: f.name,
      arn,
      roleArn,
      runtime: f.runtime ?? 'nodejs20.x',
      handler: f.handler ?? 'index.handler',
      memorySize: f.memorySize ?? 128,
      timeout: f.timeout ?? 3,
      versions: (f.versions ?? []).map(String),
      aliases: new Map(Object.entries(f.aliases ?? {}).map(([k, v]) => [k, String(v)])),
      failing: f.failing === true,
      tags: f.tags ?? {},
      lastModified: new Date(this.clock()).toISOString().replace('Z', '+0000'),
      codeSha256: createHash('sha256').update(f.name).digest('base64'),
    };
    for (const v of fn.aliases.values()) if (v !== '$LATEST' && !fn.versions.includes(v)) fn.versions.push(v);
    fn.versions.sort((a, b) => Number(a) - Number(b));
    this.functions.set(f.name, fn);
    return fn;
  }

  /**
   * Resolve a FunctionName as Lambda accepts it: name, name:qualifier, partial ARN (account:function:name) or
   * full ARN, each with an optional version or alias qualifier. Throws ResourceNotFoundException.
   */
  resolveFunction(ref: string, extraQualifier?: string): ResolvedFunction {
    const m = FN_REF.exec(ref);
    if (!m) throw invalidParameter(`1 validation error detected: Value '${ref}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`);
    const [, region, account, name, q] = m;
    if (extraQualifier !== undefined && q !== undefined && q !== extraQualifier) throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
    const qualifier = q ?? extraQualifier;
    const unqualified = `arn:aws:lambda:${region ?? this.region}:${account ?? this.accountId}:function:${name}`;
    const fn = this.functions.get(name);
    const wanted = qualifier ? `${unqualified}:${qualifier}` : unqualified;
    if (!fn || (region && region !== this.region) || (account && account !== this.accountId)) throw functionNotFound(wanted);
    if (qualifier && qualifier !== '$LATEST' && !fn.versions.includes(qualifier) && !fn.aliases.has(qualifier)) throw functionNotFound(wanted);
    return { fn, qualifier, arn: wanted };
  }

  /** The version a qualifier points to. */
  versionOf(r: ResolvedFunction): string {
    if (!r.qualifier) return '$LATEST';
    return r.fn.aliases.get(r.qualifier) ?? r.qualifier;
  }

  /** Mappings with a transition in flight (so settling does not scan every mapping). */
  private inFlight = new Set<StoredMapping>();

  /** Run due transitions: Creating/Updating/Enabling/Disabling settle; Deleting mappings disappear. */
  settle(): void {
    if (this.inFlight.size === 0) return;
    const now = this.clock();
    for (const m of [...this.inFlight]) {
      if (!m.pending || this.mappings.get(m.uuid) !== m) {
        this.inFlight.delete(m);
        continue;
      }
      if (m.pending.at > now) continue;
      this.inFlight.delete(m);
      if (m.pending.to === 'gone') {
        this.mappings.delete(m.uuid);
        continue;
      }
      m.state = m.pending.to;
      m.lastModified = m.pending.at;
      m.pending = undefined;
    }
  }

  /** Start a transition: `now` the mapping is in `through`, after the state delay it is in `to`. */
  transition(m: StoredMapping, through: MappingState, to: MappingState | 'gone'): void {
    const now = this.clock();
    m.state = through;
    m.lastModified = now;
    m.pending = { at: now + this.stateDelay(), to };
    this.inFlight.add(m);
  }

  mapping(uuid: string): StoredMapping {
    this.settle();
    const m = this.mappings.get(uuid);
    if (!m) throw notFound();
    return m;
  }

  mappingArn(uuid: string): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:event-source-mapping:${uuid}`;
  }

  /** Tags of a taggable resource (function or event source mapping) by ARN. */
  tagsOf(arn: string): Record<string, string> {
    this.settle();
    const esm = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):event-source-mapping:([0-9a-f-]{36})$/.exec(arn);
    if (esm) {
      const m = this.mappings.get(esm[3]);
      if (!m || esm[1] !== this.region || esm[2] !== this.accountId) throw notFound(`Event source mapping not found: ${arn}`);
      return m.tags;
    }
    const fn = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)$/.exec(arn);
    if (fn) {
      const f = this.functions.get(fn[3]);
      if (!f || fn[1] !== this.region || fn[2] !== this.accountId) throw functionNotFound(arn);
      return f.tags;
    }
    throw invalidParameter(`1 validation error detected: Value '${arn}' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+|event-source-mapping:[0-9a-f-]{36})`);
  }
}
