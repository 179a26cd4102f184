/**
 * The patterns of a `.dockerignore` as Docker reads them: one per line, trimmed, blank lines
 * and `#` comments skipped. The server (stack builds) and the CLI (`berth image build`) both
 * match them with @balena/dockerignore; `!` patterns re-include what others left out.
 */
export function dockerignorePatterns(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
