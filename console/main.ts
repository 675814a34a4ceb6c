/**
 * The reference web console: sign in, manage AK/SK pairs of one user or a thousand. It speaks to the
 * gateway only through the generated client; the token lives in the HttpOnly session cookie, never here.
 */
import { createGatewayClient, GatewayClientError } from '../client/gateway-client.js';
import {
  ActivateAkSkDocument,
  AkSkEventsDocument,
  CreateAkSkDocument,
  CreateAkSkDownloadLinkDocument,
  DeactivateAkSkDocument,
  DeleteAkSkByAccessKeyDocument,
  LoginDocument,
  LogoutDocument,
  ProjectsDocument,
  RotateAkSkDocument,
  ScopeTokenDocument,
  UserDocument,
  UpdateAkSkDocument,
  UserProjectsDocument,
  UsersConnectionDocument,
  VerifyAkSkDocument,
  ViewerDocument,
  type AkSkEventsQuery,
  type AkSkFileFormat,
  type AkSkStatus,
  type CreateAkSkMutation,
  type ProjectsQuery,
  type UserOrder,
  type UsersConnectionQuery,
  type VerifyAkSkMutation,
  type ViewerQuery,
} from '../client/generated/graphql.js';
import { confirmDialog, secretDialog } from './dialogs.js';
import { h, headerRow, show } from './dom.js';
import { describeError, needsSignIn, type Action } from './messages.js';

type Viewer = ViewerQuery['viewer'];
type Project = ProjectsQuery['projects'][number];
type UserWithKeys = UsersConnectionQuery['usersConnection']['nodes'][number];
type Pair = UserWithKeys['akSks'][number];
type NewPair = CreateAkSkMutation['createAkSk'];
type Verification = VerifyAkSkMutation['verifyAkSk'];
type NamedProject = { id: string; name: string };
type AkSkEvent = AkSkEventsQuery['akSkEvents'][number];

interface Message {
  kind: 'error' | 'warning' | 'info' | 'success';
  text: string;
}

/** Users per page: a screenful, and as many upstream AK/SK calls. */
const PAGE_SIZE = 20;
/** How long a success or an info message stays; errors stay until dismissed or replaced. */
const TRANSIENT_MESSAGE_MS = 8000;
/** The project filter's value for pairs in projects the caller cannot name. */
const OTHER_PROJECTS = '*other*';
const ANOTHER_PROJECT = 'another project';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Every download format the schema offers, with how the console names it. A Record over the
 * generated union: a format added to the schema fails the typecheck until it is offered here.
 */
const DOWNLOAD_FORMATS: Record<AkSkFileFormat, string> = {
  JSON: 'JSON',
  CSV: 'CSV',
  AWS_CREDENTIALS: 'AWS credentials file',
  ENV: 'Shell (ec2rc.sh)',
};

/** How many events the history shows: the latest ones. */
const HISTORY_SIZE = 50;

/** The audit trail's event names (`aksk.…`) in words; an unknown one is shown as it comes. */
const EVENT_LABELS: Record<string, string> = {
  'aksk.created': 'Created',
  'aksk.updated': 'Edited',
  'aksk.deactivated': 'Deactivated',
  'aksk.activated': 'Activated',
  'aksk.rotated': 'Rotated',
  'aksk.deleted': 'Deleted',
  'aksk.downloaded': 'Downloaded',
  'aksk.expired': 'Expired',
};

const STATUS_LABELS: Record<AkSkStatus, string> = {
  ACTIVE: 'Active',
  INACTIVE: 'Inactive',
  EXPIRED: 'Expired',
};

const client = createGatewayClient({ endpoint: '/graphql', credentials: 'same-origin' });
const app = element('app');
const account = element('account');
const flashArea = element('flash');
let viewer: Viewer | undefined;
/** The projects the caller may scope to, sorted by name. */
let myProjects: Project[] = [];
/** Names of the users listed so far, so the history says who acted rather than an id. */
const userNames = new Map<string, string>();

/** What the key list shows; kept across refreshes so an action does not lose the page. */
const view = {
  search: '',
  order: 'NAME_ASC' as UserOrder,
  withKeysOnly: false,
  /** '' for every project, a project id, or OTHER_PROJECTS. */
  project: '',
  /** `after` of each page seen so far: index 0 is the first page. */
  cursors: [null] as Array<string | null>,
  page: 0,
};

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
  await enter();
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
    'aria-describedby': 'domain-hint',
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
            (username.value.trim() ? password : username).focus();
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
          resetView();
          await enter();
        });
      },
    },
    h('h1', { id: 'sign-in-title' }, 'Sign in'),
    h('p', { class: 'lead' }, 'Use your OpenStack account to manage the access keys (AK/SK) that sign your SODA requests.'),
    status,
    field('User name', username),
    field('Password', password),
    field('Domain', domain, 'Usually “Default”.', 'domain-hint'),
    submit,
  );
  show(app, form);
  username.focus();
}

/**
 * After sign-in: straight to the keys when the token is already scoped or there is only one
 * project to choose; the chooser only when there is a real choice.
 */
async function enter(message?: Message): Promise<void> {
  show(app, loading('Loading your projects…'));
  try {
    const [who, list] = await Promise.all([client.execute(ViewerDocument), client.execute(ProjectsDocument)]);
    viewer = who.viewer;
    myProjects = [...list.projects].sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    fail(error, 'load');
    return;
  }
  if (viewer.project) {
    await showKeys(message);
    return;
  }
  const usable = myProjects.filter((project) => project.enabled !== false);
  if (usable.length === 1) {
    try {
      await client.execute(ScopeTokenDocument, { input: { projectId: usable[0].id } });
    } catch (error) {
      fail(error, 'choose-project');
      return;
    }
    await showKeys(message);
    return;
  }
  showProjects(message);
}

function showProjects(message?: Message): void {
  document.title = 'Choose a project · SODA access keys';
  renderAccount();
  flash(message);
  const status = h('div', { class: 'form-status' });
  const current = viewer?.project?.id;
  const choices = myProjects.map((project) => {
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
        : notice({
            kind: 'info',
            text: 'Your account has no role in any project yet. Ask an administrator to give you one, then sign in again.',
          }),
    ),
  );
  app.querySelector<HTMLButtonElement>('button.project:not(:disabled)')?.focus();
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
    resetView();
    await showKeys();
  });
}

