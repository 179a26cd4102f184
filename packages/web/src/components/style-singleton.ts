import { useEffect, type FC } from 'react';

/**
 * Radix's dialogs lock the page's scrolling through react-remove-scroll, whose styles
 * `react-style-singleton` writes as a <style> element. The server's Content-Security-Policy
 * (`style-src 'self'`) refuses inline <style> elements, so the lock did nothing and every dialog
 * logged a violation. Vite resolves `react-style-singleton` to this module instead (see
 * vite.config.ts): the same API, with the styles in a constructed stylesheet, which the policy
 * allows. Added when the first user mounts, removed when the last one unmounts.
 */
export const stylesheetSingleton = (): { add: (style: string) => void; remove: () => void } => {
  let counter = 0;
  let sheet: CSSStyleSheet | null = null;
  return {
    add(style) {
      if (counter === 0) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(style);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      }
      counter += 1;
    },
    remove() {
      counter -= 1;
      if (counter === 0 && sheet) {
        const gone = sheet;
        document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== gone);
        sheet = null;
      }
    },
  };
};

export const styleHookSingleton = (): ((styles: string, isDynamic?: boolean) => void) => {
  const sheet = stylesheetSingleton();
  return (styles, isDynamic) => {
    // As the original: styles are applied once, again on change only when dynamic.
    const key = isDynamic ? styles : null;
    useEffect(() => {
      sheet.add(styles);
      return () => sheet.remove();
    }, [key]);
  };
};

export const styleSingleton = (): FC<{ styles: string; dynamic?: boolean }> => {
  const useStyle = styleHookSingleton();
  const Sheet: FC<{ styles: string; dynamic?: boolean }> = ({ styles, dynamic }) => {
    useStyle(styles, dynamic);
    return null;
  };
  return Sheet;
};
