import * as Tabs from '@radix-ui/react-tabs';
import { ChevronLeft, ChevronRight } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';

/** The id of a tab, for its panel's aria-labelledby. */
export function tabId(panelId: string, tab: string): string {
  return `${panelId}-tab-${tab.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/**
 * The tab list of a `Tabs.Root` (Radix: arrow keys, Home/End, one tab stop), for a page that
 * renders the current tab's panel itself, in one element with id `panelId`. Narrower than its
 * tabs (a phone), it scrolls sideways, and a fade with an arrow at each edge says more are there.
 */
export function TabStrip({
  tabs,
  label,
  panelId,
}: {
  tabs: readonly string[];
  label: string;
  /** The id of the one panel the tabs fill (it takes `aria-labelledby={tabId(panelId, tab)}`). */
  panelId: string;
}) {
  const list = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState({ start: false, end: false });
  useEffect(() => {
    const el = list.current;
    if (!el) return undefined;
    const update = (): void => {
      const start = el.scrollLeft > 1;
      const end = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
      setMore((was) => (was.start === start && was.end === end ? was : { start, end }));
    };
    update();
    el.addEventListener('scroll', update, { passive: true });
    const resize = new ResizeObserver(update);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      resize.disconnect();
    };
  }, []);
  return (
    <div className="tabs-frame">
      <Tabs.List ref={list} className="tabs" aria-label={label}>
        {tabs.map((t) => (
          <Tabs.Trigger
            key={t}
            value={t}
            className="tab"
            id={tabId(panelId, t)}
            aria-controls={panelId}
          >
            {t}
          </Tabs.Trigger>
        ))}
      </Tabs.List>
      {more.start && (
        <span className="tabs-hint tabs-hint-start" aria-hidden data-testid="tabs-more-start">
          <ChevronLeft size={16} />
        </span>
      )}
      {more.end && (
        <span className="tabs-hint tabs-hint-end" aria-hidden data-testid="tabs-more-end">
          <ChevronRight size={16} />
        </span>
      )}
    </div>
  );
}
