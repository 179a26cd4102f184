import { Component, lazy, type ComponentType, type ReactNode } from 'react';
import { Button, Page } from '../components/ui.js';

/** How often a page's code is asked for again after a failed download, and after how long. */
const RETRY_DELAYS_MS = [250, 1000, 3000];

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A page whose code is downloaded when it is first shown. A download that fails (the network
 * dropped for a moment, or the connection changed) is tried again a few times before the page
 * says it could not be loaded; before, one lost request left the whole app blank.
 */
export function lazyPage<P extends object>(
  load: () => Promise<{ default: ComponentType<P> }>,
): ComponentType<P> {
  return lazy(() => retrying(load));
}

/** `load()`, asked again after each delay while it fails; the last failure is the answer. */
export async function retrying<T>(
  load: () => Promise<T>,
  delays: readonly number[] = RETRY_DELAYS_MS,
): Promise<T> {
  for (const delay of delays) {
    try {
      return await load();
    } catch {
      await wait(delay);
    }
  }
  return load();
}

/** What a page whose code could not be loaded shows instead of an empty screen. */
export class PageLoadBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <Page title="This page could not be loaded">
        <p role="alert">
          Berth could not be reached to load this page. Check the connection, then reload.
        </p>
        <Button onClick={() => window.location.reload()}>Reload</Button>
      </Page>
    );
  }
}
