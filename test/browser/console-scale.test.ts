import { execFileSync } from 'node:child_process';
import { Browser, Page } from 'playwright-core';
import { DEMO_LOGINS, scaledSeed } from '../../src/emulator/seed';
import { GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { recordSecrets } from '../support/log-audit';
import { audit, DESKTOP, launchChromium, openConsole, PHONE, ROOT, screenshot, scrollsSideways } from './console-kit';

/**
 * The console with a thousand users: the emulator seeded with 1,000 members of demo and 3,000
 * pairs (`EMULATOR_SEED_USERS=1000 EMULATOR_SEED_PAIRS=3000` gives the same to `npm start`). The
 * first page must cost AK/SK calls for its own users only; how fast it becomes interactive is
 * measured and printed, not asserted (the machine is shared).
 */

const { admin } = DEMO_LOGINS;
const PAGE_SIZE = 20;

jest.setTimeout(120_000);

describe('the console with 1,000 users and 3,000 pairs', () => {
  let harness: GatewayHarness;
  let browser: Browser;
  const akSkCalls: string[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build-web.mjs', 'console'], { cwd: ROOT, stdio: 'inherit' });
    recordSecrets([admin.password]);
    [harness, browser] = await Promise.all([
      startGatewayHarness({
        seed: scaledSeed({ users: 1000, pairs: 3000 }),
        onUpstreamRequest: (method, path) => {
          if (method === 'GET' && /^\/v1\/[^/]+\/aksks\/[^/]+$/.test(path)) akSkCalls.push(path);
        },
        env: { LOG_LEVEL: 'info' },
      }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  /** Milliseconds from `since` (page time) to the latest "keys-interactive" mark. */
  async function interactiveAfter(page: Page, since: number): Promise<number> {
    const mark = await page.evaluate<number>("performance.getEntriesByName('keys-interactive').at(-1).startTime");
    return Math.round(mark - since);
  }

  async function ready(page: Page, summary: string): Promise<void> {
    await page
      .locator('#summary', { hasText: summary })
      .waitFor()
      .catch(async (error: unknown) => {
        throw new Error(`${String(error)}; the summary reads: ${await page.locator('#summary').textContent()}`);
      });
    await page.locator('#results:not([aria-busy])').waitFor();
  }

  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ])('pages, searches and filters them (%s); the first page is interactive quickly', async (size, viewport) => {
    const { context, page, problems } = await openConsole(browser, harness.gateway.url, { viewport });
    await page.getByLabel('User name').fill(admin.name);
    await page.getByLabel('Password').fill(admin.password);
    const clicked = await page.evaluate<number>('performance.now()');
    akSkCalls.length = 0;
    await page.getByRole('button', { name: 'Sign in' }).click();
    await ready(page, 'Users 1–20 of 1,005.');
    const afterSignIn = await interactiveAfter(page, clicked);
    recordSecrets((await context.cookies()).map((cookie) => cookie.value));
    expect(akSkCalls).toHaveLength(PAGE_SIZE);

    // A fresh load with the session: navigation start to the first page ready to use.
    akSkCalls.length = 0;
    await page.reload();
    await ready(page, 'Users 1–20 of 1,005.');
    const afterNavigation = await interactiveAfter(page, 0);
    expect(akSkCalls).toHaveLength(PAGE_SIZE);
    process.stdout.write(
      `console, 1,000 users / 3,000 pairs (${size}): first page interactive ${afterSignIn} ms after "Sign in", ` +
        `${afterNavigation} ms after navigation (${PAGE_SIZE} users, ${PAGE_SIZE} AK/SK calls)\n`,
    );
    expect(await page.locator('tbody[data-user]').count()).toBe(PAGE_SIZE);
    await screenshot(page, `scale-${size}-01-first-page`);
    expect(await audit(page, `scale-${size}-01-first-page`)).toEqual([]);
    expect(await scrollsSideways(page)).toBe(false);

    // Next and Previous walk the pages with cursors.
    await page.getByRole('button', { name: 'Next ›' }).click();
    await ready(page, 'Users 21–40 of 1,005.');
    expect(await page.locator('tbody[data-user]').first().getAttribute('data-user')).toBe('user-0016');
    expect(await page.getByText('Page 2 of 51').count()).toBe(1);
    await page.getByRole('button', { name: '‹ Previous' }).click();
    await ready(page, 'Users 1–20 of 1,005.');
    expect(await page.locator('tbody[data-user]').first().getAttribute('data-user')).toBe('admin');

    // Sorting, searching and the "with keys" filter go back to the gateway, from page one.
    // Exactly: a random access key such as `soRT…` in an "Edit <key>" button's label would match too.
    await page.getByLabel('Sort', { exact: true }).selectOption({ label: 'Name, Z to A' });
    await ready(page, 'Users 1–20 of 1,005.');
    expect(await page.locator('tbody[data-user]').first().getAttribute('data-user')).toBe('user-1000');
    await page.getByLabel('Search users').fill('user-09');
    await page.getByLabel('Search users').press('Enter');
    await ready(page, 'Users 1–20 of 100 whose name contains “user-09”.');
    await page.getByLabel('Only users with keys').check();
    await ready(page, 'Users with keys 1–20 of 80 whose name contains “user-09”.');
    const names = await page
      .locator('tbody[data-user]')
      .evaluateAll((groups) => groups.map((group) => group.getAttribute('data-user')));
    expect(names[0]).toBe('user-0999');
    expect(names).not.toContain('user-0995');
    await screenshot(page, `scale-${size}-02-search-with-keys`);
    expect(await audit(page, `scale-${size}-02-search-with-keys`)).toEqual([]);
    expect(await scrollsSideways(page)).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });
});
