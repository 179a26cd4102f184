// One Engine API request over a unix socket for the repository scripts (which import images
// before any Berth code is built): the answer's status and text.
import { request } from 'node:http';

/**
 * `body`, when given, is a readable stream (anything with pipe()) piped to the engine as a tar
 * (an image import), or any other value sent as JSON.
 */
export function engineRequest(socketPath, method, path, body) {
  const json = body !== undefined && typeof body.pipe !== 'function';
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        method,
        path,
        headers: { 'Content-Type': json ? 'application/json' : 'application/x-tar' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    if (json) req.end(JSON.stringify(body));
    else if (body) {
      body.on('error', (err) => req.destroy(err));
      body.pipe(req);
    } else req.end();
  });
}
