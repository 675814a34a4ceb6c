/**
 * The reference web console: sign in, choose a project, manage AK/SK pairs. It speaks to the gateway
 * only through the generated client; the token lives in the HttpOnly session cookie, never here.
 */
import { createGatewayClient, GatewayClientError } from '../client/gateway-client.js';
import {
  CreateAkSkDocument,
  CreateAkSkDownloadLinkDocument,
  DeleteAkSkByAccessKeyDocument,
  DeleteAkSkDocument,
  LoginDocument,
  LogoutDocument,
  ProjectsDocument,
  ScopeTokenDocument,
  UserDocument,
  UsersDocument,
  ViewerDocument,
  type AkSkFileFormat,
  type CreateAkSkMutation,
  type ProjectsQuery,
  type UsersQuery,
  type ViewerQuery,
} from '../client/generated/graphql.js';
import { h, show } from './dom.js';
import { describeError, needsSignIn, type Action } from './messages.js';

type Viewer = ViewerQuery['viewer'];
type Project = ProjectsQuery['projects'][number];
type UserWithKeys = UsersQuery['users'][number];
type Pair = UserWithKeys['akSks'][number];
type NewPair = CreateAkSkMutation['createAkSk'];

interface Message {
  kind: 'error' | 'warning' | 'info' | 'success';
  text: string;
}

const client = createGatewayClient({ endpoint: '/graphql', credentials: 'same-origin' });
const app = element('app');
const account = element('account');
const flashArea = element('flash');
let viewer: Viewer | undefined;

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The page has no #${id}.`);
  return found;
}

// ---- screens -------------------------------------------------------------------------------

async function start(): Promise<void> {
  try {
    viewer = (await client.execute(ViewerDocument)).viewer;
  } catch (error) {
    showSignIn(needsSignIn(error) ? undefined : { kind: 'error', text: describeError(error, 'restore') });
    return;
  }
  if (viewer.project) await showKeys();
  else await showProjects();
}

function showSignIn(message?: Message): void {
  viewer = undefined;
  renderAccount();
  flash();
  document.title = 'Sign in · SODA access keys';
  const username = h('input', {
    id: 'username',
    name: 'username',
    autocomplete: 'username',
    required: true,
    spellcheck: 'false',
  });
  const password = h('input', {
    id: 'password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const domain = h('input', {
    id: 'domain',
    name: 'domain',
    value: 'Default',
    autocomplete: 'off',
    required: true,
    spellcheck: 'false',
  });
  const status = h('div', { class: 'form-status' }, message && notice(message));
  const submit = h('button', { type: 'submit', class: 'button primary wide' }, 'Sign in');

  const form = h(
    'form',
    {
      class: 'card narrow',
      'aria-labelledby': 'sign-in-title',
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        void busy(submit, 'Signing in…', async () => {
          if (!username.value.trim() || !password.value) {
            show(status, notice({ kind: 'error', text: 'Please enter your user name and password.' }));
            return;
          }
          try {
            await client.execute(LoginDocument, {
              input: {
                username: username.value.trim(),
                password: password.value,
                domain: domain.value.trim() || 'Default',
                session: true,
              },
            });
          } catch (error) {
            password.value = '';
            show(status, notice({ kind: 'error', text: describeError(error, 'sign-in') }));
            password.focus();
            return;
          }
          password.value = '';
          await showProjects();
        });
      },
    },
    h('h1', { id: 'sign-in-title' }, 'Sign in'),
    h('p', { class: 'lead' }, 'Use your OpenStack account to manage the access keys (AK/SK) that sign your SODA requests.'),
    status,
    field('User name', username),
    field('Password', password),
    field('Domain', domain, 'Usually “Default”.'),
    submit,
  );
  show(app, form);
  username.focus();
}

