import { readFileSync } from 'node:fs';

// One level below the package root both as src/commands/*.ts and dist/commands/*.js.
const packageJson = new URL('../../package.json', import.meta.url);

export function cliVersion(): string {
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

export function versionCommand(out: (line: string) => void): number {
  out(`berth ${cliVersion()}`);
  return 0;
}
