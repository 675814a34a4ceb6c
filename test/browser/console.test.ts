import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Browser, Download, Page } from 'playwright-core';
import { DEMO_LOGINS, DEMO_PROJECTS, demoSeed, Seed } from '../../src/emulator/seed';
import { SESSION_COOKIE } from '../../src/auth/session-cookie';
import { dataOf, GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { recordSecrets } from '../support/log-audit';
import { aws4Client, operation } from '../support/sigv4-clients';
import { AuthTokenResult, LOGIN } from '../support/operations';
import {
  audit,
  axeSummary,
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
 * The web console end to end: Debian's headless Chromium driving the page the gateway serves at
 * /console, over the embedded emulator, as an admin and as a member, at 1280 and 360 px, by mouse
 * and by keyboard alone, in light and dark. Every screen is audited with axe-core (no serious or
 * critical violation allowed; the whole report goes to test-output/axe-report.json) and checked
 * for sideways scrolling. Screenshots go to test-output/screenshots/.
 */

const { admin, alice, carol } = DEMO_LOGINS;
const WRONG_PASSWORD = 'not-the-password';

jest.setTimeout(120_000);

describe('the web console in headless Chromium', () => {
  let harness: GatewayHarness;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/chromium.sh (npm test does).`);
    // The page is served from dist/console: build it from the sources under test.
    execFileSync(process.execPath, ['scripts/build-web.mjs', 'console'], { cwd: ROOT, stdio: 'inherit' });
    recordSecrets([admin.password, alice.password, WRONG_PASSWORD]);
    // alice starts with a pair in project admin, made outside the gateway where she has no role
    // (before she lost it, say): the gateway would refuse to make one there now.
    const seed: Seed = { ...demoSeed, akSks: [{ user: alice.name, project: DEMO_PROJECTS.admin }] };
    [harness, browser] = await Promise.all([startGatewayHarness({ seed }), launchChromium()]);
  });
  afterAll(async () => {
    process.stdout.write(`${axeSummary()}\n`);
    await browser?.close();
    await harness?.close();
  });

  async function signIn(page: Page, user: { name: string; password: string }): Promise<void> {
    await page.getByLabel('User name').fill(user.name);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** The axe audit and the sideways-scrolling check every screen must pass. */
  async function checkScreen(page: Page, screen: string): Promise<void> {
    await screenshot(page, screen);
    expect({ screen, serious: await audit(page, screen) }).toEqual({ screen, serious: [] });
    expect({ screen, scrollsSideways: await scrollsSideways(page) }).toEqual({ screen, scrollsSideways: false });
  }

  function group(page: Page, user: string) {
    return page.locator(`tbody[data-user="${user}"]`);
  }

  async function downloaded(page: Page, button: string, user: string): Promise<{ download: Download; text: string }> {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      group(page, user).getByRole('button', { name: button }).click(),
    ]);
    return { download, text: readFileSync(await download.path(), 'utf8') };
  }

  /** An admin token over the API, to set up pairs the console must then show. */
  async function adminToken(): Promise<string> {
    const token = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, {
        input: { username: admin.name, password: admin.password, scope: { projectName: 'admin' } },
      }),
    ).login.token;
    recordSecrets([token]);
    return token;
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

  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ])(
    'takes an admin (%s) through sign-in, keys, creation, the lifecycle, filters, downloads, deletion and sign-out',
    async (size, viewport) => {
      const { context, page, problems } = await openConsole(browser, harness.gateway.url, { viewport });
      const name = (step: string) => `admin-${size}-${step}`;
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await checkScreen(page, name('01-sign-in'));

      // A wrong password is told in words.
      await signIn(page, { name: admin.name, password: WRONG_PASSWORD });
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toBe('The user name, password or domain is not correct.');
      expect(await page.locator('body').textContent()).not.toMatch(/UNAUTHENTICATED|[A-Z]+_[A-Z]+/);
      await checkScreen(page, name('02-sign-in-error'));

      // admin has a role in one project only: no chooser, straight to the keys, no "Switch project".
      await signIn(page, admin);
      await page.getByRole('heading', { name: 'Access keys' }).waitFor();
      await page.locator('#results:not([aria-busy])').waitFor();
      const cookie = (await context.cookies()).find((candidate) => candidate.name === SESSION_COOKIE);
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
      recordSecrets([cookie?.value]);
      expect(await page.evaluate('document.cookie')).not.toContain(SESSION_COOKIE);
      expect(await page.getByRole('button', { name: 'Switch project' }).count()).toBe(0);
      expect(await page.locator('.lead').first().textContent()).toContain('New keys are created in project admin');
      expect(
        await page.locator('tbody[data-user]').evaluateAll((groups) => groups.map((g) => g.getAttribute('data-user'))),
      ).toEqual(['admin', 'aksk-service', 'alice', 'bob', 'carol']);
      expect(await page.locator('#summary').textContent()).toBe('Users 1–5 of 5. Keys in all projects.');
      // alice's pair made outside the gateway (in the seed): named, ACTIVE, no gateway metadata.
      const seeded = group(page, 'alice').locator('tr[data-access-key]');
      expect(await seeded.count()).toBe(1);
      const seededKey = (await seeded.getAttribute('data-access-key'))!;
      expect(await seeded.locator('td[data-label="Project"]').textContent()).toBe('admin');
      expect(await seeded.locator('td[data-label="Status"]').textContent()).toBe('Active');
      expect(await seeded.locator('td[data-label="Expires"]').textContent()).toBe('Never');
      expect(await seeded.locator('.description').textContent()).toBe('No description');
      await checkScreen(page, name('03-keys'));

      // carol works in no project: the gateway would refuse any key for her, so none is offered.
      await group(page, 'carol').getByRole('button', { name: 'Create key for carol' }).click();
      const nowhere = page.getByRole('alertdialog');
      await nowhere.waitFor();
      expect(await nowhere.textContent()).toContain('the gateway refuses a key for carol anywhere');
      expect(await nowhere.getByRole('button', { name: 'Create key' }).count()).toBe(0);
      await checkScreen(page, name('04-no-project-for-carol'));
      await nowhere.getByRole('button', { name: 'Close' }).click();
      await nowhere.waitFor({ state: 'detached' });

      // alice has no role in admin, where the admin works: a warning, and the key goes to demo,
      // her project, never to admin. Cancelling makes nothing.
      const ask = page.getByRole('dialog', { name: 'New access key for alice' });
      await group(page, 'alice').getByRole('button', { name: 'Create key for alice' }).click();
      await ask.waitFor();
      expect(await ask.locator('.notice.warning').textContent()).toContain(
        'alice has no role in admin, the project you work in, and the gateway refuses a key there',
      );
      expect(await ask.locator('.fixed-field').textContent()).toBe('Project: demo');
      await checkScreen(page, name('05-new-key-form'));
      await ask.getByRole('button', { name: 'Cancel' }).click();
      await ask.waitFor({ state: 'detached' });
      expect(await group(page, 'alice').locator('tr[data-access-key]').count()).toBe(1);

      // With a description and an expiry in 90 days.
      await group(page, 'alice').getByRole('button', { name: 'Create key for alice' }).click();
      await ask.getByLabel('Description (optional)').fill('CI deploys');
      await ask.getByLabel('Expires').selectOption({ label: 'In 90 days' });
      await ask.getByRole('button', { name: 'Create key' }).click();
      const dialog = page.locator('dialog#new-key');
      await dialog.waitFor();
      expect(await dialog.locator('.lead').textContent()).toBe('Created for alice in project demo.');
      expect(await dialog.locator('.notice.warning').textContent()).toContain('This is the only time the secret key is shown');
      const accessKey = (await dialog.locator('#access-key').textContent())!;
      const secretKey = (await dialog.locator('#secret-key').textContent())!;
      recordSecrets([secretKey]);
      expect(accessKey).toMatch(/^[0-9A-Za-z]{16}$/);
      expect(secretKey).toMatch(/^[0-9A-Za-z]{32}$/);
      await dialog.getByRole('button', { name: 'Copy secret key' }).click();
      await dialog.locator('.copy-status', { hasText: 'Copied' }).waitFor();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secretKey);
      // "Test this key", while the secret is at hand: Keystone accepts it, for alice in demo.
      await dialog.getByRole('button', { name: 'Test this key' }).click();
      await dialog.locator('.test-result .notice.success').waitFor();
      expect(await dialog.locator('.test-result').textContent()).toBe(
        'This key works: Keystone accepts requests signed with it, for alice in project demo.',
      );

      // Neither a click beside it nor Escape closes it: it says what to do instead.
      const reminder = dialog.locator('.reminder');
      expect(await reminder.textContent()).toBe('');
      await page.mouse.click(2, viewport.height - 2);
      await reminder.getByText('has not been confirmed as stored').waitFor();
      await page.keyboard.press('Escape');
      expect(await dialog.isVisible()).toBe(true);
      expect(await focusedText(page)).toBe('I have stored the secret key');
      await checkScreen(page, name('06-new-key'));
      await dialog.getByRole('button', { name: 'I have stored the secret key' }).click();
      await dialog.waitFor({ state: 'detached' });

      // The list names the project, shows the description, status and dates, never the secret.
      const row = group(page, 'alice').locator(`tr[data-access-key="${accessKey}"]`);
      await row.waitFor();
      expect(await row.locator('td[data-label="Project"]').textContent()).toBe('demo');
      expect(await row.locator('.description').textContent()).toBe('CI deploys');
      expect(await row.locator('td[data-label="Status"]').textContent()).toBe('Active');
      const created = new Date((await row.locator('td[data-label="Created"] time').getAttribute('datetime'))!);
      const expires = new Date((await row.locator('td[data-label="Expires"] time').getAttribute('datetime'))!);
      expect(Math.round((expires.getTime() - created.getTime()) / 86_400_000)).toBe(90);
      expect(await page.content()).not.toContain(secretKey);
      // The success message clears itself.
      const success = page.getByText(`Access key ${accessKey} created for alice in project demo.`);
      await success.waitFor();
      await success.waitFor({ state: 'detached', timeout: 20_000 });
      expect(await row.locator('td[data-label="Last used"]').textContent()).toBe('Not yet');

      // A request signed with the pair (by aws4, as a program would) shows as its last use.
      const signed = await aws4Client(
        `${harness.gateway.url}/graphql`,
        { accessKey, secretKey },
        operation('{ viewer { user { name } } }'),
      );
      expect(signed.data).toEqual({ viewer: { user: { name: 'alice' } } });
      // The use is recorded off the request's path: reload until the list shows it.
      const lastUsed = row.locator('td[data-label="Last used"] time');
      for (let reload = 0; reload < 20 && (await lastUsed.count()) === 0; reload++) {
        await page.reload();
        await page.locator('#results:not([aria-busy])').waitFor();
      }
      expect(await lastUsed.count()).toBe(1);

      // Should a create reach the gateway for a project where alice has no role anyway (here the
      // request is rewritten on its way), the gateway's refusal is shown in its own words.
      const adminProjectId = (await projectIds(await adminToken())).admin;
      await page.route('**/graphql', async (route) => {
        const body = route.request().postData() ?? '';
        if (!body.includes('createAkSk')) return route.continue();
        const request = JSON.parse(body) as { variables: { input: { projectId: string } } };
        request.variables.input.projectId = adminProjectId;
        return route.continue({ postData: JSON.stringify(request) });
      });
      await group(page, 'alice').getByRole('button', { name: 'Create key for alice' }).click();
      await ask.getByRole('button', { name: 'Create key' }).click();
      const refusal = page.locator('#flash').getByRole('alert');
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain(
        'The gateway did not accept this, so the console could not create the access key: The user has no role on that project',
      );
      await page.unroute('**/graphql');
      expect(await group(page, 'alice').locator('tr[data-access-key]').count()).toBe(2);
      await checkScreen(page, name('07-gateway-refusal'));
      await refusal.getByRole('button', { name: 'Dismiss this message' }).click();

      // Edit: the description, and the expiry cleared.
      await row.getByRole('button', { name: `Edit ${accessKey}` }).click();
      const edit = page.getByRole('dialog', { name: 'Edit access key' });
      await edit.waitFor();
      expect(await edit.getByLabel('Description').inputValue()).toBe('CI deploys');
      await edit.getByLabel('Description').fill('CI deploys (production)');
      await edit.getByLabel('Expires').selectOption({ label: 'Never' });
      await checkScreen(page, name('08-edit'));
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText(`Access key ${accessKey} of alice saved.`).waitFor();
      await row.locator('.description', { hasText: 'CI deploys (production)' }).waitFor();
      expect(await row.locator('td[data-label="Expires"]').textContent()).toBe('Never');

      // Deactivate (a confirmation that can be declined), then activate again.
      await row.getByRole('button', { name: `Deactivate ${accessKey}` }).click();
      const question = page.getByRole('alertdialog');
      await question.waitFor();
      expect(await question.textContent()).toContain('will stop working at once');
      await question.getByRole('button', { name: 'Cancel' }).click();
      await question.waitFor({ state: 'detached' });
      expect(await row.locator('td[data-label="Status"]').textContent()).toBe('Active');
      await row.getByRole('button', { name: `Deactivate ${accessKey}` }).click();
      await checkScreen(page, name('09-confirm-deactivate'));
      await question.getByRole('button', { name: 'Deactivate key' }).click();
      await page.getByText(`Access key ${accessKey} of alice deactivated.`).waitFor();
      await row.locator('td[data-label="Status"]', { hasText: 'Inactive' }).waitFor();
      await checkScreen(page, name('10-inactive'));
      await row.getByRole('button', { name: `Activate ${accessKey}` }).click();
      await question.getByRole('button', { name: 'Activate key' }).click();
      await page.getByText(`Access key ${accessKey} of alice activated.`).waitFor();
      await row.locator('td[data-label="Status"]', { hasText: 'Active' }).waitFor();

      // The project filter: only demo's keys, and what the others hold said in words.
      await page.getByLabel('Project', { exact: true }).selectOption({ label: 'demo' });
      await page.getByText('Only keys in project demo.').waitFor();
      expect(await group(page, 'alice').locator('tr[data-access-key]').count()).toBe(1);
      expect(await group(page, 'alice').textContent()).toContain('1 of 2 keys shown');
      expect(await group(page, 'admin').textContent()).toContain('No access keys yet.');
      await checkScreen(page, name('11-filtered-by-project'));
      await page.getByLabel('Project', { exact: true }).selectOption({ label: 'All projects' });
      await page.getByText('Keys in all projects.').waitFor();

      // Downloads in every format the schema offers: plain links to single-use URLs; the files hold both pairs.
      const json = await downloaded(page, 'Download JSON', 'alice');
      expect(json.download.suggestedFilename()).toMatch(/\.json$/);
      const pairs = JSON.parse(json.text) as Array<{ blob: { access_key: string; secret_key: string } }>;
      expect(pairs.map((pair) => pair.blob.access_key).sort()).toEqual([accessKey, seededKey].sort());
      expect(pairs.find((pair) => pair.blob.access_key === accessKey)?.blob.secret_key).toBe(secretKey);
      const csv = await downloaded(page, 'Download CSV', 'alice');
      expect(csv.download.suggestedFilename()).toMatch(/\.csv$/);
      const lines = csv.text.trim().split(/\r?\n/);
      expect(lines[0]).toBe('user_id,project_id,type,access_key,secret_key');
      expect(
        lines
          .slice(1)
          .map((line) => line.split(',')[3])
          .sort(),
      ).toEqual([accessKey, seededKey].sort());
      expect(lines.some((line) => line.endsWith(`,${accessKey},${secretKey}`))).toBe(true);

      // Search, and the "only users with keys" filter with its empty state.
      await page.getByLabel('Search users').fill('ALI');
      await page.getByLabel('Search users').press('Enter');
      await page.getByText('Users 1–1 of 1 whose name contains “ALI”.', { exact: false }).waitFor();
      await page.getByLabel('Search users').fill('nobody');
      await page.getByLabel('Search users').press('Enter');
      await page.getByText('No user name contains “nobody”.').waitFor();
      await checkScreen(page, name('12-no-match'));
      await page.getByRole('button', { name: 'Clear the search and filters' }).click();
      await page.getByLabel('Only users with keys').check();
      await page
        .getByText('Users with keys 1–1 of 1.', { exact: false })
        .waitFor()
        .catch(async (error: unknown) => {
          throw new Error(`${String(error)}; the summary reads: ${await page.locator('#summary').textContent()}`);
        });
      expect(
        await page.locator('tbody[data-user]').evaluateAll((groups) => groups.map((g) => g.getAttribute('data-user'))),
      ).toEqual(['alice']);
      await page.getByLabel('Only users with keys').uncheck();
      await page.getByText('Users 1–5 of 5.', { exact: false }).waitFor();

      // Rotate: a confirmation, then the new pair's secret once (testable), the old pair inactive but kept.
      await row.getByRole('button', { name: `Rotate ${accessKey}` }).click();
      await question.waitFor();
      expect(await question.textContent()).toContain('is switched off at once');
      await checkScreen(page, name('13-confirm-rotate'));
      await question.getByRole('button', { name: 'Rotate key' }).click();
      await dialog.waitFor();
      expect(await dialog.locator('.lead').textContent()).toBe(`Replaces ${accessKey} of alice, now inactive.`);
      const rotatedKey = (await dialog.locator('#access-key').textContent())!;
      recordSecrets([(await dialog.locator('#secret-key').textContent())!]);
      await dialog.getByRole('button', { name: 'Test this key' }).click();
      await dialog.locator('.test-result .notice.success').waitFor();
      await dialog.getByRole('button', { name: 'I have stored the secret key' }).click();
      await dialog.waitFor({ state: 'detached' });
      const rotatedRow = group(page, 'alice').locator(`tr[data-access-key="${rotatedKey}"]`);
      await rotatedRow.waitFor();
      expect(await rotatedRow.locator('td[data-label="Status"]').textContent()).toBe('Active');
      expect(await rotatedRow.locator('.description').textContent()).toBe('CI deploys (production)');
      expect(await rotatedRow.locator('td[data-label="Project"]').textContent()).toBe('demo');
      expect(await row.locator('td[data-label="Status"]').textContent()).toBe('Inactive');
      await checkScreen(page, name('14-rotated'));

      // Delete the rotated-out pair, after a confirmation that names its project.
      await row.getByRole('button', { name: `Delete ${accessKey}` }).click();
      await question.waitFor();
      expect(await question.textContent()).toContain(`${accessKey} of alice, in project demo, will stop working`);
      await question.getByRole('button', { name: 'Delete key' }).click();
      await page.getByText(`Access key ${accessKey} of alice deleted.`).waitFor();

      // "Delete shown" under the demo filter lists exactly what goes; the seeded pair stays.
      await page.getByLabel('Project', { exact: true }).selectOption({ label: 'demo' });
      await page.getByText('Only keys in project demo.').waitFor();
      await group(page, 'alice').getByRole('button', { name: 'Delete shown keys of alice (1)' }).click();
      await question.waitFor();
      expect(await question.locator('.delete-list li').allTextContents()).toEqual([`${rotatedKey} in project demo`]);
      expect(await question.textContent()).toContain('1 other key of alice, in projects not shown, stay.');
      await checkScreen(page, name('15-confirm-delete-shown'));
      await question.getByRole('button', { name: 'Delete 1 key' }).click();
      await page.getByText('Deleted 1 access key of alice.').waitFor();
      await page.getByLabel('Project', { exact: true }).selectOption({ label: 'All projects' });
      await page.getByText('Keys in all projects.').waitFor();
      expect(
        await group(page, 'alice')
          .locator('tr[data-access-key]')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-access-key'))),
      ).toEqual([seededKey]);

      // Sign out: back to the form, the cookie gone, and a reload stays signed out.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByText('You have signed out.').waitFor();
      expect((await context.cookies()).some((candidate) => candidate.name === SESSION_COOKIE)).toBe(false);
      await checkScreen(page, name('16-signed-out'));
      await page.reload();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect(problems).toEqual([]);
      await context.close();
    },
  );

  async function projectIds(token: string): Promise<Record<string, string>> {
    const projects = dataOf(
      await harness.graphql<{ projects: Array<{ id: string; name: string }> }>('{ projects { id name } }', {}, { token }),
    );
    const ids: Record<string, string> = Object.fromEntries(projects.projects.map((project) => [project.name, project.id]));
    // The admin has no role in demo; its id comes from a member's token.
    const member = dataOf(
      await harness.graphql<{ login: AuthTokenResult }>(LOGIN, { input: { username: alice.name, password: alice.password } }),
    ).login;
    recordSecrets([member.token]);
    return { ...ids, demo: member.project!.id };
  }

  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ])('shows a member (%s) only their own keys, with projects by name or "another project"', async (size, viewport) => {
    recordSecrets([carol.password]);
    const { context, page, problems } = await openConsole(browser, harness.gateway.url, { viewport });
    const name = (step: string) => `member-${size}-${step}`;
    // carol has no project at all: she is told so, and what to do.
    await signIn(page, carol);
    await page.getByRole('heading', { name: 'Choose a project' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Ask an administrator to give you one');
    await checkScreen(page, name('01-no-project'));
    await page.getByRole('button', { name: 'Sign out' }).click();

    // alice's token is scoped to her default project at sign-in: no chooser.
    await signIn(page, alice);
    await page.getByRole('heading', { name: 'Access keys' }).waitFor();
    await page.locator('#results:not([aria-busy])').waitFor();
    recordSecrets((await context.cookies()).map((cookie) => cookie.value));
    expect(
      await page.locator('tbody[data-user]').evaluateAll((groups) => groups.map((g) => g.getAttribute('data-user'))),
    ).toEqual(['alice']);
    expect(await page.locator('.lead').first().textContent()).toContain('You manage your own keys.');
    expect(await page.getByLabel('Search users').count()).toBe(0);

    // Her pair in project admin (seeded: made before she lost her role there, say) reads "another project".
    const seeded = group(page, 'alice').locator('tr[data-access-key]');
    expect(await seeded.count()).toBe(1);
    expect(await seeded.locator('td[data-label="Project"]').textContent()).toBe('another project');
    expect(await page.locator('body').innerText()).not.toMatch(/[0-9a-f]{32}/);

    // Her own key: no role warning (she works in her own project), the project named, no chooser.
    await group(page, 'alice').getByRole('button', { name: 'Create key for alice' }).click();
    const ask = page.getByRole('dialog', { name: 'New access key for alice' });
    await ask.waitFor();
    expect(await ask.locator('.notice.warning').count()).toBe(0);
    expect(await ask.locator('.fixed-field').textContent()).toBe('Project: demo');
    await ask.getByLabel('Description (optional)').fill('laptop');
    await ask.getByLabel('Expires').selectOption({ label: 'On a date…' });
    // A day in the past is refused in the dialog, before anything is sent.
    await ask.getByLabel('Last day it works').fill('2001-01-01');
    await ask.getByRole('button', { name: 'Create key' }).click();
    await ask.getByText('Choose a day after today.').waitFor();
    const inAYear = new Date(Date.now() + 365 * 86_400_000);
    const day = `${inAYear.getFullYear()}-${String(inAYear.getMonth() + 1).padStart(2, '0')}-${String(inAYear.getDate()).padStart(2, '0')}`;
    await ask.getByLabel('Last day it works').fill(day);
    await ask.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.locator('dialog#new-key');
    await dialog.waitFor();
    const secretKey = (await dialog.locator('#secret-key').textContent())!;
    recordSecrets([secretKey]);
    const accessKey = (await dialog.locator('#access-key').textContent())!;
    expect(await dialog.locator('.lead').textContent()).toBe('Created for alice in project demo.');
    await dialog.getByRole('button', { name: 'I have stored the secret key' }).click();
    const row = group(page, 'alice').locator(`tr[data-access-key="${accessKey}"]`);
    await row.locator('td[data-label="Project"]').filter({ hasText: 'demo' }).waitFor();
    const expires = new Date((await row.locator('td[data-label="Expires"] time').getAttribute('datetime'))!);
    expect(expires.getDate()).toBe(inAYear.getDate());
    expect(await row.locator('.description').textContent()).toBe('laptop');
    await checkScreen(page, name('02-keys'));

    // "Test" on a listed key asks for its secret: a wrong one is refused, the right one works.
    await row.getByRole('button', { name: `Test ${accessKey}` }).click();
    const test = page.getByRole('dialog', { name: 'Test this access key' });
    await test.waitFor();
    await test.getByLabel('Secret key').fill(WRONG_PASSWORD);
    await test.getByRole('button', { name: 'Test key' }).click();
    await test.locator('.test-result').getByText('This key does not work.', { exact: false }).waitFor();
    expect(await test.locator('.test-result').textContent()).toContain('it is not the secret of this access key');
    await test.getByLabel('Secret key').fill(secretKey);
    await test.getByRole('button', { name: 'Test key' }).click();
    await test.locator('.test-result').getByText('This key works', { exact: false }).waitFor();
    await checkScreen(page, name('03-test-key'));
    await test.getByRole('button', { name: 'Cancel' }).click();
    await test.waitFor({ state: 'detached' });

    // The seeded pair's project is one she cannot see: the filter says so.
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Other projects' });
    await page.getByText('Only keys in projects you cannot see.').waitFor();
    expect(await group(page, 'alice').locator('tr[data-access-key]').count()).toBe(1);
    await checkScreen(page, name('04-other-projects'));

    // A session that ends elsewhere sends the person back to sign in, in words.
    await context.clearCookies();
    await group(page, 'alice').getByRole('button', { name: 'Create key for alice' }).click();
    await ask.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toBe('Your session has ended. Please sign in again.');
    expect(problems).toEqual([]);
    await context.close();

    // Leave alice as she was for the other tests.
    dataOf(
      await harness.graphql(
        'mutation ($k: String!) { deleteAkSkByAccessKey(accessKey: $k) { accessKey } }',
        { k: accessKey },
        { token: await adminToken() },
      ),
    );
  });

  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ])(
    'works by keyboard alone (%s): sign in, search, create, test and confirm the secret, deactivate, delete, sign out',
    async (size, viewport) => {
      const { context, page, problems } = await openConsole(browser, harness.gateway.url, { viewport });
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      // Focus starts in the user name field; Tab moves on, Enter submits.
      expect(await page.evaluate('document.activeElement.id')).toBe('username');
      await page.keyboard.type(admin.name);
      await page.keyboard.press('Tab');
      await page.keyboard.type(admin.password);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Access keys' }).waitFor();
      await page.locator('#results:not([aria-busy])').waitFor();
      recordSecrets((await context.cookies()).map((cookie) => cookie.value));

      await tabTo(page, page.locator('input#search'));
      await page.keyboard.type('bob');
      await page.keyboard.press('Enter');
      await page.getByText('Users 1–1 of 1 whose name contains “bob”.', { exact: false }).waitFor();

      await tabTo(page, page.getByRole('button', { name: 'Create key for bob' }));
      await page.keyboard.press('Enter');
      // bob works in demo, not in admin: the form says so and focus starts in the description.
      const ask = page.getByRole('dialog', { name: 'New access key for bob' });
      await ask.waitFor();
      expect(await ask.locator('.fixed-field').textContent()).toBe('Project: demo');
      expect(await page.evaluate('document.activeElement.id')).toBe('new-key-description');
      await page.keyboard.type('typed by keyboard');
      await page.keyboard.press('Tab');
      await page.keyboard.press('ArrowDown'); // Expires: "In 30 days"
      expect(await ask.getByLabel('Expires').inputValue()).toBe('30');
      // Enter in a text field submits the form (on a select it would only open the list).
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter');
      const dialog = page.locator('dialog#new-key');
      await dialog.waitFor();
      const secretKey = (await dialog.locator('#secret-key').textContent())!;
      recordSecrets([secretKey]);
      const accessKey = (await dialog.locator('#access-key').textContent())!;
      expect(await focusedText(page)).toBe('I have stored the secret key');
      await page.keyboard.press('Escape');
      await dialog.getByRole('alert').getByText('has not been confirmed as stored').waitFor();
      expect(await focusedText(page)).toBe('I have stored the secret key');
      // Test the key from the keyboard, then confirm.
      await tabTo(page, dialog.getByRole('button', { name: 'Test this key' }), { backwards: true });
      await page.keyboard.press('Enter');
      await dialog.locator('.test-result').getByText('This key works', { exact: false }).waitFor();
      await screenshot(page, `keyboard-${size}-secret-escape`);
      await tabTo(page, dialog.getByRole('button', { name: 'I have stored the secret key' }));
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      // Focus comes back to the same user, not the top of the page.
      expect(await focusedText(page)).toBe('Create key for bob');
      const row = group(page, 'bob').locator(`tr[data-access-key="${accessKey}"]`);
      expect(await row.locator('.description').textContent()).toBe('typed by keyboard');
      expect(await row.locator('td[data-label="Expires"] time').count()).toBe(1);

      // Deactivate by keyboard: the confirmation starts on Cancel, Tab reaches the action.
      await tabTo(page, page.getByRole('button', { name: `Deactivate ${accessKey}` }));
      await page.keyboard.press('Enter');
      const confirm = page.getByRole('alertdialog');
      await confirm.waitFor();
      expect(await focusedText(page)).toBe('Cancel');
      await page.keyboard.press('Tab');
      expect(await focusedText(page)).toBe('Deactivate key');
      await page.keyboard.press('Enter');
      await row.locator('td[data-label="Status"]', { hasText: 'Inactive' }).waitFor();

      // Delete: Escape declines, Enter on the action confirms.
      await tabTo(page, page.getByRole('button', { name: `Delete ${accessKey}` }));
      await page.keyboard.press('Space');
      await confirm.waitFor();
      await page.keyboard.press('Escape');
      await confirm.waitFor({ state: 'detached' });
      expect(await row.count()).toBe(1);
      await tabTo(page, page.getByRole('button', { name: `Delete ${accessKey}` }));
      await page.keyboard.press('Enter');
      await confirm.waitFor();
      await page.keyboard.press('Tab');
      expect(await focusedText(page)).toBe('Delete key');
      await page.keyboard.press('Enter');
      await page.getByText(`Access key ${accessKey} of bob deleted.`).waitFor();

      await tabTo(page, page.getByRole('button', { name: 'Sign out' }), { backwards: true });
      await page.keyboard.press('Enter');
      await page.getByText('You have signed out.').waitFor();
      expect(problems).toEqual([]);
      await context.close();
    },
  );

  it('respects prefers-color-scheme: dark, with AA contrast', async () => {
    const { context, page, problems } = await openConsole(browser, harness.gateway.url, { colorScheme: 'dark' });
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const background = await page.evaluate('getComputedStyle(document.documentElement).backgroundColor');
    expect(background).toBe('rgb(15, 20, 27)');
    await checkScreen(page, 'dark-01-sign-in');
    await signIn(page, admin);
    await page.locator('#results:not([aria-busy])').waitFor();
    recordSecrets((await context.cookies()).map((cookie) => cookie.value));
    await checkScreen(page, 'dark-02-keys');
    await group(page, 'admin').getByRole('button', { name: 'Create key for admin' }).click();
    await page.getByRole('dialog', { name: 'New access key for admin' }).waitFor();
    await checkScreen(page, 'dark-03-new-key-form');
    await page.getByRole('button', { name: 'Create key', exact: true }).click();
    const dialog = page.locator('dialog#new-key');
    await dialog.waitFor();
    recordSecrets([(await dialog.locator('#secret-key').textContent())!]);
    await checkScreen(page, 'dark-04-new-key');
    await dialog.getByRole('button', { name: 'I have stored the secret key' }).click();
    await group(page, 'admin').getByRole('button', { name: 'Delete all keys of admin' }).click();
    await page.getByRole('alertdialog').waitFor();
    await checkScreen(page, 'dark-05-confirm');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete 1 key' }).click();
    await page.getByText('Deleted 1 access key of admin.').waitFor();
    await checkScreen(page, 'dark-06-deleted');
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
