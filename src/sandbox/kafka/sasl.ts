// Server-side SASL for the sandbox broker: PLAIN, SCRAM-SHA-256/512 (RFC 5802/7677, real proof verification),
// and MSK IAM (AWS_MSK_IAM JSON payload, or OAUTHBEARER carrying a presigned-URL token), SigV4 recomputed.

import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const SCRAM_ITERATIONS = 4096;

export interface SaslUser {
  username: string;
  password: string;
  /** Mechanisms this user may use; all username/password mechanisms when omitted. */
  mechanisms?: string[];
}

/** Looks a user up at authentication time (users may come from secrets created after start). */
export type UserLookup = (username: string) => SaslUser | undefined;

/** IAM access keys the broker accepts, by access key id -> secret key (the sandbox accepts test/test). */
export type IamKeyLookup = (accessKeyId: string) => string | undefined;

export interface SaslStep {
  /** Bytes to return to the client (SaslAuthenticate auth_bytes). */
  response: Buffer;
  /** True when authentication finished successfully. */
  done: boolean;
  /** Set when authentication failed: the message SaslAuthenticate carries with error 58. */
  error?: string;
  principal?: string;
}

export interface SaslSession {
  step(input: Buffer): SaslStep;
}

const failed = (mechanism: string): SaslStep => ({
  response: Buffer.alloc(0),
  done: false,
  error: `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`,
});

function allows(user: SaslUser | undefined, mechanism: string): user is SaslUser {
  return user !== undefined && (user.mechanisms === undefined || user.mechanisms.includes(mechanism));
}

export function plainSession(users: UserLookup): SaslSession {
  return {
    step(input) {
      const parts = input.toString('utf8').split('\0');
      if (parts.length !== 3) return { ...failed('PLAIN'), error: 'Invalid SASL/PLAIN response: expected 3 tokens' };
      const [authzid, username, password] = parts;
      const user = users(username);
      if (!allows(user, 'PLAIN') || !safeEqual(Buffer.from(user.password), Buffer.from(password))) return failed('PLAIN');
      if (authzid !== '' && authzid !== username) return { ...failed('PLAIN'), error: 'Authentication failed: Client requested an authorization id that is different from username' };
      return { response: Buffer.alloc(0), done: true, principal: username };
    },
  };
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Salted SCRAM credentials, cached per (user, password, mechanism) so PBKDF2 runs once. */
const scramCache = new Map<string, { salt: Buffer; storedKey: Buffer; serverKey: Buffer }>();

function scramCredentials(user: SaslUser, hash: 'sha256' | 'sha512') {
  const cacheKey = `${hash}\0${user.username}\0${user.password}`;
  let c = scramCache.get(cacheKey);
  if (!c) {
    const salt = randomBytes(16);
    const salted = pbkdf2Sync(user.password.normalize('NFKC'), salt, SCRAM_ITERATIONS, hash === 'sha256' ? 32 : 64, hash);
    const clientKey = createHmac(hash, salted).update('Client Key').digest();
    c = { salt, storedKey: createHash(hash).update(clientKey).digest(), serverKey: createHmac(hash, salted).update('Server Key').digest() };
    scramCache.set(cacheKey, c);
  }
  return c;
}

function parseAttrs(s: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) m.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return m;
}

const unescapeSaslName = (s: string) => s.replace(/=2C/g, ',').replace(/=3D/g, '=');