function resetView(): void {
  Object.assign(view, { search: '', order: 'NAME_ASC', withKeysOnly: false, project: '', cursors: [null], page: 0 });
}

/** The keys screen: its frame (title, filters) now, the list of users under it as it loads. */
async function showKeys(message?: Message): Promise<void> {
  try {
    viewer = (await client.execute(ViewerDocument)).viewer;
  } catch (error) {
    fail(error, 'load');
    return;
  }
  if (!viewer.project) {
    showProjects(message);
    return;
  }
  const me = viewer;
  const project = me.project!;
  document.title = `Access keys · ${project.name} · SODA access keys`;
  renderAccount();
  flash(message);

  const results = h('div', { id: 'results', class: 'results', 'aria-live': 'polite', 'aria-busy': 'true' });
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
          'New keys are created in project ',
          h('strong', {}, project.name),
          ` (domain ${project.domain.name}). `,
          me.isAdmin ? 'As an administrator, you manage the keys of every user.' : 'You manage your own keys.',
        ),
      ),
      filters(me.isAdmin),
      results,
      h(
        'p',
        { class: 'footnote' },
        'Secret keys are never shown again after they are created. Downloads contain them, so keep downloaded files safe.',
      ),
    ),
  );
  await loadResults();
}

function filters(isAdmin: boolean): HTMLElement {
  const projectChoice = h(
    'select',
    { id: 'project-filter', onchange: (event) => void applyFilter({ project: (event.target as HTMLSelectElement).value }) },
    h('option', { value: '' }, 'All projects'),
    ...myProjects.map((project) => h('option', { value: project.id }, project.name)),
    h('option', { value: OTHER_PROJECTS }, 'Other projects'),
  );
  projectChoice.value = view.project;
  const projectField = h('div', { class: 'filter' }, h('label', { for: 'project-filter' }, 'Project'), projectChoice);
  if (!isAdmin) return h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Filters' }, projectField);

  const search = h('input', {
    id: 'search',
    type: 'search',
    value: view.search,
    placeholder: 'Name contains…',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  let typing: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => void applyFilter({ search: search.value.trim() }), 350);
  });
  const order = h(
    'select',
    { id: 'sort', onchange: (event) => void applyFilter({ order: (event.target as HTMLSelectElement).value as UserOrder }) },
    h('option', { value: 'NAME_ASC' }, 'Name, A to Z'),
    h('option', { value: 'NAME_DESC' }, 'Name, Z to A'),
  );
  order.value = view.order;
  const withKeys = h('input', {
    id: 'with-keys',
    type: 'checkbox',
    checked: view.withKeysOnly,
    onchange: (event) => void applyFilter({ withKeysOnly: (event.target as HTMLInputElement).checked }),
  });
  return h(
    'div',
    { class: 'toolbar' },
    h(
      'form',
      {
        class: 'filter search',
        role: 'search',
        onsubmit: (event) => {
          event.preventDefault();
          clearTimeout(typing);
          void applyFilter({ search: search.value.trim() });
        },
      },
      h('label', { for: 'search' }, 'Search users'),
      h('div', { class: 'search-row' }, search, h('button', { type: 'submit', class: 'button secondary' }, 'Search')),
    ),
    h('div', { class: 'filter' }, h('label', { for: 'sort' }, 'Sort'), order),
    projectField,
    h('div', { class: 'filter check' }, withKeys, h('label', { for: 'with-keys' }, 'Only users with keys')),
  );
}

async function applyFilter(change: Partial<Pick<typeof view, 'search' | 'order' | 'withKeysOnly' | 'project'>>): Promise<void> {
  const projectOnly = Object.keys(change).every((key) => key === 'project');
  if (Object.entries(change).every(([key, value]) => view[key as keyof typeof change] === value)) return;
  Object.assign(view, change);
  // The project filter works on the pairs already read; the others ask the gateway again from page one.
  if (!projectOnly) Object.assign(view, { cursors: [null], page: 0 });
  await loadResults();
}

/** Counts list loads, so that only the latest one draws: answers can arrive out of order. */
let loads = 0;

/** Reads the current page (admins) or the caller alone (members) and draws it into #results. */
async function loadResults(message?: Message): Promise<void> {
  const results = document.getElementById('results');
  if (!results || !viewer?.project) return;
  const me = viewer;
  const load = ++loads;
  results.setAttribute('aria-busy', 'true');
  if (!results.firstChild) show(results, loading(me.isAdmin ? 'Loading users…' : 'Loading your keys…'));
  else results.classList.add('stale');
  let users: UserWithKeys[];
  let page: UsersConnectionQuery['usersConnection'] | undefined;
  try {
    if (me.isAdmin) {
      page = (
        await client.execute(UsersConnectionDocument, {
          first: PAGE_SIZE,
          after: view.cursors[view.page],
          search: view.search || null,
          withAkSks: view.withKeysOnly,
          orderBy: view.order,
        })
      ).usersConnection;
      users = page.nodes;
    } else {
      users = [(await client.execute(UserDocument, { id: me.user.id })).user];
    }
  } catch (error) {
    if (load !== loads) return;
    results.classList.remove('stale');
    results.removeAttribute('aria-busy');
    if (results.querySelector('.loading')) show(results);
    fail(error, 'load');
    return;
  }
  // A later load (the filters changed meanwhile) draws instead; its message is still told.
  if (message) flash(message);
  if (load !== loads) return;
  addProjectsSeen(users);
  for (const user of users) userNames.set(user.id, user.name);
  results.classList.remove('stale');
  results.removeAttribute('aria-busy');
  show(results, summary(page, users), ...userList(users, me), page && pager(page));
  performance.mark('keys-interactive');
}

