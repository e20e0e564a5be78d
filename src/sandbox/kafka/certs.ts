// Test PKI for the sandbox broker, made with the system `openssl`: a CA, a broker certificate for
// 127.0.0.1/localhost, and client certificates (for mTLS) signed by the same CA. All PEM, all temporary.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BrokerPki {
  caPem: string;
  caKeyPem?: string;
  certPem: string;
  keyPem: string;
}

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'esmctl-kafka-pki-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error('the sandbox Kafka broker needs `openssl` on PATH to generate its TLS certificates (or pass tls.caPem/certPem/keyPem)');
    throw new Error(`openssl ${args[0]} failed: ${err.stderr ?? err.message}`);
  }
}

/** A fresh CA and a broker certificate valid for 127.0.0.1, ::1 and localhost (EC P-256, 2 days). */
export async function generateBrokerPki(): Promise<BrokerPki> {
  return withDir(async (dir) => {
    await openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=esmctl sandbox CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    await openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'broker.key', '-out', 'broker.csr', '-subj', '/CN=localhost']);
    await writeFile(join(dir, 'broker.ext'), 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
    await openssl(dir, ['x509', '-req', '-in', 'broker.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'broker.pem', '-days', '2', '-extfile', 'broker.ext']);
    const [caPem, caKeyPem, certPem, keyPem] = await Promise.all(['ca.pem', 'ca.key', 'broker.pem', 'broker.key'].map((f) => readFile(join(dir, f), 'utf8')));
    return { caPem, caKeyPem, certPem, keyPem };
  });
}

/** A client certificate for mTLS signed by the broker's CA (needs the CA key, i.e. a generated PKI). */
export async function issueClientCertificate(pki: BrokerPki, commonName: string): Promise<{ certificatePem: string; privateKeyPem: string }> {
  if (!pki.caKeyPem) throw new Error('client certificates can only be issued when the sandbox generated its own CA');
  if (!/^[\w .@-]{1,64}$/.test(commonName)) throw new Error(`invalid certificate common name: ${JSON.stringify(commonName)}`);
  return withDir(async (dir) => {
    await writeFile(join(dir, 'ca.pem'), pki.caPem);
    await writeFile(join(dir, 'ca.key'), pki.caKeyPem!, { mode: 0o600 });
    await writeFile(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n');
    await openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', `/CN=${commonName}`]);
    await openssl(dir, ['x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '2', '-extfile', 'client.ext']);
    // PKCS#8 ("BEGIN PRIVATE KEY"), the form Lambda expects in a CLIENT_CERTIFICATE_TLS_AUTH secret
    await openssl(dir, ['pkcs8', '-topk8', '-nocrypt', '-in', 'client.key', '-out', 'client.p8']);
    const [certificatePem, privateKeyPem] = await Promise.all(['client.pem', 'client.p8'].map((f) => readFile(join(dir, f), 'utf8')));
    return { certificatePem, privateKeyPem };
  });
}
