import type { Terminal } from '@xterm/xterm';

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Copies the terminal's selection; returns what happened, for the user to read. */
export async function copySelection(term: Terminal): Promise<string> {
  const text = term.getSelection();
  if (!text) return 'Nothing selected: select text in the terminal first';
  try {
    await navigator.clipboard.writeText(text);
    return `Copied ${text.length} characters`;
  } catch (err) {
    return `The browser did not allow writing to the clipboard (${reason(err)})`;
  }
}

/** Pastes the clipboard into the terminal (as typed input); returns what happened. */
export async function pasteClipboard(term: Terminal): Promise<string> {
  let text: string;
  try {
    text = await navigator.clipboard.readText();
  } catch (err) {
    return `The browser did not allow reading the clipboard (${reason(err)}): allow clipboard access for this site, or use the browser's Edit → Paste menu`;
  }
  if (!text) return 'The clipboard is empty';
  term.paste(text);
  return `Pasted ${text.length} characters`;
}

/**
 * Ctrl-Shift-C / Cmd-C copy and Ctrl-Shift-V / Cmd-V paste, as in desktop terminals; plain
 * Ctrl-C and Ctrl-V still go to the program (interrupt, literal next).
 */
export function attachClipboardKeys(term: Terminal, report: (message: string) => void): void {
  term.attachCustomKeyEventHandler((event) => {
    const key = event.key.toLowerCase();
    const chord = (event.ctrlKey && event.shiftKey) || (event.metaKey && !event.ctrlKey);
    if (!chord || (key !== 'c' && key !== 'v')) return true;
    // Ours alone: not the browser's paste (it would paste twice) nor its inspector.
    event.preventDefault();
    if (event.type === 'keydown')
      void (key === 'c' ? copySelection(term) : pasteClipboard(term)).then(report);
    return false;
  });
}