/** Projects named on pairs but not among the caller's own join the filter, so every name can be chosen. */
function addProjectsSeen(users: UserWithKeys[]): void {
  const select = document.getElementById('project-filter') as HTMLSelectElement | null;
  if (!select) return;
  const listed = new Set([...select.options].map((option) => option.value));
  for (const pair of users.flatMap((user) => user.akSks)) {
    if (pair.project && !listed.has(pair.project.id)) {
      listed.add(pair.project.id);
      select.insertBefore(h('option', { value: pair.project.id }, pair.project.name), select.lastElementChild);
    }
  }
}

function projectFilterName(): string {
  if (view.project === '') return '';
  if (view.project === OTHER_PROJECTS) return 'projects you cannot see';
  const option = (document.getElementById('project-filter') as HTMLSelectElement | null)?.selectedOptions[0];
  return `project ${option?.textContent ?? ANOTHER_PROJECT}`;
}

function summary(page: UsersConnectionQuery['usersConnection'] | undefined, users: UserWithKeys[]): HTMLElement {
  const projects = view.project === '' ? 'Keys in all projects' : `Only keys in ${projectFilterName()}`;
  if (!page) return h('p', { class: 'summary', id: 'summary' }, `${projects}.`);
  const from = view.page * PAGE_SIZE + (users.length > 0 ? 1 : 0);
  const to = view.page * PAGE_SIZE + users.length;
  const who = view.withKeysOnly ? 'users with keys' : 'users';
  const matching = view.search ? ` whose name contains “${view.search}”` : '';
  return h(
    'p',
    { class: 'summary', id: 'summary' },
    page.totalCount === 0
      ? `No ${who}${matching}. `
      : `${who[0].toUpperCase()}${who.slice(1)} ${from}–${to} of ${page.totalCount.toLocaleString('en')}${matching}. `,
    `${projects}.`,
  );
}

function userList(users: UserWithKeys[], me: Viewer): Node[] {
  if (users.length === 0) {
    const clear =
      (view.search || view.withKeysOnly) &&
      h(
        'button',
        { type: 'button', class: 'button secondary', onclick: () => void clearFilters() },
        'Clear the search and filters',
      );
    const text = view.search
      ? `No user name contains “${view.search}”${view.withKeysOnly ? ' among users with keys' : ''}.`
      : view.withKeysOnly
        ? 'No user has an access key yet.'
        : 'There are no users to show.';
    return [h('div', { class: 'empty-state' }, h('p', {}, text), clear)];
  }
  return [
    h(
      'table',
      { class: 'keys' },
      h('caption', { class: 'visually-hidden' }, 'Users and their access keys'),
      h(
        'colgroup',
        {},
        h('col', { class: 'access-key-column' }),
        h('col', { class: 'project-column' }),
        h('col', { class: 'status-column' }),
        h('col', { class: 'date-column' }),
        h('col', { class: 'date-column' }),
        h('col', { class: 'date-column' }),
        h('col', {}),
      ),
      headerRow(
        'Access key',
        'Project',
        'Status',
        'Created',
        'Expires',
        'Last used',
        h('th', { scope: 'col', class: 'end' }, h('span', { class: 'visually-hidden' }, 'Actions')),
      ),
      ...users.map((user) => userGroup(user, user.id === me.user.id)),
    ),
  ];
}

async function clearFilters(): Promise<void> {
  Object.assign(view, { search: '', withKeysOnly: false, cursors: [null], page: 0 });
  const search = document.getElementById('search') as HTMLInputElement | null;
  if (search) search.value = '';
  const withKeys = document.getElementById('with-keys') as HTMLInputElement | null;
  if (withKeys) withKeys.checked = false;
  await loadResults();
  search?.focus();
}

function pager(page: UsersConnectionQuery['usersConnection']): HTMLElement | false {
  if (!page.pageInfo.hasNextPage && view.page === 0) return false;
  const go = async (index: number, button: HTMLButtonElement) => {
    await busy(button, 'Loading…', async () => {
      view.page = index;
      await loadResults();
    });
    document.getElementById('keys-title')?.scrollIntoView({ block: 'start' });
    document.getElementById('summary')?.setAttribute('tabindex', '-1');
    document.getElementById('summary')?.focus();
  };
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages of users' },
    h(
      'button',
      {
        type: 'button',
        class: 'button secondary',
        disabled: view.page === 0,
        onclick: (event) => void go(view.page - 1, event.currentTarget as HTMLButtonElement),
      },
      '‹ Previous',
    ),
    h('span', { class: 'muted' }, `Page ${view.page + 1} of ${Math.max(1, Math.ceil(page.totalCount / PAGE_SIZE))}`),
    h(
      'button',
      {
        type: 'button',
        class: 'button secondary',
        disabled: !page.pageInfo.hasNextPage,
        onclick: (event) => {
          view.cursors[view.page + 1] = page.pageInfo.endCursor;
          void go(view.page + 1, event.currentTarget as HTMLButtonElement);
        },
      },
      'Next ›',
    ),
  );
}

function shownPairs(user: UserWithKeys): Pair[] {
  if (view.project === '') return user.akSks;
  if (view.project === OTHER_PROJECTS) return user.akSks.filter((pair) => !pair.project);
  return user.akSks.filter((pair) => pair.projectId === view.project);
}

function count(n: number, what: string): string {
  return n === 1 ? `1 ${what}` : `${n.toLocaleString('en')} ${what}s`;
}

