import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Download, Page } from 'playwright-core';
import { DEMO_LOGINS } from '../../src/emulator/seed';
import { SESSION_COOKIE } from '../../src/auth/session-cookie';
import { GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { recordSecrets } from '../support/log-audit';

/**
 * The web console end to end: Debian's headless Chromium (scripts/chromium.sh installs it) driving
 * the page the gateway serves at /console, over the embedded emulator. Screenshots of the main
 * screens go to test-output/screenshots/.
 */

const ROOT = join(__dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, 'test-output/screenshots');
const { admin, alice } = DEMO_LOGINS;
const WRONG_PASSWORD = 'not-the-password';

jest.setTimeout(60_000);

describe('the web console in headless Chromium', () => {
  let harness: GatewayHarness;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/chromium.sh (npm test does).`);
    // The page is served from dist/console: build it from the sources under test.
    execFileSync(process.execPath, ['scripts/build-web.mjs', 'console'], { cwd: ROOT, stdio: 'inherit' });
    mkdirSync(SCREENSHOTS, { recursive: true });
    recordSecrets([admin.password, alice.password, WRONG_PASSWORD]);
    [harness, browser] = await Promise.all([
      startGatewayHarness(),
      chromium.launch({
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
      }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  /** Opens the console in a fresh context; `problems` collects page errors and console errors (CSP violations among them). */
  async function openConsole(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.gateway.url });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    await page.goto(`${harness.gateway.url}/console`);
    return { context, page, problems };
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  async function signIn(page: Page, user: { name: string; password: string }): Promise<void> {
    await page.getByLabel('User name').fill(user.name);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function downloaded(page: Page, button: string, user: string): Promise<{ download: Download; text: string }> {
    const group = page.locator(`tbody[data-user="${user}"]`);
    const [download] = await Promise.all([page.waitForEvent('download'), group.getByRole('button', { name: button }).click()]);
    const path = await download.path();
    return { download, text: readFileSync(path, 'utf8') };
  }

  it('is served with a strict CSP and safe headers, and nothing outside its folder', async () => {
    const redirect = await fetch(`${harness.gateway.url}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/console/');

    const page = await fetch(`${harness.gateway.url}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');

    const script = await fetch(`${harness.gateway.url}/console/js/console/main.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${harness.gateway.url}/console/console.css`)).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );

    for (const path of [
      '/console/..%2f..%2fpackage.json',
      '/console/%2e%2e/%2e%2e/package.json',
      '/console/js/',
      '/console/.hidden',
      '/console/nope.txt',
    ]) {
      expect([path, (await fetch(`${harness.gateway.url}${path}`)).status]).toEqual([path, 404]);
    }
    expect((await fetch(`${harness.gateway.url}/console/`, { method: 'POST' })).status).toBe(405);
  });

  it('takes an admin through sign-in, projects, keys, creation, downloads, deletion and sign-out', async () => {
    const { context, page, problems } = await openConsole();
    await expect(page.getByRole('heading', { name: 'Sign in' }).waitFor()).resolves.toBeUndefined();
    await screenshot(page, '01-sign-in');

    // A wrong password is told in words.
    await signIn(page, { name: admin.name, password: WRONG_PASSWORD });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('The user name, password or domain is not correct.');
    expect(await page.locator('body').textContent()).not.toMatch(/UNAUTHENTICATED|[A-Z]+_[A-Z]+/);
    await screenshot(page, '02-sign-in-error');

    // The session is an HttpOnly cookie: the page's scripts never see the token.
    await signIn(page, admin);
    await page.getByRole('heading', { name: 'Choose a project' }).waitFor();
    const cookie = (await context.cookies()).find((candidate) => candidate.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
    recordSecrets([cookie?.value]);
    expect(await page.evaluate('document.cookie')).not.toContain(SESSION_COOKIE);
    await screenshot(page, '03-projects');

    await page.locator('button[data-project="admin"]').click();
    await page.getByRole('heading', { name: 'Access keys' }).waitFor();
    expect(
      await page.locator('tbody[data-user]').evaluateAll((groups) => groups.map((group) => group.getAttribute('data-user'))),
    ).toEqual(['admin', 'aksk-service', 'alice', 'bob', 'carol']);
    await expect(page.locator('#account').textContent()).resolves.toContain('admin');
    await screenshot(page, '04-keys');

    // Create (for the admin itself: the gateway refuses a pair in a project where its user has
    // no role, and only the admin works in project admin): the secret is shown once, with a
    // warning and a copy button.
    const ownGroup = page.locator('tbody[data-user="admin"]');
    await ownGroup.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.locator('dialog#new-key');
    await dialog.waitFor();
    expect(await dialog.getByRole('status').textContent()).toContain('This is the only time the secret key is shown');
    const accessKey = (await dialog.locator('#access-key').textContent())!;
    const secretKey = (await dialog.locator('#secret-key').textContent())!;
    recordSecrets([secretKey]);
    expect(accessKey).toMatch(/^[0-9A-Za-z]{16}$/);
    expect(secretKey).toMatch(/^[0-9A-Za-z]{32}$/);
    await dialog.getByRole('button', { name: 'Copy secret key' }).click();
    await dialog.getByRole('button', { name: 'Copy secret key' }).filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secretKey);
    await screenshot(page, '05-new-key');
    await dialog.getByRole('button', { name: 'I have stored the secret key' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The table shows the access key, never the secret.
    await ownGroup.locator(`tr[data-access-key="${accessKey}"]`).waitFor();
    expect(await ownGroup.locator('.masked').count()).toBe(1);
    expect(await page.content()).not.toContain(secretKey);

    // A second pair, so that deleting one leaves one.
    await ownGroup.getByRole('button', { name: 'Create key' }).click();
    await dialog.waitFor();
    const secondAccessKey = (await dialog.locator('#access-key').textContent())!;
    const secondSecretKey = (await dialog.locator('#secret-key').textContent())!;
    recordSecrets([secondSecretKey]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await ownGroup.locator(`tr[data-access-key="${secondAccessKey}"]`).waitFor();
    await expect(page.getByText(`Access key ${secondAccessKey} created for admin.`).waitFor()).resolves.toBeUndefined();
    await screenshot(page, '06-keys-with-pairs');

    // Downloads: plain links to single-use URLs; the files hold both pairs.
    const json = await downloaded(page, 'Download JSON', 'admin');
    expect(json.download.suggestedFilename()).toMatch(/\.json$/);
    const pairs = JSON.parse(json.text) as Array<{ user_id: string; blob: { access_key: string; secret_key: string } }>;
    expect(pairs.map((pair) => pair.blob).sort((a, b) => a.access_key.localeCompare(b.access_key))).toEqual(
      [
        { access_key: accessKey, secret_key: secretKey },
        { access_key: secondAccessKey, secret_key: secondSecretKey },
      ].sort((a, b) => a.access_key.localeCompare(b.access_key)),
    );
    const csv = await downloaded(page, 'Download CSV', 'admin');
    expect(csv.download.suggestedFilename()).toMatch(/\.csv$/);
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0]).toBe('user_id,project_id,type,access_key,secret_key');
    expect(
      lines
        .slice(1)
        .map((line) => line.split(',').slice(3).join(','))
        .sort(),
    ).toEqual([`${accessKey},${secretKey}`, `${secondAccessKey},${secondSecretKey}`].sort());

    // Delete one pair, after a confirmation that can be declined.
    const firstRow = ownGroup.locator(`tr[data-access-key="${accessKey}"]`);
    await firstRow.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(accessKey);
    await screenshot(page, '07-confirm-delete');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await firstRow.count()).toBe(1);

    await firstRow.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete key' }).click();
    await page.getByText(`Access key ${accessKey} of admin deleted.`).waitFor();
    expect(await ownGroup.locator(`tr[data-access-key="${accessKey}"]`).count()).toBe(0);
    expect(await ownGroup.locator(`tr[data-access-key="${secondAccessKey}"]`).count()).toBe(1);

    // Delete every pair of the user.
    await ownGroup.getByRole('button', { name: 'Delete all' }).click();
    await confirm.getByRole('button', { name: 'Delete all keys' }).click();
    await page.getByText('Every access key of admin deleted.').waitFor();
    await ownGroup.getByText('No access keys yet.').waitFor();

    // Sign out: back to the form, the cookie gone, and a reload stays signed out.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    expect((await context.cookies()).some((candidate) => candidate.name === SESSION_COOKIE)).toBe(false);
    await screenshot(page, '08-signed-out');
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a member only their own keys', async () => {
    const { context, page, problems } = await openConsole();
    await signIn(page, alice);
    await page.locator('button[data-project="demo"]').click();
    await page.getByRole('heading', { name: 'Access keys' }).waitFor();
    recordSecrets((await context.cookies()).map((cookie) => cookie.value));
    expect(
      await page.locator('tbody[data-user]').evaluateAll((groups) => groups.map((group) => group.getAttribute('data-user'))),
    ).toEqual(['alice']);
    expect(await page.locator('.lead').first().textContent()).toContain('You manage your own keys.');
    await screenshot(page, '09-member');

    // A session that ends elsewhere sends the person back to sign in, in words.
    await context.clearCookies();
    await page.locator('tbody[data-user="alice"]').getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toBe('Your session has ended. Please sign in again.');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('is not served when CONSOLE_ENABLED=false', async () => {
    const off = await startGatewayHarness({ env: { CONSOLE_ENABLED: 'false' } });
    try {
      expect((await fetch(`${off.gateway.url}/console/`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
