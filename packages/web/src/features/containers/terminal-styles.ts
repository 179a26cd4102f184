/**
 * xterm.js writes its theme (text, cursor, selection and ANSI colours), its cell sizes and its
 * scrollbar colours into three <style> elements it creates while it opens. The server's
 * Content-Security-Policy (`style-src 'self'`, no 'unsafe-inline') refuses those: each one put
 * in the page, and each rewrite of its text, was a `securitypolicyviolation` (a dozen per
 * terminal opened), and the terminal's text was left in the page's own colour on black.
 *
 * So xterm is opened with its <style> elements kept out of the document: `open` runs with
 * `appendChild` of a <style> element held back (only xterm's own code runs inside it, and it
 * creates all three there). xterm keeps and rewrites them as before; their text is applied as
 * constructed stylesheets (CSSOM, which the policy allows), updated on every rewrite. Returns
 * the undo.
 */
export function openWithAdoptedStyles(open: () => void): () => void {
  const held: HTMLStyleElement[] = [];
  const descriptor = Object.getOwnPropertyDescriptor(Node.prototype, 'appendChild');
  const append = descriptor?.value as (<T extends Node>(this: Node, child: T) => T) | undefined;
  if (!descriptor || !append) {
    open();
    return () => undefined;
  }
  Object.defineProperty(Node.prototype, 'appendChild', {
    ...descriptor,
    value<T extends Node>(this: Node, child: T): T {
      if (child instanceof HTMLStyleElement) {
        held.push(child);
        return child;
      }
      return append.call(this, child) as T;
    },
  });
  try {
    open();
  } finally {
    Object.defineProperty(Node.prototype, 'appendChild', descriptor);
  }
  return adopt(held);
}

function adopt(elements: HTMLStyleElement[]): () => void {
  const sheets = elements.map(() => new CSSStyleSheet());
  const sync = (): void => {
    elements.forEach((element, i) => sheets[i]?.replaceSync(element.textContent));
  };
  // xterm rewrites their text on every theme or size change (MutationObserver works on
  // elements outside the document too).
  const observer = new MutationObserver(sync);
  for (const element of elements)
    observer.observe(element, { subtree: true, childList: true, characterData: true });
  sync();
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, ...sheets];
  return () => {
    observer.disconnect();
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter(
      (sheet) => !sheets.includes(sheet),
    );
  };
}