function userGroup(user: UserWithKeys, isMe: boolean): HTMLTableSectionElement {
  const pairs = shownPairs(user);
  const total = user.akSks.length;
  const keyCount = pairs.length === total ? count(total, 'key') : `${pairs.length} of ${count(total, 'key')} shown`;
  const actions = h(
    'div',
    { class: 'user-actions' },
    h(
      'button',
      {
        type: 'button',
        class: 'button primary-outline small',
        'aria-label': `Create key for ${user.name}`,
        onclick: (event) => void createKey(user, event.currentTarget as HTMLButtonElement),
      },
      'Create key',
    ),
    h(
      'span',
      { class: 'segmented', role: 'group', 'aria-label': `Download every key of ${user.name}, in all projects` },
      h('span', { class: 'segmented-label', 'aria-hidden': 'true' }, 'Download'),
      ...(Object.entries(DOWNLOAD_FORMATS) as Array<[AkSkFileFormat, string]>).map(([format, label]) =>
        h(
          'button',
          {
            type: 'button',
            class: 'button secondary small',
            'aria-label': `Download ${label}`,
            disabled: total === 0,
            onclick: (event) => void download(user, format, event.currentTarget as HTMLButtonElement),
          },
          label,
        ),
      ),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'button danger-outline small',
        disabled: pairs.length === 0,
        'aria-label':
          pairs.length === total ? `Delete all keys of ${user.name}` : `Delete shown keys of ${user.name} (${pairs.length})`,
        onclick: (event) => void deleteShown(user, pairs, event.currentTarget as HTMLButtonElement),
      },
      pairs.length === total ? 'Delete all' : 'Delete shown',
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'button ghost small',
        'aria-label': `History of ${user.name}'s keys`,
        onclick: () => void showHistory(user),
      },
      'History',
    ),
  );
  const header = h(
    'tr',
    { class: 'user-row' },
    h(
      'th',
      { scope: 'rowgroup', colspan: String(COLUMNS) },
      h(
        'div',
        { class: 'user-line' },
        h(
          'div',
          { class: 'user-name' },
          h('span', { class: 'avatar', 'aria-hidden': 'true' }, user.name.slice(0, 1).toUpperCase()),
          h('span', { class: 'name' }, user.name),
          isMe && h('span', { class: 'badge' }, 'You'),
          user.enabled === false && h('span', { class: 'badge muted' }, 'Disabled'),
          h('span', { class: 'muted' }, `${user.domain.name} · ${keyCount}`),
        ),
        actions,
      ),
    ),
  );
  const emptyText =
    total === 0 ? 'No access keys yet.' : `No keys in ${projectFilterName()}; ${count(total, 'key')} in other projects.`;
  const rows =
    pairs.length === 0
      ? [h('tr', { class: 'empty' }, h('td', { colspan: String(COLUMNS) }, emptyText))]
      : pairs.map((pair) => pairRow(user, pair));
  return h('tbody', { 'data-user': user.name }, header, ...rows);
}

function projectName(pair: Pair): string {
  return pair.project?.name ?? ANOTHER_PROJECT;
}

/** Columns of the key table: access key (and description), project, status, created, expires, last used, actions. */
const COLUMNS = 7;

function pairRow(user: UserWithKeys, pair: Pair): HTMLTableRowElement {
  const rowButton = (label: string, name: string, tone: string, action: (button: HTMLButtonElement) => Promise<void>) =>
    h(
      'button',
      {
        type: 'button',
        class: `button ${tone} small`,
        'aria-label': `${name} ${pair.accessKey}`,
        onclick: (event) => void action(event.currentTarget as HTMLButtonElement),
      },
      label,
    );
  return h(
    'tr',
    { 'data-access-key': pair.accessKey, 'data-status': pair.status },
    h(
      'td',
      { 'data-label': 'Access key' },
      h('code', { class: 'access-key' }, pair.accessKey),
      h('span', { class: `description${pair.description ? '' : ' muted'}` }, pair.description ?? 'No description'),
    ),
    h('td', { 'data-label': 'Project', class: pair.project ? '' : 'muted' }, projectName(pair)),
    h('td', { 'data-label': 'Status' }, statusBadge(pair.status)),
    h('td', { 'data-label': 'Created' }, dateCell(pair.createdAt, 'Not recorded')),
    h('td', { 'data-label': 'Expires' }, dateCell(pair.expiresAt, 'Never')),
    h('td', { 'data-label': 'Last used' }, dateCell(pair.lastUsedAt, 'Not yet')),
    h(
      'td',
      { class: 'end' },
      h(
        'div',
        { class: 'row-actions' },
        rowButton('Edit', 'Edit', 'secondary', (button) => editPair(user, pair, button)),
        pair.status === 'INACTIVE'
          ? rowButton('Activate', 'Activate', 'secondary', (button) => switchPair(user, pair, true, button))
          : rowButton('Deactivate', 'Deactivate', 'secondary', (button) => switchPair(user, pair, false, button)),
        rowButton('Rotate', 'Rotate', 'secondary', (button) => rotatePair(user, pair, button)),
        rowButton('Test', 'Test', 'secondary', () => testPair(user, pair)),
        rowButton('Delete', 'Delete', 'danger-ghost', (button) => deletePair(user, pair, button)),
      ),
    ),
  );
}

function statusBadge(status: AkSkStatus): HTMLElement {
  return h('span', { class: `badge status-${status.toLowerCase()}` }, STATUS_LABELS[status]);
}

/** A date for people (the day, in their locale's words), the exact instant in the markup and tooltip. */
function dateCell(iso: string | null, missing: string): HTMLElement {
  if (!iso) return h('span', { class: 'muted' }, missing);
  const at = new Date(iso);
  return h(
    'time',
    { datetime: iso, title: at.toLocaleString('en') },
    at.toLocaleDateString('en', { year: 'numeric', month: 'short', day: 'numeric' }),
  );
}

// ---- actions -------------------------------------------------------------------------------

async function createKey(user: UserWithKeys, button: HTMLButtonElement): Promise<void> {
  const current = viewer?.project;
  if (!current) return;
  await busy(button, 'Creating…', async () => {
    // The caller's own scoped token proves its role in the current project; anyone else's roles are read.
    let choices: NamedProject[] = [current];
    if (user.id !== viewer?.user.id) {
      try {
        choices = [...(await client.execute(UserProjectsDocument, { id: user.id })).user.projects].sort((a, b) =>
          a.name.localeCompare(b.name),
        );
      } catch (error) {
        fail(error, 'create');
        return;
      }
    }
    const request = await askForNewKey(user, current, choices);
    if (!request) return;
    let pair: NewPair;
    try {
      pair = (
        await client.execute(CreateAkSkDocument, {
          input: {
            userId: user.id,
            projectId: request.project.id,
            description: request.description,
            expiresAt: request.expiresAt,
          },
        })
      ).createAkSk;
    } catch (error) {
      fail(error, 'create');
      return;
    }
    await showNewSecret(
      pair,
      `Created for ${user.name} in project ${request.project.name}.`,
      `Access key ${pair.accessKey} created for ${user.name} in project ${request.project.name}.`,
    );
    focusAfterChange(user.name, 'Create key');
  });
}