async function showProjects(message?: Message): Promise<void> {
  document.title = 'Choose a project · SODA access keys';
  show(app, loading('Loading your projects…'));
  let projects: Project[];
  try {
    const [who, list] = await Promise.all([client.execute(ViewerDocument), client.execute(ProjectsDocument)]);
    viewer = who.viewer;
    projects = [...list.projects].sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    fail(error, 'load');
    return;
  }
  renderAccount();
  flash(message);

  const status = h('div', { class: 'form-status' });
  const current = viewer.project?.id;
  const choices = projects.map((project) => {
    const button = h(
      'button',
      {
        type: 'button',
        class: `project${project.id === current ? ' current' : ''}`,
        disabled: project.enabled === false,
        'data-project': project.name,
        onclick: () => void chooseProject(project, button, status),
      },
      h('span', { class: 'project-name' }, project.name),
      h('span', { class: 'project-meta' }, `Domain ${project.domain.name}`),
      project.id === current && h('span', { class: 'badge' }, 'Current'),
      project.enabled === false && h('span', { class: 'badge muted' }, 'Disabled'),
    );
    return h('li', {}, button);
  });

  show(
    app,
    h(
      'section',
      { class: 'card narrow', 'aria-labelledby': 'projects-title' },
      h('h1', { id: 'projects-title' }, 'Choose a project'),
      h('p', { class: 'lead' }, 'Access keys are created in a project. Choose the one to work in; you can switch later.'),
      status,
      choices.length > 0
        ? h('ul', { class: 'projects' }, ...choices)
        : notice({ kind: 'info', text: 'Your account has no role in any project yet. Ask an administrator to give you one.' }),
    ),
  );
}

async function chooseProject(project: Project, button: HTMLButtonElement, status: HTMLElement): Promise<void> {
  await busy(button, `Opening ${project.name}…`, async () => {
    try {
      await client.execute(ScopeTokenDocument, { input: { projectId: project.id } });
    } catch (error) {
      if (error instanceof GatewayClientError && error.code === 'UNAUTHENTICATED') {
        // No role there, or the session is gone: the viewer query says which.
        try {
          await client.execute(ViewerDocument);
        } catch (again) {
          fail(again, 'choose-project');
          return;
        }
      }
      show(status, notice({ kind: 'error', text: describeError(error, 'choose-project') }));
      return;
    }
    await showKeys();
  });
}

async function showKeys(message?: Message): Promise<void> {
  let users: UserWithKeys[];
  try {
    viewer = (await client.execute(ViewerDocument)).viewer;
    if (!viewer.project) {
      await showProjects();
      return;
    }
    users = viewer.isAdmin
      ? [...(await client.execute(UsersDocument)).users].sort((a, b) => a.name.localeCompare(b.name))
      : [(await client.execute(UserDocument, { id: viewer.user.id })).user];
  } catch (error) {
    fail(error, 'load');
    return;
  }
  const me = viewer;
  const project = me.project!;
  document.title = `Access keys · ${project.name} · SODA access keys`;
  renderAccount();
  flash(message);

  const groups = users.map((user) => userGroup(user, project.name, user.id === me.user.id));
  show(
    app,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'keys-title' },
      h(
        'div',
        { class: 'card-header' },
        h('h1', { id: 'keys-title' }, 'Access keys'),
        h(
          'p',
          { class: 'lead' },
          'Project ',
          h('strong', {}, project.name),
          ` in domain ${project.domain.name}. `,
          me.isAdmin ? 'As an administrator, you manage the keys of every user.' : 'You manage your own keys.',
        ),
      ),
      h(
        'table',
        { class: 'keys' },
        h(
          'colgroup',
          {},
          h('col', { class: 'access-key-column' }),
          h('col', { class: 'secret-key-column' }),
          h('col', { class: 'project-column' }),
          h('col', {}),
        ),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Access key'),
            h('th', { scope: 'col' }, 'Secret key'),
            h('th', { scope: 'col' }, 'Project'),
            h('th', { scope: 'col', class: 'end' }, h('span', { class: 'visually-hidden' }, 'Actions')),
          ),
        ),
        ...groups,
      ),
      users.length === 0 && notice({ kind: 'info', text: 'There are no users to show.' }),
      h(
        'p',
        { class: 'footnote' },
        'Secret keys are never shown again after they are created. Downloads contain them, so keep downloaded files safe.',
      ),
    ),
  );
}