export function scramSession(mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512', users: UserLookup): SaslSession {
  const hash = mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
  let stage: 'first' | 'final' | 'done' = 'first';
  let clientFirstBare = '';
  let serverFirst = '';
  let nonce = '';
  let user: SaslUser | undefined;
  return {
    step(input) {
      const text = input.toString('utf8');
      if (stage === 'first') {
        // client-first: gs2-header "n,," (no channel binding) then "n=user,r=nonce"
        const m = /^([ny]),(a=[^,]*)?,(.*)$/.exec(text);
        if (!m) return { ...failed(mechanism), error: `Invalid SCRAM client first message` };
        clientFirstBare = m[3];
        const attrs = parseAttrs(clientFirstBare);
        const username = unescapeSaslName(attrs.get('n') ?? '');
        const clientNonce = attrs.get('r') ?? '';
        if (!clientNonce) return { ...failed(mechanism), error: 'Invalid SCRAM client first message: no nonce' };
        const found = users(username);
        user = allows(found, mechanism) ? found : undefined;
        // an unknown user still gets a salt and nonce (as Kafka does) and fails at the proof
        const salt = user ? scramCredentials(user, hash).salt : randomBytes(16);
        nonce = clientNonce + randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, 'x');
        serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${SCRAM_ITERATIONS}`;
        stage = 'final';
        return { response: Buffer.from(serverFirst), done: false };
      }
      if (stage === 'final') {
        stage = 'done';
        const proofAt = text.lastIndexOf(',p=');
        if (proofAt < 0) return failed(mechanism);
        const withoutProof = text.slice(0, proofAt);
        const attrs = parseAttrs(withoutProof);
        // Kafka's ScramSaslServer checks that the final nonce ENDS WITH the server-first nonce (librdkafka 2.0.x
        // repeats the client nonce in front of it), so the sandbox does the same
        if (!(attrs.get('r') ?? '').endsWith(nonce)) return { ...failed(mechanism), error: 'Invalid SCRAM client final message: nonce mismatch' };
        if (!user) return failed(mechanism);
        const creds = scramCredentials(user, hash);
        const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
        const clientSignature = createHmac(hash, creds.storedKey).update(authMessage).digest();
        const proof = Buffer.from(text.slice(proofAt + 3), 'base64');
        if (proof.length !== clientSignature.length) return failed(mechanism);
        const clientKey = Buffer.alloc(proof.length);
        for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i] ^ clientSignature[i];
        if (!safeEqual(createHash(hash).update(clientKey).digest(), creds.storedKey)) return failed(mechanism);
        const serverSignature = createHmac(hash, creds.serverKey).update(authMessage).digest('base64');
        return { response: Buffer.from(`v=${serverSignature}`), done: true, principal: user.username };
      }
      return { ...failed(mechanism), error: 'Unexpected SCRAM message after authentication finished' };
    },
  };
}

// ---- MSK IAM ----

const IAM_SERVICE = 'kafka-cluster';
const IAM_ACTION = 'kafka-cluster:Connect';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sigV4(secret: string, date: string, region: string, stringToSign: string): string {
  const k = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), IAM_SERVICE), 'aws4_request');
  return createHmac('sha256', k).update(stringToSign, 'utf8').digest('hex');
}

const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Checks the SigV4 fields shared by both IAM token shapes; returns an error text or the verified access key. */
function verifyIamFields(
  f: { action?: string; algorithm?: string; credential?: string; date?: string; expires?: string; signedHeaders?: string; signature?: string },
  keys: IamKeyLookup,
  now: number,
  recompute: (secret: string, scopeDate: string, region: string) => string[],
): { ok: true; principal: string } | { ok: false; error: string } {
  const bad = (why: string) => ({ ok: false as const, error: `IAM authentication failed: ${why}` });
  if (f.action !== IAM_ACTION) return bad(`action must be ${IAM_ACTION}`);
  if (f.algorithm !== 'AWS4-HMAC-SHA256') return bad('algorithm must be AWS4-HMAC-SHA256');
  const cred = /^([^/]+)\/(\d{8})\/([a-z0-9-]+)\/([^/]+)\/aws4_request$/.exec(f.credential ?? '');
  if (!cred) return bad('malformed x-amz-credential');
  const [, accessKeyId, scopeDate, region, service] = cred;
  if (service !== IAM_SERVICE) return bad(`credential scope service must be ${IAM_SERVICE}`);
  const dm = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(f.date ?? '');
  if (!dm) return bad('malformed x-amz-date');
  if (!f.date!.startsWith(scopeDate)) return bad('x-amz-date does not match the credential scope date');
  const signedAt = Date.UTC(+dm[1], +dm[2] - 1, +dm[3], +dm[4], +dm[5], +dm[6]);
  const expires = Number(f.expires);
  if (!Number.isInteger(expires) || expires <= 0 || expires > 604800) return bad('malformed x-amz-expires');
  if (now > signedAt + expires * 1000 || signedAt > now + 5 * 60_000) return bad('token expired or not yet valid');
  if (f.signedHeaders !== 'host') return bad('signed headers must be host');
  if (!/^[0-9a-f]{64}$/.test(f.signature ?? '')) return bad('malformed x-amz-signature');
  const secret = keys(accessKeyId);
  if (secret === undefined) return bad(`unknown access key ${accessKeyId}`);
  if (!recompute(secret, scopeDate, region).includes(f.signature!)) return bad('signature does not match');
  return { ok: true, principal: `IAM:${accessKeyId}` };
}

const iamResponse = () => Buffer.from(JSON.stringify({ version: '2020_10_22', 'request-id': randomBytes(16).toString('hex') }));

/** AWS_MSK_IAM: one JSON message signed as the aws-msk-iam-auth library signs it (GET / with host header). */
export function mskIamSession(keys: IamKeyLookup, now: () => number = Date.now): SaslSession {
  return {
    step(input) {
      let p: Record<string, string>;
      try {
        p = JSON.parse(input.toString('utf8'));
      } catch {
        return { response: Buffer.alloc(0), done: false, error: 'IAM authentication failed: payload is not JSON' };
      }
      if (p.version !== '2020_10_22') return { response: Buffer.alloc(0), done: false, error: 'IAM authentication failed: unsupported version' };
      if (!p.host) return { response: Buffer.alloc(0), done: false, error: 'IAM authentication failed: missing host' };
      const v = verifyIamFields(
        {
          action: p.action,
          algorithm: p['x-amz-algorithm'],
          credential: p['x-amz-credential'],
          date: p['x-amz-date'],
          expires: p['x-amz-expires'],
          signedHeaders: p['x-amz-signedheaders'],
          signature: p['x-amz-signature'],
        },
        keys,
        now(),
        (secret, scopeDate, region) => {
          const q: Array<[string, string]> = [
            ['Action', p.action],
            ['X-Amz-Algorithm', p['x-amz-algorithm']],
            ['X-Amz-Credential', p['x-amz-credential']],
            ['X-Amz-Date', p['x-amz-date']],
            ['X-Amz-Expires', p['x-amz-expires']],
          ];
          if (p['x-amz-security-token'] !== undefined) q.push(['X-Amz-Security-Token', p['x-amz-security-token']]);
          q.push(['X-Amz-SignedHeaders', 'host']);
          const query = q.map(([k, val]) => `${encodeURIComponent(k)}=${encodeURIComponent(val)}`).join('&');
          const canonical = `GET\n/\n${query}\nhost:${p.host}\n\nhost\n${EMPTY_SHA256}`;
          const sts = `AWS4-HMAC-SHA256\n${p['x-amz-date']}\n${scopeDate}/${region}/${IAM_SERVICE}/aws4_request\n${createHash('sha256').update(canonical).digest('hex')}`;
          return [sigV4(secret, scopeDate, region, sts)];
        },
      );
      if (!v.ok) return { response: Buffer.alloc(0), done: false, error: v.error };
      return { response: iamResponse(), done: true, principal: v.principal };
    },
  };
}

/** OAUTHBEARER with an MSK IAM token: base64url of a presigned https://kafka.<region>.amazonaws.com/ URL. */
export function oauthBearerIamSession(keys: IamKeyLookup, now: () => number = Date.now): SaslSession {
  let stage = 0;
  return {
    step(input) {
      if (stage++ > 0) return { response: Buffer.alloc(0), done: false, error: 'OAUTHBEARER authentication failed' };
      const text = input.toString('utf8');
      // "n,a=authzid,\x01auth=Bearer <token>\x01key=value\x01\x01"
      const m = /^n,(?:a=[^,]*)?,\x01(.*)\x01\x01$/s.exec(text);
      const fail = (why: string) => ({
        response: Buffer.from(JSON.stringify({ status: 'invalid_token' })),
        done: false,
        error: `OAUTHBEARER authentication failed: ${why}`,
      });
      if (!m) return fail('malformed client initial response');
      const kv = new Map(m[1].split('\x01').map((s) => [s.slice(0, s.indexOf('=')), s.slice(s.indexOf('=') + 1)] as [string, string]));
      const auth = /^Bearer (\S+)$/.exec(kv.get('auth') ?? '');
      if (!auth) return fail('no bearer token');
      let url: URL;
      try {
        url = new URL(Buffer.from(auth[1], 'base64url').toString('utf8'));
      } catch {
        return fail('token is not a base64url-encoded URL');
      }
      const region = /^kafka\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname)?.[1];
      if (url.protocol !== 'https:' || !region) return fail('token URL must be https://kafka.<region>.amazonaws.com/');
      const q = url.searchParams;
      const v = verifyIamFields(
        {
          action: q.get('Action') ?? undefined,
          algorithm: q.get('X-Amz-Algorithm') ?? undefined,
          credential: q.get('X-Amz-Credential') ?? undefined,
          date: q.get('X-Amz-Date') ?? undefined,
          expires: q.get('X-Amz-Expires') ?? undefined,
          signedHeaders: q.get('X-Amz-SignedHeaders') ?? undefined,
          signature: q.get('X-Amz-Signature') ?? undefined,
        },
        keys,
        now(),
        (secret, scopeDate, scopeRegion) => {
          const params = [...q.entries()].filter(([k]) => k !== 'X-Amz-Signature' && k !== 'User-Agent');
          params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
          const query = params.map(([k, val]) => `${rfc3986(k)}=${rfc3986(val)}`).join('&');
          // presigners differ on the payload hash; accept either of the two SigV4 allows for a presigned GET
          return [EMPTY_SHA256, 'UNSIGNED-PAYLOAD'].map((payload) => {
            const canonical = `GET\n/\n${query}\nhost:${url.host}\n\nhost\n${payload}`;
            const sts = `AWS4-HMAC-SHA256\n${q.get('X-Amz-Date')}\n${scopeDate}/${scopeRegion}/${IAM_SERVICE}/aws4_request\n${createHash('sha256').update(canonical).digest('hex')}`;
            return sigV4(secret, scopeDate, scopeRegion, sts);
          });
        },
      );
      if (!v.ok) return fail(v.error);
      return { response: iamResponse(), done: true, principal: v.principal };
    },
  };
}