/**
 * The one-time secret dialog for a pair just made (created or rotated in), with "Test this key"
 * while the secret is at hand; the list is redrawn under it with `done` as the message.
 */
async function showNewSecret(pair: NewPair, lead: string, done: string): Promise<void> {
  const tested = h('div', { class: 'test-result', 'aria-live': 'polite' });
  const testButton = h('button', { type: 'button', class: 'button secondary small' }, 'Test this key');
  testButton.addEventListener('click', () => {
    void busy(testButton, 'Testing…', async () => {
      show(tested, notice(await verification(pair.accessKey, pair.secretKey)));
    });
  });
  const closed = secretDialog({
    title: 'New access key',
    lead,
    warning: notice({
      kind: 'warning',
      text: 'This is the only time the secret key is shown. Copy it now and store it somewhere safe: it cannot be shown again. If it is lost, delete this key and create a new one.',
    }),
    fields: [copyField('Access key', 'access-key', pair.accessKey), copyField('Secret key', 'secret-key', pair.secretKey)],
    extra: [
      h(
        'div',
        { class: 'test-key' },
        h('p', { class: 'hint' }, 'Check that the pair works before you store it: Keystone checks a request signed with it.'),
        testButton,
        tested,
      ),
    ],
  });
  await loadResults({ kind: 'success', text: done });
  await closed;
}

/**
 * Rotation: a new pair like this one (owner, project, description, expiry), this one switched off
 * but kept, so whatever still uses it can be moved over and it can be switched back on meanwhile.
 */
async function rotatePair(user: UserWithKeys, pair: Pair, button: HTMLButtonElement): Promise<void> {
  const confirmed = await confirmDialog({
    title: 'Rotate this access key?',
    body: [
      h(
        'p',
        {},
        `A new key is made for ${user.name} in ${projectLabel(pair)}, with the same description and expiry; its secret key is shown once. Access key `,
        h('code', {}, pair.accessKey),
        ' is switched off at once: programs that use it are refused until they use the new key. It is kept, not deleted: activate it again if something still needs it, delete it once nothing does.',
      ),
    ],
    confirmLabel: 'Rotate key',
    tone: 'warning',
  });
  if (!confirmed) return;
  await busy(button, 'Rotating…', async () => {
    let rotated: NewPair;
    try {
      rotated = (await client.execute(RotateAkSkDocument, { accessKey: pair.accessKey })).rotateAkSk.newPair;
    } catch (error) {
      fail(error, 'rotate');
      return;
    }
    await showNewSecret(
      rotated,
      `Replaces ${pair.accessKey} of ${user.name}, now inactive.`,
      `Access key ${pair.accessKey} of ${user.name} rotated: ${rotated.accessKey} replaces it, and it is now inactive.`,
    );
  });
  focusAfterChange(user.name, 'Create key');
}

interface NewKeyRequest {
  project: NamedProject;
  description: string | null;
  expiresAt: string | null;
}

/**
 * Asks what the new key is for, until when, and (when there is a choice) in which of the user's
 * projects. The gateway refuses a key in a project where its user has no role, so such a project
 * is never offered: the person is told why, and where the key can go instead, if anywhere.
 */
async function askForNewKey(user: UserWithKeys, current: NamedProject, choices: NamedProject[]): Promise<NewKeyRequest | null> {
  if (choices.length === 0) {
    await confirmDialog({
      title: `${user.name} has no role in any project`,
      body: [
        notice({
          kind: 'warning',
          text: `A key must belong to a project its user works in, and ${user.name} works in none: the gateway refuses a key for ${user.name} anywhere.`,
        }),
        h(
          'p',
          {},
          `Ask an administrator to give ${user.name} a role in a project (in Keystone or Horizon), then create the key.`,
        ),
      ],
      tone: 'warning',
    });
    return null;
  }
  const inCurrent = choices.some((project) => project.id === current.id);
  const projectChoice = h(
    'select',
    { id: 'new-key-project' },
    ...choices.map((project) => h('option', { value: project.id, selected: project.id === current.id }, project.name)),
  );
  const description = h('input', {
    id: 'new-key-description',
    maxlength: '255',
    autocomplete: 'off',
    placeholder: 'What is this key for?',
  });
  const expiry = expiryPicker('new-key-expiry');
  const status = h('div', { class: 'form-status' });
  let request: NewKeyRequest | null = null;
  const confirmed = await confirmDialog({
    title: `New access key for ${user.name}`,
    body: [
      !inCurrent &&
        notice({
          kind: 'warning',
          text: `${user.name} has no role in ${current.name}, the project you work in, and the gateway refuses a key there. The key will be made in a project where ${user.name} works.`,
        }),
      choices.length === 1
        ? h('p', { class: 'fixed-field' }, 'Project: ', h('strong', {}, choices[0].name))
        : formField('Project', projectChoice),
      formField('Description (optional)', description),
      expiry.element,
      status,
    ],
    confirmLabel: 'Create key',
    tone: 'plain',
    initialFocus: description,
    onConfirm: async () => {
      const expiresAt = expiry.read();
      if (!expiresAt.ok) {
        show(status, notice({ kind: 'error', text: expiresAt.error }));
        return false;
      }
      const project = choices.length === 1 ? choices[0] : choices.find((candidate) => candidate.id === projectChoice.value)!;
      request = { project, description: description.value.trim() || null, expiresAt: expiresAt.value ?? null };
      return true;
    },
  });
  return confirmed ? request : null;
}

interface ExpiryPicker {
  element: HTMLElement;
  /** `value`: an instant, null for never, undefined when kept as it was. */
  read(): { ok: true; value: string | null | undefined } | { ok: false; error: string };
}

