import { Kind, parse } from 'graphql';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { DEMO_LOGINS } from '../../src/emulator/seed';
import { GatewayHarness, startGatewayHarness } from '../support/gateway-harness';
import { recordSecrets } from '../support/log-audit';

/**
 * The offline GraphQL explorer end to end: Debian's headless Chromium on a machine with no
 * internet opens /graphql, reads the docs of Mutation.login, runs login with variables, puts the
 * token in the headers editor, creates a pair and reads it back with akSk. Every request the page
 * makes must go to the gateway. Screenshots go to test-output/screenshots/explorer-*.png.
 */

const ROOT = join(__dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, 'test-output/screenshots');
const { admin } = DEMO_LOGINS;

jest.setTimeout(90_000);

describe('the GraphiQL explorer in headless Chromium', () => {
  let harness: GatewayHarness;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/chromium.sh (npm test does).`);
    // The page is served from dist/explorer: build it from the sources under test.
    execFileSync(process.execPath, ['scripts/build-web.mjs', 'explorer'], { cwd: ROOT, stdio: 'inherit' });
    mkdirSync(SCREENSHOTS, { recursive: true });
    recordSecrets([admin.password]);
    [harness, browser] = await Promise.all([
      startGatewayHarness(),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
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

  async function screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `explorer-${name}.png`) });
  }

  /** Replaces the text of a CodeMirror editor by typing into it, as a user would. */
  async function typeInto(page: Page, editor: string, text: string): Promise<void> {
    const codeMirror = page.locator(`${editor} .CodeMirror >> visible=true`).first();
    await codeMirror.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    // insertText: no key events, so the editor's bracket auto-closing does not double braces.
    await page.keyboard.insertText(text);
    // CodeMirror reads its input on its own schedule: run nothing before it holds the text.
    await codeMirror.evaluate(
      (element, expected) =>
        new Promise<void>((resolve) => {
          const editorOf = element as unknown as { CodeMirror: { getValue(): string } };
          const check = () => (editorOf.CodeMirror.getValue() === expected ? resolve() : setTimeout(check, 10));
          check();
        }),
      text,
    );
    if (editor !== '.graphiql-query-editor') return;
    // GraphiQL parses the query (and picks the operation name it sends) on a debounce of its
    // own: a run before that sends the previous query's operation name.
    let document;
    try {
      document = parse(text);
    } catch {
      return; // a half-typed query (completion): nothing will be run
    }
    const names = document.definitions
      .map((definition) => (definition.kind === Kind.OPERATION_DEFINITION ? (definition.name?.value ?? '') : undefined))
      .filter((name) => name !== undefined);
    await codeMirror.evaluate(
      (element, expected) =>
        new Promise<void>((resolve) => {
          const editorOf = element as unknown as { CodeMirror: { operations?: Array<{ name?: { value: string } }> | null } };
          const current = () =>
            JSON.stringify((editorOf.CodeMirror.operations ?? []).map((operation) => operation.name?.value ?? ''));
          const check = () => (current() === expected ? resolve() : setTimeout(check, 10));
          check();
        }),
      JSON.stringify(names),
    );
  }

  /** The JSON in the response pane once it holds `field`. */
  async function responseWith(page: Page, field: string): Promise<Record<string, any>> {
    const pane = page.locator('.result-window .CodeMirror');
    await pane.filter({ hasText: `"${field}"` }).waitFor();
    const text = await pane.evaluate((element) =>
      (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue(),
    );
    return JSON.parse(text);
  }

  async function run(page: Page): Promise<void> {
    await page.locator('.graphiql-execute-button').click();
  }

  it("is served with a strict CSP, and its assets are the gateway's own", async () => {
    const response = await fetch(`${harness.gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    const page = await response.text();
    expect(page).toContain('data-console="/console/"');
    expect(page).not.toMatch(/https?:\/\//);
    const script = await fetch(`${harness.gateway.url}/graphql/explorer/explorer.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    // An operation in the query string is still an operation, even from a browser.
    const get = await fetch(`${harness.gateway.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'text/html,application/json', 'apollo-require-preflight': 'true' },
    });
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('shows the docs of Mutation.login, completes, runs login, then createAkSk and akSk with the token in the headers editor', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(`${harness.gateway.url}/`) && !url.startsWith('data:')) foreign.push(url);
    });

    await page.goto(`${harness.gateway.url}/graphql`);
    await page.locator('.graphiql-container').waitFor();
    await expect(page.getByRole('link', { name: 'Web console' }).getAttribute('href')).resolves.toBe('/console/');
    await screenshot(page, '1-opened');

    // Docs: Mutation, then login, and its description from the schema.
    await page.getByRole('button', { name: /documentation explorer/i }).click();
    await page.locator('.graphiql-doc-explorer').getByRole('link', { name: 'Mutation' }).click();
    await page.locator('.graphiql-doc-explorer').getByRole('link', { name: 'login', exact: true }).click();
    await page.locator('.graphiql-doc-explorer-title').filter({ hasText: 'login' }).waitFor();
    await page.getByText('Password login with Keystone.').first().waitFor();
    await screenshot(page, '2-docs-login');

    // Completion from the schema.
    await typeInto(page, '.graphiql-query-editor', '{ ');
    await page.keyboard.type('ak');
    await page.locator('.CodeMirror-hints').filter({ hasText: 'akSk' }).waitFor();
    await screenshot(page, '3-completion');
    await page.keyboard.press('Escape');

    // login with variables.
    await typeInto(
      page,
      '.graphiql-query-editor',
      'mutation Login($username: String!, $password: String!) {\n  login(input: { username: $username, password: $password, scope: { projectName: "admin" } }) {\n    token\n    user { id name }\n  }\n}',
    );
    await page.getByRole('button', { name: 'Variables', exact: true }).click();
    await typeInto(page, '.graphiql-editor-tool', JSON.stringify({ username: admin.name, password: admin.password }));
    await run(page);
    const login = (await responseWith(page, 'token')).data.login as { token: string; user: { id: string; name: string } };
    recordSecrets([login.token]);
    expect(login.user.name).toBe(admin.name);
    expect(login.token.length).toBeGreaterThan(10);
    await screenshot(page, '4-login');

    // The token into the headers editor; createAkSk, then akSk.
    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    await typeInto(page, '.graphiql-editor-tool', JSON.stringify({ 'X-Auth-Token': login.token }));
    await typeInto(
      page,
      '.graphiql-query-editor',
      `mutation { createAkSk(input: { userId: "${login.user.id}" }) { accessKey secretKey } }`,
    );
    await run(page);
    const created = (await responseWith(page, 'createAkSk')).data.createAkSk as { accessKey: string; secretKey: string };
    recordSecrets([created.secretKey]);

    await typeInto(page, '.graphiql-query-editor', `query { akSk(userId: "${login.user.id}") { accessKey projectId } }`);
    await run(page);
    const listed = (await responseWith(page, 'akSk')).data.akSk as Array<{ accessKey: string }>;
    expect(listed.map((pair) => pair.accessKey)).toContain(created.accessKey);
    await screenshot(page, '5-aksk');

    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
