import { CliError, UsageError } from './errors.js';
import { io } from './io.js';
import { canAsk, confirm } from './prompt.js';
import { checkServerTrust, normaliseFingerprint, type TrustOptions } from './tls.js';

/**
 * Trust on first use, as ssh: an https server whose certificate neither the system nor
 * `--ca-file` vouches for shows its SHA-256 fingerprint, and the user is asked to trust it
 * (then it is pinned in the context). Without a terminal it is refused, naming the flags that
 * say it up front. Answers the trust to store.
 */
export async function establishTrust(url: string, given: TrustOptions): Promise<TrustOptions> {
  const trust: TrustOptions = {
    ...(given.caFile ? { caFile: given.caFile } : {}),
    ...(given.fingerprint ? { fingerprint: normaliseFingerprint(given.fingerprint) } : {}),
  };
  if (trust.fingerprint) return trust;
  let check;
  try {
    check = await checkServerTrust(url, trust);
  } catch (err) {
    if (err instanceof CliError) throw err;
    // Nothing answered on TLS (refused, unresolved): the request that follows says so.
    return trust;
  }
  if (check.trusted) return trust;
  const host = new URL(url).host;
  io.err(`The certificate of ${host} is not trusted (${check.code || check.reason}).`);
  io.err(`Its SHA-256 fingerprint is ${check.fingerprint}`);
  if (!canAsk())
    throw new UsageError(
      `refusing an untrusted certificate without a terminal: compare the fingerprint with the one the server printed at start and pass --fingerprint ${check.fingerprint}, or --ca-file <its CA>`,
    );
  io.err("Compare it with the fingerprint the server printed when it started (as ssh's).");
  if (!(await confirm('Trust this certificate and pin it in the context?')))
    throw new CliError('the server certificate was not trusted');
  return { ...trust, fingerprint: check.fingerprint };
}