/** When a key stops working: never, a few usual spans, or a chosen day (its end, local time). */
function expiryPicker(id: string, current?: string | null): ExpiryPicker {
  const choice = h(
    'select',
    { id },
    current &&
      h(
        'option',
        { value: 'keep', selected: true },
        `Keep: ${new Date(current).toLocaleDateString('en', { dateStyle: 'medium' })}`,
      ),
    h('option', { value: 'never', selected: !current }, 'Never'),
    h('option', { value: '30' }, 'In 30 days'),
    h('option', { value: '90' }, 'In 90 days'),
    h('option', { value: '365' }, 'In one year'),
    h('option', { value: 'date' }, 'On a date…'),
  );
  const day = h('input', { id: `${id}-date`, type: 'date', min: localDay(new Date(Date.now() + DAY_MS)) });
  const dayField = formField('Last day it works', day);
  dayField.hidden = true;
  choice.addEventListener('change', () => {
    dayField.hidden = choice.value !== 'date';
    if (!dayField.hidden) day.focus();
  });
  return {
    element: h('div', {}, formField('Expires', choice), dayField),
    read() {
      switch (choice.value) {
        case 'keep':
          return { ok: true, value: undefined };
        case 'never':
          return { ok: true, value: current === null || current === undefined ? undefined : null };
        case 'date': {
          const end = day.value ? new Date(`${day.value}T23:59:59`) : undefined;
          if (!end || Number.isNaN(end.getTime())) return { ok: false, error: 'Choose the last day the key works.' };
          if (end.getTime() <= Date.now()) return { ok: false, error: 'Choose a day after today.' };
          return { ok: true, value: end.toISOString() };
        }
        default:
          return { ok: true, value: new Date(Date.now() + Number(choice.value) * DAY_MS).toISOString() };
      }
    },
  };
}

function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

async function editPair(user: UserWithKeys, pair: Pair, button: HTMLButtonElement): Promise<void> {
  const description = h('input', {
    id: 'edit-description',
    maxlength: '255',
    autocomplete: 'off',
    value: pair.description ?? '',
    placeholder: 'What is this key for?',
  });
  const expiry = expiryPicker('edit-expiry', pair.expiresAt);
  const status = h('div', { class: 'form-status' });
  let saved: Pair | undefined;
  const confirmed = await confirmDialog({
    title: 'Edit access key',
    body: [
      h('p', {}, 'Access key ', h('code', {}, pair.accessKey), ` of ${user.name}, in ${projectLabel(pair)}.`),
      formField('Description', description),
      expiry.element,
      status,
    ],
    confirmLabel: 'Save changes',
    tone: 'plain',
    initialFocus: description,
    onConfirm: async () => {
      const expiresAt = expiry.read();
      if (!expiresAt.ok) {
        show(status, notice({ kind: 'error', text: expiresAt.error }));
        return false;
      }
      const text = description.value.trim() || null;
      const input = {
        accessKey: pair.accessKey,
        ...(text !== (pair.description ?? null) && { description: text }),
        ...(expiresAt.value !== undefined && { expiresAt: expiresAt.value }),
      };
      if (Object.keys(input).length === 1) return true;
      try {
        saved = { ...pair, ...(await client.execute(UpdateAkSkDocument, { input })).updateAkSk, project: pair.project };
      } catch (error) {
        if (needsSignIn(error)) {
          fail(error, 'update');
          return true;
        }
        show(status, notice({ kind: 'error', text: describeError(error, 'update') }));
        return false;
      }
      return true;
    },
  });
  if (!confirmed) return;
  await busy(button, 'Saving…', async () => {
    await loadResults(
      saved
        ? { kind: 'success', text: `Access key ${pair.accessKey} of ${user.name} saved.` }
        : { kind: 'info', text: 'Nothing was changed.' },
    );
  });
  focusAfterChange(user.name, 'Create key');
}

/** Deactivates (or activates again) a pair after saying what that does to the programs using it. */
async function switchPair(user: UserWithKeys, pair: Pair, on: boolean, button: HTMLButtonElement): Promise<void> {
  const confirmed = await confirmDialog({
    title: on ? 'Activate this access key?' : 'Deactivate this access key?',
    body: [
      h(
        'p',
        {},
        'Access key ',
        h('code', {}, pair.accessKey),
        ` of ${user.name}, in ${projectLabel(pair)}, `,
        on
          ? 'will work again at once, with the same secret key.'
          : 'will stop working at once: programs that use it are refused. It is kept, and can be activated again with the same secret key.',
      ),
    ],
    confirmLabel: on ? 'Activate key' : 'Deactivate key',
    tone: 'warning',
  });
  if (!confirmed) return;
  await busy(button, on ? 'Activating…' : 'Deactivating…', async () => {
    try {
      if (on) await client.execute(ActivateAkSkDocument, { accessKey: pair.accessKey });
      else await client.execute(DeactivateAkSkDocument, { accessKey: pair.accessKey });
    } catch (error) {
      fail(error, on ? 'activate' : 'deactivate');
      return;
    }
    await loadResults({
      kind: 'success',
      text: `Access key ${pair.accessKey} of ${user.name} ${on ? 'activated' : 'deactivated'}.`,
    });
  });
  focusAfterChange(user.name, 'Create key');
}

/** "Test this key" for a listed pair: the console never has its secret, so it asks for it. */
async function testPair(user: UserWithKeys, pair: Pair): Promise<void> {
  const secret = h('input', {
    id: 'test-secret',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
  });
  const result = h('div', { class: 'test-result', 'aria-live': 'polite' });
  await confirmDialog({
    title: 'Test this access key',
    body: [
      h(
        'p',
        {},
        'Access key ',
        h('code', {}, pair.accessKey),
        ` of ${user.name}. Enter its secret key: the gateway signs a request with the pair and Keystone says whether it works. The secret is not stored.`,
      ),
      formField('Secret key', secret),
      result,
    ],
    confirmLabel: 'Test key',
    tone: 'plain',
    initialFocus: secret,
    onConfirm: async () => {
      if (!secret.value) {
        show(result, notice({ kind: 'error', text: 'Enter the secret key to test.' }));
        return false;
      }
      show(result, notice(await verification(pair.accessKey, secret.value)));
      return false;
    },
  });
  secret.value = '';
}

