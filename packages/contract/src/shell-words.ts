/**
 * Shell words, the one implementation the server (the `docker …` commands it shows) and the web
 * UI (command fields, the command preview) share. Quoting is for a POSIX shell; a word is left
 * bare only when no shell in common use (sh, dash, bash, zsh) would treat any of it specially.
 */

/**
 * Characters that are literal everywhere in a word. `^` is left out (zsh's extended glob and
 * the Bourne shell's pipe), as are `~` and `#`, which are special at the start of a word.
 */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word as a shell reads it back unchanged: bare when safe, else in single quotes. */
export function shellQuote(word: string): string {
  // zsh expands a word that starts with `=` to a command's path (`=ls` → /bin/ls).
  if (SHELL_SAFE.test(word) && !word.startsWith('=')) return word;
  // Within single quotes only the closing quote is special, so an embedded quote ends the
  // quoted part, adds an escaped quote, and starts a new quoted part.
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** An argv as one command line, each word quoted only if it needs it. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/**
 * Words typed the way a shell reads them: spaces split, single quotes keep everything,
 * double quotes keep all but `\"` and `\\`, a backslash outside quotes escapes one character.
 * A backslash before a line break, outside single quotes, joins the lines (a command pasted
 * over several lines) and adds nothing to the word. Nothing is expanded: `$GREETING` stays as it is, for the container's own shell. The inverse
 * of shellJoin.
 */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charAt(i);
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && lineBreakAt(text, i + 1) > 0) i += lineBreakAt(text, i + 1);
      else if (ch === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
        word += text.charAt(i + 1);
        i += 1;
      } else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && lineBreakAt(text, i + 1) > 0) {
      i += lineBreakAt(text, i + 1);
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text.charAt(i + 1);
      inWord = true;
      i += 1;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error(`an unclosed ${quote === "'" ? 'single' : 'double'} quote`);
  if (inWord) words.push(word);
  return words;
}

/** The length of the line break (\n or \r\n) at `index`, 0 when there is none. */
function lineBreakAt(text: string, index: number): number {
  if (text[index] === '\n') return 1;
  return text[index] === '\r' && text[index + 1] === '\n' ? 2 : 0;
}
