// One Engine API request over a unix socket for the repository scripts (which import images
// before any Berth code is built): the answer's status and text.
import { request } from 'node:http';

/** `body`, when given, is a readable stream piped to the engine as a tar (an image import). */
export function engineRequest(socketPath, method, path, body) {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, method, path, headers: { 'Content-Type': 'application/x-tar' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    if (body) {
      body.on('error', (err) => req.destroy(err));
      body.pipe(req);
    } else req.end();
  });
}
