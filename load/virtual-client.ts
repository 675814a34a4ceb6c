/**
 * One virtual client: session after session, each as one of the users it owns (no other client
 * touches them): login → scopeToken → createAkSk → akSk → sometimes createAkSkDownloadLink and
 * the download → deleteAkSk → sometimes logout. It stops at the next step once the phase is
 * over, so the request in flight always completes and its outcome reaches the ledger.
 */
import { LoadUser, LOAD_PROJECT } from './load-seed';
import { PairLedger } from './pair-ledger';
import {
  AK_SK,
  CREATE_AK_SK,
  CREATE_DOWNLOAD_LINK,
  DELETE_AK_SK,
  DOWNLOAD,
  LOGIN,
  LOGOUT,
  PairPayload,
  SCOPE_TOKEN,
  TokenPayload,
} from './session-operations';
import { TimedClient } from './timed-client';

export interface SessionCounts {
  started: number;
  /** Ran to its last step. */
  completed: number;
  /** Ended early because `login` or `scopeToken` failed. */
  abandoned: number;
  /** Cut short by the end of the phase or the request cap. */
  interrupted: number;
}

export interface VirtualClientContext {
  index: number;
  users: readonly LoadUser[];
  http: TimedClient;
  ledger: PairLedger;
  counts: SessionCounts;
  /** True once the client must not send another request. */
  stopped: () => boolean;
  random: () => number;
  downloadRatio: number;
  logoutRatio: number;
}

const ABANDONED_PAUSE_MS = 100;

export async function runVirtualClient(context: VirtualClientContext): Promise<void> {
  for (let turn = 0; !context.stopped(); turn++) {
    context.counts.started++;
    const outcome = await runSession(context, context.users[turn % context.users.length]);
    context.counts[outcome]++;
    // A person whose login failed waits before trying again; without it a gateway that refuses
    // connections would be hammered in a tight loop until the request cap.
    if (outcome === 'abandoned' && !context.stopped()) await sleep(ABANDONED_PAUSE_MS);
  }
}

async function runSession(context: VirtualClientContext, account: LoadUser): Promise<'completed' | 'abandoned' | 'interrupted'> {
  const { http, ledger, stopped, random } = context;

  const login = await http.graphql<TokenPayload>('login', LOGIN, {
    input: { username: account.name, password: account.password },
  });
  if (!login.ok) return 'abandoned';
  const user = { id: login.value.user.id, name: account.name };
  if (stopped()) return 'interrupted';

  const scoped = await http.graphql<TokenPayload>(
    'scopeToken',
    SCOPE_TOKEN,
    { input: { projectName: LOAD_PROJECT } },
    login.value.token,
  );
  if (!scoped.ok) return 'abandoned';
  const token = scoped.value.token;
  if (stopped()) return 'interrupted';

  const created = await http.graphql<PairPayload>('createAkSk', CREATE_AK_SK, { input: { userId: user.id } }, token);
  if (created.ok) ledger.created(context.index, user, created.value);
  else ledger.createFailed(user, created.code, created.transport);
  if (stopped()) return 'interrupted';

  const listed = await http.graphql<PairPayload[]>('akSk', AK_SK, { userId: user.id }, token);
  if (listed.ok) ledger.listed(user, listed.value);
  if (stopped()) return 'interrupted';

  if (random() < context.downloadRatio) {
    const format = random() < 0.5 ? 'JSON' : 'CSV';
    const link = await http.graphql<{ url: string }>(
      'createAkSkDownloadLink',
      CREATE_DOWNLOAD_LINK,
      { userId: user.id, format },
      token,
    );
    if (stopped()) return 'interrupted';
    if (link.ok) {
      await http.get(DOWNLOAD, link.value.url);
      if (stopped()) return 'interrupted';
    }
  }

  const deleted = await http.graphql<{ deletedAccessKeys: string[] | null }>(
    'deleteAkSk',
    DELETE_AK_SK,
    { userId: user.id },
    token,
  );
  if (deleted.ok) ledger.deleted(user, deleted.value.deletedAccessKeys);
  else ledger.deleteFailed(user);

  if (random() < context.logoutRatio) {
    if (stopped()) return 'interrupted';
    await http.graphql<boolean>('logout', LOGOUT, {}, token);
  }
  return 'completed';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** mulberry32: a small seeded generator, so a run's choices repeat with its `--seed`. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
