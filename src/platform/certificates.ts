// The cluster's own certificate authority (`arshjul cluster up`): mutual TLS between Temporal's
// services, and between them and Årshjul's workers, web processes, CLI and Temporal's Web UI.
// Made with Debian's openssl (Node's crypto cannot sign certificates) in the cluster's folder; every
// key is 0600 in a 0700 folder. A certificate near its end is made again at the next `cluster up`.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class CertificateError extends Error {}

export interface ClusterCertificates {
  /** The CA that signed both certificates: servers trust clients by it, clients trust the server by it. */
  caPath: string;
  /** Temporal's server certificate (frontend and internode; SANs 127.0.0.1 and localhost; also its own client certificate between services). */
  serverCertPath: string;
  serverKeyPath: string;
  /** The certificate Årshjul's workers, web processes, CLI and the Web UI present. */
  clientCertPath: string;
  clientKeyPath: string;
}

const openssl = '/usr/bin/openssl';
const caDays = 3650;
const leafDays = 825;
/** A certificate that ends within this many seconds is made again. */
const renewWithin = 30 * 24 * 3600;

export function certificatePaths(dir: string): ClusterCertificates {
  const tls = path.join(dir, 'tls');
  return {
    caPath: path.join(tls, 'ca.pem'),
    serverCertPath: path.join(tls, 'server.pem'),
    serverKeyPath: path.join(tls, 'server.key'),
    clientCertPath: path.join(tls, 'client.pem'),
    clientKeyPath: path.join(tls, 'client.key'),
  };
}

async function openSsl(args: string[]): Promise<void> {
  try {
    await run(openssl, args);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new CertificateError(`openssl ${args[0]} misslyckades: ${stderr || (error as Error).message}. Debians openssl behövs (apt-get install openssl).`);
  }
}

/** Whether the certificate exists, was signed by the CA and does not end within the renewal window. */
async function usable(cert: string, ca?: string): Promise<boolean> {
  if (!existsSync(cert)) return false;
  try {
    await run(openssl, ['x509', '-in', cert, '-noout', '-checkend', String(renewWithin)]);
    if (ca) await run(openssl, ['verify', '-CAfile', ca, cert]);
    return true;
  } catch {
    return false;
  }
}

const newKey = (keyPath: string) => ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath];

/** The CA, the server's and the client's certificates in `dir/tls`: kept when usable, made when missing or near their end. */
export async function ensureCertificates(dir: string): Promise<ClusterCertificates> {
  const paths = certificatePaths(dir);
  const tlsDir = path.dirname(paths.caPath);
  await mkdir(tlsDir, { recursive: true, mode: 0o700 });
  await chmod(tlsDir, 0o700);
  const caKey = path.join(tlsDir, 'ca.key');
  const freshCa = !(await usable(paths.caPath)) || !existsSync(caKey);
  if (freshCa) {
    await openSsl([
      'req', '-x509', '-new', ...newKey(caKey), '-out', paths.caPath, '-days', String(caDays), '-subj', '/O=Arshjul/CN=arshjul cluster CA',
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);
  }
  const leaves = [
    // Temporal's services present the server certificate to each other as clients too.
    { cert: paths.serverCertPath, key: paths.serverKeyPath, name: 'temporal', usage: 'serverAuth,clientAuth', san: 'IP:127.0.0.1,DNS:localhost' },
    { cert: paths.clientCertPath, key: paths.clientKeyPath, name: 'arshjul', usage: 'clientAuth', san: undefined },
  ];
  for (const leaf of leaves) {
    if (!freshCa && existsSync(leaf.key) && (await usable(leaf.cert, paths.caPath))) continue;
    await openSsl([
      'req', '-x509', '-new', ...newKey(leaf.key), '-out', leaf.cert, '-days', String(leafDays), '-subj', `/O=Arshjul/CN=${leaf.name}`,
      '-CA', paths.caPath, '-CAkey', caKey,
      '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature', '-addext', `extendedKeyUsage=${leaf.usage}`,
      ...(leaf.san ? ['-addext', `subjectAltName=${leaf.san}`] : []),
    ]);
  }
  for (const file of [caKey, paths.caPath, ...leaves.flatMap((leaf) => [leaf.cert, leaf.key])]) await chmod(file, 0o600);
  return paths;
}