/** Keystone's word on a pair, as a message for people. */
async function verification(accessKey: string, secretKey: string): Promise<Message> {
  let result: Verification;
  try {
    result = (await client.execute(VerifyAkSkDocument, { accessKey, secretKey })).verifyAkSk;
  } catch (error) {
    return { kind: 'error', text: describeError(error, 'verify') };
  }
  if (result.valid) {
    return {
      kind: 'success',
      text: `This key works: Keystone accepts requests signed with it, for ${result.user?.name ?? 'its owner'} in project ${result.project?.name ?? ANOTHER_PROJECT}.`,
    };
  }
  return { kind: 'error', text: `This key does not work. ${result.reason ?? 'Keystone refused a request signed with it.'}` };
}

function projectLabel(pair: Pair): string {
  return pair.project ? `project ${pair.project.name}` : ANOTHER_PROJECT;
}

async function download(user: UserWithKeys, format: AkSkFileFormat, button: HTMLButtonElement): Promise<void> {
  await busy(button, '…', async () => {
    try {
      const link = (await client.execute(CreateAkSkDownloadLinkDocument, { userId: user.id, format })).createAkSkDownloadLink;
      // A plain link: the single-use URL carries no token, and the file comes as an attachment.
      const anchor = h('a', { href: link.url, hidden: true });
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      flash({
        kind: 'info',
        text: `Downloading every key of ${user.name} (all projects) as ${format}. The file holds secret keys: keep it safe.`,
      });
    } catch (error) {
      fail(error, 'download');
    }
  });
}

async function deletePair(user: UserWithKeys, pair: Pair, button: HTMLButtonElement): Promise<void> {
  const confirmed = await confirmDialog({
    title: 'Delete this access key?',
    body: [
      h(
        'p',
        {},
        'Access key ',
        h('code', {}, pair.accessKey),
        ` of ${user.name}, in ${projectLabel(pair)}, will stop working at once. Programs that use it will be refused. This cannot be undone.`,
      ),
    ],
    confirmLabel: 'Delete key',
    tone: 'danger',
  });
  if (!confirmed) return;
  await busy(button, 'Deleting…', async () => {
    try {
      await client.execute(DeleteAkSkByAccessKeyDocument, { accessKey: pair.accessKey });
    } catch (error) {
      fail(error, 'delete');
      return;
    }
    await loadResults({ kind: 'success', text: `Access key ${pair.accessKey} of ${user.name} deleted.` });
    focusAfterChange(user.name, 'Create key');
  });
}

/**
 * Deletes exactly the keys listed for the user (all of them, or those the project filter shows),
 * one by one by access key: nothing the person was not shown, and none of the user's other
 * Keystone credentials, is touched.
 */
async function deleteShown(user: UserWithKeys, pairs: Pair[], button: HTMLButtonElement): Promise<void> {
  const everything = pairs.length === user.akSks.length;
  const confirmed = await confirmDialog({
    title: everything ? `Delete every key of ${user.name}?` : `Delete ${count(pairs.length, 'key')} of ${user.name}?`,
    body: [
      h(
        'p',
        {},
        pairs.length === 1
          ? `This access key of ${user.name} will stop working at once and be deleted:`
          : `These ${pairs.length} access keys of ${user.name} will stop working at once and be deleted:`,
      ),
      h(
        'ul',
        { class: 'delete-list' },
        ...pairs.map((pair) => h('li', {}, h('code', {}, pair.accessKey), ` in ${projectLabel(pair)}`)),
      ),
      h(
        'p',
        {},
        everything
          ? `That is every access key ${user.name} has. Nothing else of ${user.name}'s is deleted. This cannot be undone.`
          : `${count(user.akSks.length - pairs.length, 'other key')} of ${user.name}, in projects not shown, stay. This cannot be undone.`,
      ),
    ],
    confirmLabel: `Delete ${count(pairs.length, 'key')}`,
    tone: 'danger',
  });
  if (!confirmed) return;
  await busy(button, 'Deleting…', async () => {
    const outcomes = await Promise.allSettled(
      pairs.map((pair) => client.execute(DeleteAkSkByAccessKeyDocument, { accessKey: pair.accessKey })),
    );
    const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failures.some((failure) => needsSignIn(failure.reason))) {
      fail(failures[0].reason, 'delete');
      return;
    }
    const deleted = pairs.length - failures.length;
    const message: Message =
      failures.length === 0
        ? { kind: 'success', text: `Deleted ${count(deleted, 'access key')} of ${user.name}.` }
        : {
            kind: 'error',
            text: `Deleted ${deleted} of ${count(pairs.length, 'access key')} of ${user.name}. ${describeError(failures[0].reason, 'delete')} The list shows what is left: try again for those.`,
          };
    await loadResults(message);
    focusAfterChange(user.name, 'Create key');
  });
}

/** After the list is redrawn, focus goes back to the same user's group rather than the page top. */
function focusAfterChange(userName: string, label: string): void {
  const group = [...document.querySelectorAll<HTMLElement>('tbody[data-user]')].find(
    (candidate) => candidate.dataset.user === userName,
  );
  const target = [...(group?.querySelectorAll<HTMLButtonElement>('button') ?? [])].find((button) => button.textContent === label);
  target?.focus();
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
  if (error instanceof GatewayClientError && error.code === 'NOT_FOUND' && document.getElementById('results')) {
    void loadResults(message);
    return;
  }
  if (app.querySelector(':scope > .loading')) show(app);
  flash(message);
}

// ---- the history of a user's keys ----------------------------------------------------------

/**
 * The audit trail of a user's keys (and of what the user did), newest first, in a dialog. Without
 * Redis the gateway keeps no history it can answer with: the logs are the trail, and saying so
 * calmly is the answer, not an error.
 */