function userGroup(user: UserWithKeys, projectName: string, isMe: boolean): HTMLTableSectionElement {
  const keyCount = user.akSks.length === 1 ? '1 key' : `${user.akSks.length} keys`;
  const empty = user.akSks.length === 0;
  const actions = h(
    'div',
    { class: 'user-actions' },
    h(
      'button',
      {
        type: 'button',
        class: 'button primary-outline small',
        onclick: (event) => void createKey(user, event.currentTarget as HTMLButtonElement),
      },
      'Create key',
    ),
    h(
      'span',
      { class: 'segmented', role: 'group', 'aria-label': `Download the keys of ${user.name}` },
      h('span', { class: 'segmented-label', 'aria-hidden': 'true' }, 'Download'),
      ...(['JSON', 'CSV'] as const).map((format) =>
        h(
          'button',
          {
            type: 'button',
            class: 'button secondary small',
            'aria-label': `Download ${format}`,
            disabled: empty,
            onclick: (event) => void download(user, format, event.currentTarget as HTMLButtonElement),
          },
          format,
        ),
      ),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'button danger-outline small',
        disabled: empty,
        onclick: (event) => void deleteAll(user, event.currentTarget as HTMLButtonElement),
      },
      'Delete all',
    ),
  );
  const header = h(
    'tr',
    { class: 'user-row' },
    h(
      'th',
      { scope: 'rowgroup', colspan: '4' },
      h(
        'div',
        { class: 'user-line' },
        h(
          'div',
          { class: 'user-name' },
          h('span', { class: 'avatar', 'aria-hidden': 'true' }, user.name.slice(0, 1).toUpperCase()),
          h('span', {}, user.name),
          isMe && h('span', { class: 'badge' }, 'You'),
          h('span', { class: 'muted' }, `${user.domain.name} · ${keyCount}`),
        ),
        actions,
      ),
    ),
  );
  const rows = empty
    ? [h('tr', { class: 'empty' }, h('td', { colspan: '4' }, 'No access keys yet.'))]
    : user.akSks.map((pair) => pairRow(user, pair, projectName));
  return h('tbody', { 'data-user': user.name }, header, ...rows);
}

function pairRow(user: UserWithKeys, pair: Pair, projectName: string): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-access-key': pair.accessKey },
    h('td', {}, h('code', { class: 'access-key' }, pair.accessKey)),
    h(
      'td',
      {},
      h('span', { class: 'masked', title: 'Shown only once, when the key is created' }, '••••••••••••••••'),
      h('span', { class: 'visually-hidden' }, 'hidden'),
    ),
    h('td', {}, viewer?.project?.id === pair.projectId ? projectName : h('code', {}, pair.projectId)),
    h(
      'td',
      { class: 'end' },
      h(
        'button',
        {
          type: 'button',
          class: 'button danger-ghost small',
          onclick: (event) => void deletePair(user, pair, event.currentTarget as HTMLButtonElement),
        },
        'Delete',
      ),
    ),
  );
}

// ---- actions -------------------------------------------------------------------------------

async function createKey(user: UserWithKeys, button: HTMLButtonElement): Promise<void> {
  await busy(button, 'Creating…', async () => {
    let pair: NewPair;
    try {
      pair = (await client.execute(CreateAkSkDocument, { input: { userId: user.id } })).createAkSk;
    } catch (error) {
      fail(error, 'create');
      return;
    }
    const closed = showSecretOnce(user, pair);
    await showKeys({ kind: 'success', text: `Access key ${pair.accessKey} created for ${user.name}.` });
    await closed;
  });
}

