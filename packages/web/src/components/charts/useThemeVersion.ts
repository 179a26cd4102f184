import { useEffect, useState } from 'react';

/** Counts the theme changes: the system scheme or the theme picker's data-theme. */
export function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = (): void => setVersion((v) => v + 1);
    const media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', bump);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme'],
    });
    return () => {
      media.removeEventListener('change', bump);
      observer.disconnect();
    };
  }, []);
  return version;
}

/** The theme's colours as the canvas needs them (rgb), from the page's own custom properties. */
export function themeColors(probe: HTMLElement): (css: string) => string {
  return (css) => {
    probe.style.color = css;
    return getComputedStyle(probe).color;
  };
}
