import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';

/**
 * What the console's browser tests share: launching Debian's Chromium, pages at a given width and
 * colour scheme, screenshots, the axe-core audit and keyboard-only driving.
 */

export const ROOT = join(__dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test-output/screenshots');
const AXE_REPORT = join(ROOT, 'test-output/axe-report.json');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 360, height: 740 };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives every launch a fresh temporary --user-data-dir of its own.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors (CSP violations among them). */
  problems: string[];
}

export async function openConsole(
  browser: Browser,
  url: string,
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<ConsolePage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
    reducedMotion: 'reduce',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(`${url}/console`);
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** Every screen audited, with every violation axe found (of any impact), written at the end. */
const axeReport: Array<{ screen: string; violations: AxeViolation[] }> = [];

/**
 * Runs axe-core (WCAG 2.x A and AA rules) on the page as it is now. The script is evaluated over
 * the DevTools protocol, which the page's CSP does not govern, so the console's policy stays as
 * strict as in production. Returns the serious and critical violations.
 */
export async function audit(page: Page, screen: string): Promise<AxeViolation[]> {
  await page.evaluate(`${AXE_SOURCE}\n;void 0`);
  const violations = await page.evaluate<AxeViolation[]>(`
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })
      .then((result) => result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      })))
  `);
  axeReport.push({ screen, violations });
  writeFileSync(AXE_REPORT, `${JSON.stringify(axeReport, null, 2)}\n`);
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

export function axeSummary(): string {
  const screens = axeReport.length;
  const counts = axeReport
    .flatMap((entry) => entry.violations)
    .reduce<Record<string, number>>((all, violation) => {
      const impact = violation.impact ?? 'unknown';
      all[impact] = (all[impact] ?? 0) + 1;
      return all;
    }, {});
  return `axe-core on ${screens} screens: ${JSON.stringify(counts)} (report: test-output/axe-report.json)`;
}

/** True when the page is wider than the window: someone would have to scroll sideways. */
export async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');
}

/**
 * Presses Tab (Shift+Tab backwards) until `target` has the focus, as a keyboard user would, and
 * fails when it cannot be reached within `limit` presses.
 */
export async function tabTo(page: Page, target: Locator, options: { backwards?: boolean; limit?: number } = {}): Promise<void> {
  for (let press = 0; press < (options.limit ?? 80); press++) {
    // Resolved afresh each time: a list redrawn meanwhile replaces the element. A function, not
    // a string: Playwright evaluates a string as an expression and returns the function itself
    // (serialised as undefined) instead of calling it, so the check could never pass.
    const focused = await target.evaluate((element) => {
      const node = element as unknown as { ownerDocument: { activeElement: unknown } };
      return node.ownerDocument.activeElement === node;
    });
    if (focused) return;
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
  }
  const focused = await page.evaluate<string>('document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : "none"');
  throw new Error(`could not reach ${target.toString()} with the keyboard; focus is on ${focused}`);
}

/** The focused element's accessible text, for asserting where focus went. */
export function focusedText(page: Page): Promise<string> {
  return page.evaluate<string>(
    "(document.activeElement && (document.activeElement.getAttribute('aria-label') || document.activeElement.textContent.trim())) || ''",
  );
}
