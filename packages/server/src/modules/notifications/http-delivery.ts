import { errorMessage } from '../../core/errors.js';

const MAX_REASON = 300;

/**
 * POSTs one notification; throws with a reason a person can act on: the HTTP status and the
 * start of the answer, or why no answer came (connection refused, name not found, TLS). The URL
 * is never part of the reason: for Slack and Discord it is the secret.
 */
export async function postHttp(
  url: string,
  request: { headers: Record<string, string>; body: string },
  signal: AbortSignal,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'user-agent': 'Berth', ...request.headers },
      body: request.body,
      // A redirect would resend the notification (and its signature) to a place not chosen.
      redirect: 'manual',
      signal,
    });
  } catch (err) {
    throw new Error(fetchFailure(err));
  }
  if (response.status >= 200 && response.status < 300) {
    await response.body?.cancel();
    return;
  }
  const text = (await response.text().catch(() => '')).trim().replace(/\s+/g, ' ');
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (response.status >= 300 && response.status < 400)
    throw new Error(`${status}: redirects are not followed`);
  throw new Error(text ? `${status}: ${text.slice(0, MAX_REASON)}` : status);
}

/** fetch says "fetch failed"; the reason is in its cause (ECONNREFUSED, ENOTFOUND, a TLS error). */
function fetchFailure(err: unknown): string {
  const cause = (err as { cause?: unknown } | null)?.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    const message = cause.message || String(code);
    return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  }
  return errorMessage(err);
}
