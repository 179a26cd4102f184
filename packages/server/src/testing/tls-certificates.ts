import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TlsFiles {
  /** PEM texts, as an admin pastes them into Berth. */
  ca: string;
  cert: string;
  key: string;
  /** The files on disk (for dockerd's --tlscacert/--tlscert/--tlskey). */
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** Runs openssl with an argv array (never a shell string). */
async function openssl(args: string[], cwd: string): Promise<void> {
  await run('openssl', args, { cwd });
}

/**
 * The certificates a TLS engine needs, made the way the README tells an admin to: a CA, a
 * server certificate for `serverName` (an IP address or a DNS name) signed by it, and a client
 * certificate signed by it. Prefix `tag` lets one folder hold a second, unrelated CA.
 */
export async function makeTlsCertificates(
  dir: string,
  tag: string,
  serverName = '127.0.0.1',
): Promise<{ server: TlsFiles; client: TlsFiles }> {
  const f = (name: string): string => join(dir, `${tag}-${name}`);
  await openssl(['genrsa', '-out', f('ca-key.pem'), '2048'], dir);
  await openssl(
    [
      'req',
      '-new',
      '-x509',
      '-days',
      '2',
      '-key',
      f('ca-key.pem'),
      '-sha256',
      '-subj',
      `/CN=${tag} CA`,
      '-out',
      f('ca.pem'),
    ],
    dir,
  );
  const san = /^[\d.]+$/.test(serverName) ? `IP:${serverName}` : `DNS:${serverName}`;
  writeFileSync(f('server-ext.cnf'), `subjectAltName = ${san}\nextendedKeyUsage = serverAuth\n`);
  writeFileSync(f('client-ext.cnf'), 'extendedKeyUsage = clientAuth\n');
  for (const [who, cn] of [
    ['server', serverName],
    ['client', 'berth'],
  ] as const) {
    await openssl(['genrsa', '-out', f(`${who}-key.pem`), '2048'], dir);
    await openssl(
      ['req', '-new', '-key', f(`${who}-key.pem`), '-subj', `/CN=${cn}`, '-out', f(`${who}.csr`)],
      dir,
    );
    await openssl(
      [
        'x509',
        '-req',
        '-days',
        '2',
        '-sha256',
        '-in',
        f(`${who}.csr`),
        '-CA',
        f('ca.pem'),
        '-CAkey',
        f('ca-key.pem'),
        '-CAcreateserial',
        '-extfile',
        f(`${who}-ext.cnf`),
        '-out',
        f(`${who}-cert.pem`),
      ],
      dir,
    );
  }
  const files = (who: 'server' | 'client'): TlsFiles => ({
    ca: readFileSync(f('ca.pem'), 'utf8'),
    cert: readFileSync(f(`${who}-cert.pem`), 'utf8'),
    key: readFileSync(f(`${who}-key.pem`), 'utf8'),
    caFile: f('ca.pem'),
    certFile: f(`${who}-cert.pem`),
    keyFile: f(`${who}-key.pem`),
  });
  return { server: files('server'), client: files('client') };
}