async function showHistory(user: UserWithKeys): Promise<void> {
  const content = h('div', { class: 'history', 'aria-live': 'polite', 'aria-busy': 'true' }, loading('Loading the history…'));
  const closed = confirmDialog({
    title: `History of ${user.name}'s keys`,
    body: [content],
    tone: 'plain',
    wide: true,
  });
  let events: AkSkEvent[];
  try {
    events = (await client.execute(AkSkEventsDocument, { userId: user.id, first: HISTORY_SIZE })).akSkEvents;
  } catch (error) {
    content.removeAttribute('aria-busy');
    if (error instanceof GatewayClientError && error.code === 'AUDIT_TRAIL_UNAVAILABLE') {
      show(
        content,
        notice({
          kind: 'info',
          text: `This gateway keeps no history it can show here: it runs without Redis. Every change to ${user.name}'s keys, and every download, is still recorded, in the gateway's logs (lines with "audit": true). Ask whoever runs the gateway for them.`,
        }),
      );
      return;
    }
    if (needsSignIn(error)) {
      content.closest('dialog')?.close();
      await closed;
      fail(error, 'history');
      return;
    }
    show(content, notice({ kind: 'error', text: describeError(error, 'history') }));
    return;
  }
  content.removeAttribute('aria-busy');
  if (events.length === 0) {
    show(content, h('div', { class: 'empty-state' }, h('p', {}, `Nothing has happened to ${user.name}'s keys yet.`)));
    return;
  }
  show(
    content,
    h(
      'p',
      { class: 'summary' },
      events.length === HISTORY_SIZE
        ? `The latest ${HISTORY_SIZE} events, newest first.`
        : `${count(events.length, 'event')}, newest first.`,
    ),
    h(
      'table',
      { class: 'history-table' },
      h('caption', { class: 'visually-hidden' }, `History of ${user.name}'s keys, newest first`),
      headerRow('When', 'What', 'Access key', 'By', 'Outcome'),
      h('tbody', {}, ...events.map((event) => historyRow(user, event))),
    ),
  );
}

function historyRow(user: UserWithKeys, event: AkSkEvent): HTMLTableRowElement {
  const at = new Date(event.time);
  return h(
    'tr',
    { 'data-event': event.event, 'data-outcome': event.outcome },
    h(
      'td',
      { 'data-label': 'When' },
      h('time', { datetime: event.time }, at.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' })),
    ),
    h('td', { 'data-label': 'What' }, EVENT_LABELS[event.event] ?? event.event),
    h(
      'td',
      { 'data-label': 'Access key' },
      event.accessKey ? h('code', { class: 'access-key' }, event.accessKey) : h('span', { class: 'muted' }, 'None'),
    ),
    h('td', { 'data-label': 'By' }, initiatorName(user, event.initiator)),
    h(
      'td',
      { 'data-label': 'Outcome' },
      event.outcome === 'SUCCESS'
        ? h('span', { class: 'badge status-active' }, 'Done')
        : h('span', { class: 'badge status-expired' }, 'Refused', event.errorCode && ` · ${event.errorCode}`),
    ),
  );
}

function initiatorName(user: UserWithKeys, initiator: AkSkEvent['initiator']): string {
  if (initiator.service) return 'The gateway (expiry)';
  if (!initiator.userId) return 'Unknown';
  if (initiator.userId === viewer?.user.id) return 'You';
  if (initiator.userId === user.id) return user.name;
  return userNames.get(initiator.userId) ?? 'Another user';
}

// ---- pieces --------------------------------------------------------------------------------

function copyField(label: string, id: string, value: string): HTMLElement {
  const text = h('code', { id, class: 'copy-value' }, value);
  // Feedback beside the button, so the button's name stays what it says.
  const status = h('span', { class: 'copy-status', role: 'status' });
  const button = h(
    'button',
    { type: 'button', class: 'button secondary small', 'data-copy': id, 'aria-label': `Copy ${label.toLowerCase()}` },
    'Copy',
  );
  const copyToClipboard = async () => {
    try {
      await navigator.clipboard.writeText(value);
      status.textContent = 'Copied';
    } catch {
      // No clipboard access: select the text so a keyboard copy takes it.
      getSelection()?.selectAllChildren(text);
      status.textContent = 'Selected: press Ctrl+C';
    }
    setTimeout(() => (status.textContent = ''), 4000);
  };
  button.addEventListener('click', () => void copyToClipboard());
  return h(
    'div',
    { class: 'copy-field' },
    h('span', { class: 'label', id: `${id}-label` }, label, ' ', status),
    h('div', { class: 'copy-row', role: 'group', 'aria-labelledby': `${id}-label` }, text, button),
  );
}

function renderAccount(): void {
  if (!viewer) {
    account.hidden = true;
    show(account);
    return;
  }
  account.hidden = false;
  const canSwitch = myProjects.filter((project) => project.enabled !== false).length > 1;
  show(
    account,
    h(
      'span',
      { class: 'who' },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, viewer.user.name.slice(0, 1).toUpperCase()),
      h('span', {}, viewer.user.name, h('small', {}, viewer.user.domain.name)),
    ),
    viewer.project && h('span', { class: 'chip' }, h('span', { class: 'chip-label' }, 'Project '), viewer.project.name),
    viewer.project &&
      canSwitch &&
      h('button', { type: 'button', class: 'button ghost small', onclick: () => showProjects() }, 'Switch project'),
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

let flashTimer: ReturnType<typeof setTimeout> | undefined;

/** Successes and infos clear themselves; an error stays, with a way to dismiss it. */
function flash(message?: Message): void {
  clearTimeout(flashTimer);
  if (!message) {
    show(flashArea);
    return;
  }
  const shown = notice(message);
  if (message.kind === 'error' || message.kind === 'warning') {
    shown.append(
      h(
        'button',
        { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss this message', onclick: () => show(flashArea) },
        '×',
      ),
    );
  } else {
    flashTimer = setTimeout(() => shown.remove(), TRANSIENT_MESSAGE_MS);
  }
  show(flashArea, shown);
}

function field(label: string, input: HTMLInputElement, hint?: string, hintId?: string): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: input.id }, label),
    input,
    hint && h('span', { class: 'hint', id: hintId }, hint),
  );
}

/** A labelled control inside a dialog's form. */
function formField(label: string, control: HTMLInputElement | HTMLSelectElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
}

function loading(text: string): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
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
