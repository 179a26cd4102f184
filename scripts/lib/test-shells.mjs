// The shells the completion tests load `berth completion …` into: bash is there already;
// zsh and fish come from Debian (apt-get), as openssh-server does for the SSH host tests.
import { run, which } from './run.mjs';

const SHELLS = ['bash', 'zsh', 'fish'];
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Makes sure bash, zsh and fish are installed; as root with apt it installs what is missing. */
export async function ensureShells() {
  const missing = [];
  for (const shell of SHELLS) if (!(await which(shell))) missing.push(shell);
  if (missing.length === 0) return;
  if (isRoot() && (await which('apt-get'))) {
    console.log(`berth: installing ${missing.join(', ')} for the completion tests (apt-get)…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_SUSPEND: '1' };
    await run('apt-get', ['update', '-qq'], { env });
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
    return;
  }
  throw new Error(
    `the completion tests need ${missing.join(', ')} (Debian/Ubuntu: sudo apt-get install ${missing.join(' ')})`,
  );
}
