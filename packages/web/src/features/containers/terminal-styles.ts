/**
 * xterm.js writes its theme (text, cursor, selection and ANSI colours) and its cell sizes into
 * <style> elements it creates. The server's Content-Security-Policy (`style-src 'self'`, no
 * 'unsafe-inline') refuses those, which left the terminal's text in the page's own colour on
 * black: unreadable in the light theme. The same rules, adopted as constructed stylesheets
 * (CSSOM, which the policy allows), apply them. Only <style> elements inside the terminal's own
 * element are copied, and only xterm creates those. Returns the undo.
 */
export function adoptTerminalStyles(host: HTMLElement): () => void {
  const sheets = new Map<HTMLStyleElement, CSSStyleSheet>();
  let applied: CSSStyleSheet[] = [];
  const apply = (next: CSSStyleSheet[]): void => {
    document.adoptedStyleSheets = [
      ...document.adoptedStyleSheets.filter((sheet) => !applied.includes(sheet)),
      ...next,
    ];
    applied = next;
  };
  const sync = (): void => {
    const present = [...host.querySelectorAll('style')];
    for (const element of sheets.keys()) if (!present.includes(element)) sheets.delete(element);
    for (const element of present) {
      const sheet = sheets.get(element) ?? new CSSStyleSheet();
      sheet.replaceSync(element.textContent ?? '');
      sheets.set(element, sheet);
    }
    apply([...sheets.values()]);
  };
  // xterm rewrites the text of its <style> elements on every theme or size change.
  const observer = new MutationObserver(sync);
  observer.observe(host, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    apply([]);
  };
}
