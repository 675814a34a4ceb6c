import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { DEMO_LOGINS, DEMO_PROJECTS, demoSeed, Seed } from '../../src/emulator/seed';
import { GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { recordSecrets } from '../support/log-audit';
import { describeWithRedis } from '../support/real-redis';
import {
  audit,
  CHROMIUM,
  DESKTOP,
  focusedText,
  launchChromium,
  openConsole,
  PHONE,
  ROOT,
  screenshot,
  scrollsSideways,
  tabTo,
} from './console-kit';

/**
 * The history of a user's keys in the console (`akSkEvents`): without Redis the gateway has none to
 * show and the console says calmly where the trail is instead; with Redis an admin's change to a
 * key shows in its owner's history, newest first. Every screen axe-audited, at 1280 and 360 px.
 */

const { admin, alice } = DEMO_LOGINS;

jest.setTimeout(120_000);

// alice starts with one pair in demo, so there is a key to act on and a History to open.
const seed: Seed = { ...demoSeed, akSks: [{ user: alice.name, project: DEMO_PROJECTS.demo }] };

async function signIn(page: Page, user: { name: string; password: string }): Promise<void> {
  await page.getByLabel('User name').fill(user.name);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Access keys' }).waitFor();
  await page.locator('#results:not([aria-busy])').waitFor();
}

async function checkScreen(page: Page, screen: string): Promise<void> {
  await screenshot(page, screen);
  expect({ screen, serious: await audit(page, screen) }).toEqual({ screen, serious: [] });
  expect({ screen, scrollsSideways: await scrollsSideways(page) }).toEqual({ screen, scrollsSideways: false });
}

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/chromium.sh (npm test does).`);
  execFileSync(process.execPath, ['scripts/build-web.mjs', 'console'], { cwd: ROOT, stdio: 'inherit' });
  recordSecrets([admin.password, alice.password]);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the history of keys without Redis', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await startGatewayHarness({ seed });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ])('tells a member (%s) calmly that the history is in the gateway logs', async (size, viewport) => {
    const { context, page, problems } = await openConsole(browser, harness.gateway.url, { viewport });
    await signIn(page, alice);
    await page.getByRole('button', { name: "History of alice's keys" }).click();
    const dialog = page.getByRole('dialog', { name: "History of alice's keys" });
    const note = dialog.getByRole('status').filter({ hasText: "gateway's logs" });
    await note.waitFor();
    expect(await note.textContent()).toContain('runs without Redis');
    expect(await dialog.getByRole('alert').count()).toBe(0);
    expect(await dialog.textContent()).not.toContain('AUDIT_TRAIL_UNAVAILABLE');
    await checkScreen(page, `history-${size}-no-redis`);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
    await context.close();
  });
});

describeWithRedis('the history of keys with Redis', (redisUrl) => {
  let harness: GatewayHarness;

  beforeEach(async () => {
    // A gateway and a stream of its own per test: each starts with an empty trail.
    harness = await startGatewayHarness({
      seed,
      env: { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `console-history-${randomUUID()}:` },
    });
  });
  afterEach(async () => {
    await harness?.close();
  });

  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ])('shows an admin (%s) the deactivation just made, by keyboard', async (size, viewport) => {
    const { context, page, problems } = await openConsole(browser, harness.gateway.url, { viewport });
    await signIn(page, admin);
    const alices = page.locator('tbody[data-user="alice"]');
    const accessKey = (await alices.locator('tr[data-access-key]').first().getAttribute('data-access-key'))!;

    // Before any change made through the gateway: the empty state.
    await alices.getByRole('button', { name: "History of alice's keys" }).click();
    const dialog = page.getByRole('dialog', { name: "History of alice's keys" });
    await dialog.getByText("Nothing has happened to alice's keys yet.").waitFor();
    await checkScreen(page, `history-${size}-empty`);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = alices.locator(`tr[data-access-key="${accessKey}"]`);
    const question = page.getByRole('alertdialog');
    await row.getByRole('button', { name: `Deactivate ${accessKey}` }).click();
    await question.getByRole('button', { name: 'Deactivate key' }).click();
    await page.getByText(`Access key ${accessKey} of alice deactivated.`).waitFor();

    // By keyboard: Tab reaches History, Enter opens it, focus starts on Close.
    await tabTo(page, alices.getByRole('button', { name: "History of alice's keys" }));
    await page.keyboard.press('Enter');
    await dialog.locator('tr[data-event]').first().waitFor();
    expect(await focusedText(page)).toBe('Close');
    const events = await dialog.locator('tr[data-event]').evaluateAll((rows) =>
      rows.map((row) => ({
        event: row.getAttribute('data-event'),
        cells: [...row.querySelectorAll('td')].map((cell) => cell.textContent),
        time: row.querySelector('time')?.getAttribute('datetime'),
      })),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      event: 'aksk.deactivated',
      cells: [expect.any(String), 'Deactivated', accessKey, 'You', 'Done'],
      time: expect.any(String),
    });
    await checkScreen(page, `history-${size}-deactivated`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lists events newest first, a refused attempt with the error code it was told', async () => {
    const { context, page, problems } = await openConsole(browser, harness.gateway.url, { viewport: DESKTOP });
    await signIn(page, alice);
    const accessKey = (await page.locator('tr[data-access-key]').first().getAttribute('data-access-key'))!;
    const question = page.getByRole('alertdialog');
    await page.getByRole('button', { name: `Deactivate ${accessKey}` }).click();
    await question.getByRole('button', { name: 'Deactivate key' }).click();
    await page.getByText(`Access key ${accessKey} of alice deactivated.`).waitFor();
    // The console offers no way to act on a key that is not listed: ask the gateway as it would.
    const refused = await page.evaluate(async () => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation { activateAkSk(accessKey: "0123456789abcdef0123456789abcdef") { accessKey } }' }),
      });
      return ((await response.json()) as { errors?: Array<{ extensions: { code: string } }> }).errors?.[0]?.extensions.code;
    });
    expect(refused).toMatch(/^[A-Z_]+$/);
    await page.getByRole('button', { name: "History of alice's keys" }).click();
    const dialog = page.getByRole('dialog', { name: "History of alice's keys" });
    await dialog.locator('tr[data-event]').first().waitFor();
    const events = await dialog
      .locator('tr[data-event]')
      .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].slice(1).map((cell) => cell.textContent)));
    expect(events).toEqual([
      ['Activated', '0123456789abcdef0123456789abcdef', 'You', `Refused · ${refused}`],
      ['Deactivated', accessKey, 'You', 'Done'],
    ]);
    await checkScreen(page, 'history-desktop-refused');
    expect(problems).toEqual([]);
    await context.close();
  });
});
