// Secrets Manager state: secrets by ARN, found by name, full ARN or partial ARN (without the random suffix).
// SecretString values stay here; they are returned only by GetSecretValue and never logged.

import { randomUUID } from 'node:crypto';
import type { SeedSecret } from '../../seed.js';
import { exists, notFound } from './errors.js';

export interface StoredSecret {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  secretString?: string;
  versionId: string;
  createdDate: number; // epoch ms
  lastChangedDate: number;
  tags: Array<{ Key: string; Value: string }>;
}

const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class SecretsStore {
  secrets = new Map<string, StoredSecret>(); // key: ARN

  constructor(
    readonly region: string,
    readonly accountId: string,
    private readonly clock: () => number,
  ) {}

  private suffix(): string {
    let s = '';
    for (let i = 0; i < 6; i++) s += SUFFIX_CHARS[Math.floor(Math.random() * SUFFIX_CHARS.length)];
    return s;
  }

  add(seed: SeedSecret): StoredSecret {
    return this.create(seed.name, typeof seed.value === 'object' ? JSON.stringify(seed.value) : seed.value, {
      arn: seed.arn,
      description: seed.description,
      kmsKeyId: seed.kmsKeyId,
      tags: Object.entries(seed.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    });
  }

  create(name: string, secretString: string | undefined, o: { arn?: string; description?: string; kmsKeyId?: string; tags?: Array<{ Key: string; Value: string }>; versionId?: string } = {}): StoredSecret {
    for (const s of this.secrets.values()) if (s.name === name) throw exists(name);
    const now = this.clock();
    const secret: StoredSecret = {
      arn: o.arn ?? `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${name}-${this.suffix()}`,
      name,
      description: o.description,
      kmsKeyId: o.kmsKeyId,
      secretString,
      versionId: o.versionId ?? randomUUID(),
      createdDate: now,
      lastChangedDate: now,
      tags: o.tags ?? [],
    };
    this.secrets.set(secret.arn, secret);
    return secret;
  }

  /** By name, full ARN, or partial ARN (the ARN without its `-XXXXXX` suffix). */
  find(id: string): StoredSecret | undefined {
    const exact = this.secrets.get(id);
    if (exact) return exact;
    for (const s of this.secrets.values()) {
      if (s.name === id) return s;
      if (id.startsWith('arn:') && s.arn.slice(0, s.arn.length - 7) === id) return s;
    }
    return undefined;
  }

  get(id: string): StoredSecret {
    const s = this.find(id);
    if (!s) throw notFound();
    return s;
  }
}
