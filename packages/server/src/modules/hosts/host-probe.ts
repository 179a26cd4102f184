import type { HardwareProfile, HostConnectFailure } from '@berth/contract';
import { errorMessage } from '../../core/errors.js';
import { EngineClient } from '../../docker/engine-client.js';
import { describeEndpoint, type EngineEndpoint } from '../../docker/engine-endpoint.js';
import { EngineRequestError, EngineUnreachableError } from '../../docker/engine-errors.js';
import type { RawInfo, RawVersion } from '../../docker/engine-types.js';
import type { SshHostKey } from '../../docker/ssh-connection.js';
import { classifyHardware } from './hardware-profile.js';

export type ProbeResult =
  | {
      ok: true;
      engine: { id: string; name: string; version: string; apiVersion: string };
      hardware: HardwareProfile;
      /** For ssh: the host key the remote showed. */
      hostKey: SshHostKey | null;
    }
  | { ok: false; reason: HostConnectFailure; message: string; hostKey?: SshHostKey };

/** What SSH failures are called (SshError codes): they are reasons of their own. */
const SSH_REASONS = new Set<HostConnectFailure>([
  'ssh_auth_failed',
  'host_key_mismatch',
  'engine_not_found',
]);

/** Node's codes for a server certificate the given CA does not vouch for. */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);

/**
 * Reaches a definition's engine once, with a client of its own that is closed after: the
 * engine's ID, version and hardware profile, or the one reason it could not be reached.
 */
export async function probeEngine(
  endpoint: EngineEndpoint,
  readLocalModel: () => Promise<string | null>,
  timeoutMs = 5_000,
): Promise<ProbeResult> {
  const client = new EngineClient(endpoint);
  const where = describeEndpoint(endpoint);
  try {
    const ping = await client.ping(timeoutMs);
    const [version, info] = await Promise.all([
      client.request<RawVersion>('GET', '/version', { timeoutMs }),
      client.request<RawInfo>('GET', '/info', { timeoutMs }),
    ]);
    if (!version?.Version || !info?.ID)
      return notDocker(where, 'it answers, but not with an engine version and ID');
    const model = endpoint.transport === 'unix' ? await readLocalModel() : null;
    return {
      ok: true,
      hostKey: client.sshHostKey,
      engine: {
        id: info.ID,
        name: info.Name,
        version: version.Version,
        apiVersion: ping.apiVersion,
      },
      hardware: classifyHardware({
        cpus: info.NCPU,
        memoryBytes: info.MemTotal,
        arch: info.Architecture,
        model,
      }),
    };
  } catch (err) {
    const failed = failure(endpoint, where, err);
    const hostKey = client.sshHostKey;
    return hostKey && !failed.ok ? { ...failed, hostKey } : failed;
  } finally {
    client.close();
  }
}

function notDocker(where: string, why: string): ProbeResult {
  return { ok: false, reason: 'not_docker', message: `${where} is not a Docker engine: ${why}` };
}

function failure(endpoint: EngineEndpoint, where: string, err: unknown): ProbeResult {
  if (err instanceof EngineRequestError)
    return notDocker(where, `it answered ${err.statusCode} to ${err.method} ${err.path}`);
  if (err instanceof SyntaxError) return notDocker(where, 'its answer is not JSON');
  const code = err instanceof EngineUnreachableError ? (err.errorCode ?? '') : '';
  const detail = err instanceof EngineUnreachableError ? err.reason : errorMessage(err);
  const fail = (reason: HostConnectFailure, message: string): ProbeResult => ({
    ok: false,
    reason,
    message,
  });
  if (SSH_REASONS.has(code as HostConnectFailure))
    return fail(code as HostConnectFailure, detail.slice(code.length + 2));
  if (code === 'ECONNREFUSED')
    return fail(
      'refused',
      `Connection refused at ${where}: is the engine running and listening there?`,
    );
  if (code === 'ENOENT')
    return fail('no_socket', `No socket at ${where}: is the engine running on this machine?`);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const name = endpoint.transport === 'tcp' ? endpoint.host : where;
    return fail(
      'tls_verify_failed',
      `TLS verify failed: the engine's certificate is not for "${name}" (${detail})`,
    );
  }
  if (UNTRUSTED.has(code))
    return fail(
      'tls_verify_failed',
      `TLS verify failed: the engine's certificate is not signed by the given CA (${code})`,
    );
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return fail(
      'tls_verify_failed',
      `TLS verify failed: the engine's certificate is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'}`,
    );
  if (
    /ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|DECRYPT_ERROR)/.test(
      code,
    )
  )
    return fail(
      'client_cert_rejected',
      `The engine rejected Berth's client certificate: is it signed by the CA the engine trusts (--tlscacert)? (${code})`,
    );
  if (code.startsWith('HPE_') || code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO')
    return notDocker(where, `it does not speak the Engine API (${detail})`);
  if (code === 'ETIMEDOUT' || /no answer within/.test(detail))
    return fail(
      'timeout',
      `No answer from ${where} in time: is the address right, and the port open?`,
    );
  return fail('unreachable', `Cannot reach ${where}: ${detail}`);
}
