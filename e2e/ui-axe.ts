import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, NodeResult, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

/**
 * axe-core in the page, in both colour schemes, on a desktop and a phone width; and, on the
 * phone, a check that nothing makes the page scroll sideways. Each finding is one line naming
 * the page, the viewport and the scheme, so a failure says where to look.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), {
  encoding: 'utf8',
});
const VIEWPORTS = [
  { width: 1280, height: 860 },
  { width: 375, height: 800 },
] as const;
const SCHEMES = ['light', 'dark'] as const;
const BLOCKING = new Set(['serious', 'critical']);

/** Runs in the page: axe over the whole document, less what `exclude` names. */
const RUN_AXE = async ({
  exclude,
  options,
}: {
  exclude: string[];
  options: RunOptions;
}): Promise<AxeResults> => {
  const axe = (
    globalThis as unknown as {
      axe: {
        run: (
          context: { include: string[]; exclude: string[] },
          options: RunOptions,
        ) => Promise<AxeResults>;
      };
    }
  ).axe;
  return axe.run({ include: ['html'], exclude }, options);
};

/** Runs in the page: how far the document is wider than the viewport, and what sticks out. */
const OVERFLOW = `(() => {
  const width = window.innerWidth;
  const over = document.documentElement.scrollWidth - width;
  const culprits = over <= 0 ? [] : [...document.body.querySelectorAll('*')]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5)
    .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 0.5)
    .filter((el) => {
      for (let up = el.parentElement; up; up = up.parentElement)
        if (getComputedStyle(up).overflowX !== 'visible') return false;
      return true;
    })
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' (' + Math.round(el.getBoundingClientRect().right) + 'px)');
  return { over, culprits };
})()`;

/** For a contrast finding, the colours axe measured: what to change in the stylesheet. */
function contrast(node: NodeResult): string {
  const data = node.any[0]?.data as
    { fgColor?: string; bgColor?: string; contrastRatio?: number } | undefined;
  if (!data?.fgColor) return '';
  return ` (${data.fgColor} on ${data.bgColor ?? '?'}, ${data.contrastRatio ?? '?'}:1)`;
}

export interface AuditOptions {
  /**
   * CSS selectors axe leaves out. Only for a false positive in code we do not own, and each use
   * says why next to it.
   */
  exclude?: string[];
}

/** Audits the page as it stands; returns one line per serious or critical finding. */
export async function audit(page: Page, where: string, opts: AuditOptions = {}): Promise<string[]> {
  const problems: string[] = [];
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      const loaded = await page.evaluate('typeof globalThis.axe !== "undefined"');
      // Evaluated rather than added as a <script>: the page's CSP refuses inline scripts.
      if (!loaded) await page.evaluate(AXE_SOURCE);
      const options: RunOptions = { resultTypes: ['violations'] };
      const results = await page.evaluate(RUN_AXE, { exclude: opts.exclude ?? [], options });
      const at = `${where} at ${viewport.width}px, ${scheme}`;
      for (const v of results.violations) {
        if (!v.impact || !BLOCKING.has(v.impact)) continue;
        const targets = v.nodes.map((n) => `${n.target.join(' ')}${contrast(n)}`).join(' | ');
        problems.push(`${at}: ${v.id} (${v.impact}) ${v.help} -> ${targets}`);
      }
      if (viewport.width < 600) {
        const { over, culprits } = await page.evaluate<{ over: number; culprits: string[] }>(
          OVERFLOW,
        );
        if (over > 0)
          problems.push(`${at}: document ${over}px wider than the screen: ${culprits.join(', ')}`);
      }
    }
  }
  await page.setViewportSize(VIEWPORTS[0]);
  await page.emulateMedia({ colorScheme: 'light' });
  return problems;
}

/** Opens every collapsed part of the page (each closed <details>), to audit what it hides. */
export async function openAllDetails(page: Page): Promise<void> {
  const closed = page.locator('details:not([open]) > summary:visible');
  for (let n = await closed.count(); n > 0; n = await closed.count()) {
    await closed.first().click();
  }
}