async function download(user: UserWithKeys, format: AkSkFileFormat, button: HTMLButtonElement): Promise<void> {
  await busy(button, 'Preparing…', async () => {
    try {
      const link = (await client.execute(CreateAkSkDownloadLinkDocument, { userId: user.id, format })).createAkSkDownloadLink;
      // A plain link: the single-use URL carries no token, and the file comes as an attachment.
      const anchor = h('a', { href: link.url, hidden: true });
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      flash({
        kind: 'info',
        text: `Downloading the keys of ${user.name} as ${format}. The file holds secret keys: keep it safe.`,
      });
    } catch (error) {
      fail(error, 'download');
    }
  });
}

async function deletePair(user: UserWithKeys, pair: Pair, button: HTMLButtonElement): Promise<void> {
  const confirmed = await confirmDialog(
    'Delete this access key?',
    [
      `Access key `,
      h('code', {}, pair.accessKey),
      ` of ${user.name} will stop working at once. Programs that use it will be refused. This cannot be undone.`,
    ],
    'Delete key',
  );
  if (!confirmed) return;
  await busy(button, 'Deleting…', async () => {
    try {
      await client.execute(DeleteAkSkByAccessKeyDocument, { accessKey: pair.accessKey });
    } catch (error) {
      fail(error, 'delete');
      return;
    }
    await showKeys({ kind: 'success', text: `Access key ${pair.accessKey} of ${user.name} deleted.` });
  });
}

async function deleteAll(user: UserWithKeys, button: HTMLButtonElement): Promise<void> {
  const count = user.akSks.length === 1 ? 'its only access key' : `all ${user.akSks.length} of its access keys`;
  const confirmed = await confirmDialog(
    `Delete every key of ${user.name}?`,
    [`${user.name} will lose ${count}. Programs that use them will be refused. This cannot be undone.`],
    'Delete all keys',
  );
  if (!confirmed) return;
  await busy(button, 'Deleting…', async () => {
    try {
      await client.execute(DeleteAkSkDocument, { userId: user.id });
    } catch (error) {
      fail(error, 'delete');
      return;
    }
    await showKeys({ kind: 'success', text: `Every access key of ${user.name} deleted.` });
  });
}

async function signOut(button: HTMLButtonElement): Promise<void> {
  await busy(button, 'Signing out…', async () => {
    try {
      await client.execute(LogoutDocument);
    } catch (error) {
      if (!needsSignIn(error)) {
        flash({ kind: 'error', text: describeError(error, 'sign-out') });
        return;
      }
    }
    showSignIn({ kind: 'info', text: 'You have signed out.' });
  });
}

/** Shows a failure in words; a lost session goes back to the sign-in form, a vanished thing reloads the list. */
function fail(error: unknown, action: Action): void {
  const message: Message = { kind: 'error', text: describeError(error, action) };
  if (needsSignIn(error)) {
    showSignIn(message);
    return;
  }
  if (error instanceof GatewayClientError && error.code === 'NOT_FOUND' && viewer?.project) {
    void showKeys(message);
    return;
  }
  if (app.querySelector('.loading')) show(app);
  flash(message);
}

// ---- dialogs -------------------------------------------------------------------------------

/** The new pair's secret, shown this once with a copy button; it is dropped when the dialog closes. */
function showSecretOnce(user: UserWithKeys, pair: NewPair): Promise<void> {
  return new Promise((resolve) => {
    const done = h(
      'button',
      { type: 'button', class: 'button primary', onclick: () => dialog.close() },
      'I have stored the secret key',
    );
    const dialog = h(
      'dialog',
      { class: 'dialog', id: 'new-key', 'aria-labelledby': 'new-key-title' },
      h('h2', { id: 'new-key-title' }, 'New access key'),
      h('p', { class: 'lead' }, `Created for ${user.name} in project ${viewer?.project?.name ?? pair.projectId}.`),
      notice({
        kind: 'warning',
        text: 'This is the only time the secret key is shown. Copy it now and store it somewhere safe: it cannot be shown again. If it is lost, delete this key and create a new one.',
      }),
      copyField('Access key', 'access-key', pair.accessKey),
      copyField('Secret key', 'secret-key', pair.secretKey),
      h('div', { class: 'dialog-actions' }, done),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve();
    });
    document.body.append(dialog);
    dialog.showModal();
    done.focus();
  });
}

function copyField(label: string, id: string, value: string): HTMLElement {
  const text = h('code', { id, class: 'copy-value' }, value);
  const button = h(
    'button',
    { type: 'button', class: 'button secondary small', 'data-copy': id, 'aria-label': `Copy ${label.toLowerCase()}` },
    'Copy',
  );
  const copyToClipboard = async () => {
    try {
      await navigator.clipboard.writeText(value);
      button.textContent = 'Copied';
    } catch {
      // No clipboard access: select the text so a keyboard copy takes it.
      getSelection()?.selectAllChildren(text);
      button.textContent = 'Press Ctrl+C';
    }
    setTimeout(() => (button.textContent = 'Copy'), 2500);
  };
  button.addEventListener('click', () => void copyToClipboard());
  return h(
    'div',
    { class: 'copy-field' },
    h('span', { class: 'label', id: `${id}-label` }, label),
    h('div', { class: 'copy-row', 'aria-labelledby': `${id}-label` }, text, button),
  );
}

function confirmDialog(title: string, body: Array<Node | string>, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', class: 'button secondary', onclick: () => dialog.close('cancel') }, 'Cancel');
    const confirm = h(
      'button',
      { type: 'button', class: 'button danger', 'data-action': 'confirm', onclick: () => dialog.close('confirm') },
      confirmLabel,
    );
    const dialog = h(
      'dialog',
      { class: 'dialog', role: 'alertdialog', 'aria-labelledby': 'confirm-title' },
      h('h2', { id: 'confirm-title' }, title),
      h('p', {}, ...body),
      h('div', { class: 'dialog-actions' }, cancel, confirm),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'confirm');
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

// ---- pieces --------------------------------------------------------------------------------

function renderAccount(): void {
  if (!viewer) {
    account.hidden = true;
    show(account);
    return;
  }
  account.hidden = false;
  show(
    account,
    h(
      'span',
      { class: 'who' },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, viewer.user.name.slice(0, 1).toUpperCase()),
      h('span', {}, viewer.user.name, h('small', {}, viewer.user.domain.name)),
    ),
    viewer.project && h('span', { class: 'chip', title: 'Current project' }, viewer.project.name),
    viewer.project &&
      h('button', { type: 'button', class: 'button ghost small', onclick: () => void showProjects() }, 'Switch project'),
    h(
      'button',
      {
        type: 'button',
        class: 'button secondary small',
        id: 'sign-out',
        onclick: (event) => void signOut(event.currentTarget as HTMLButtonElement),
      },
      'Sign out',
    ),
  );
}

function notice(message: Message): HTMLElement {
  return h('div', { class: `notice ${message.kind}`, role: message.kind === 'error' ? 'alert' : 'status' }, message.text);
}

function flash(message?: Message): void {
  show(flashArea, message && notice(message));
}

function field(label: string, input: HTMLInputElement, hint?: string): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input, hint && h('span', { class: 'hint' }, hint));
}

function loading(text: string): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, text);
}

async function busy(button: HTMLButtonElement, label: string, work: () => Promise<void>): Promise<void> {
  const original = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  try {
    await work();
  } finally {
    if (button.isConnected) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      button.textContent = original;
    }
  }
}

window.addEventListener('unhandledrejection', (event) => flash({ kind: 'error', text: describeError(event.reason, 'load') }));
void start();
