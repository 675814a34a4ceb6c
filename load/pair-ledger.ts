/**
 * What every virtual client was told about its pairs, checked against what the upstream holds:
 * nothing lost (a pair returned to its client and not deleted by it is always there), nothing
 * orphaned (every pair there was returned to a client, and none its client deleted survives).
 * Access keys appear in the findings; secret keys never leave this module.
 */

type PairState = 'held' | 'deleted' | 'delete-uncertain';

interface PairRecord {
  accessKey: string;
  secretKey: string;
  userId: string;
  userName: string;
  /** -1: not returned by `createAkSk` but found in a list (an orphan, adopted to avoid counting it twice). */
  client: number;
  state: PairState;
}

export type FindingKind =
  | 'lost'
  | 'orphan-after-failed-create'
  | 'orphan'
  | 'survived-delete'
  | 'secret-mismatch'
  | 'duplicate-access-key'
  | 'deleted-unknown-pair';

export const FINDING_MEANINGS: Record<FindingKind, string> = {
  lost: 'returned to its client, not deleted by it, yet missing',
  'orphan-after-failed-create': 'in the store, never returned, for a user one of whose createAkSk calls failed',
  orphan: 'in the store, never returned to any client',
  'survived-delete': 'deleted by its client (deleteAkSk succeeded), yet still in the store',
  'secret-mismatch': 'listed with another secret key than the one returned at creation',
  'duplicate-access-key': 'an access key returned twice by createAkSk',
  'deleted-unknown-pair': 'deleteAkSk reported deleting a pair never returned to a client',
};

export interface Finding {
  kind: FindingKind;
  /** `list` during the run, `delete`, `create`, or `audit` at the end. */
  seenAt: string;
  userName: string;
  accessKey: string;
}

export interface StorePair {
  accessKey: string;
  secretKey: string | undefined;
  userId: string;
}

export interface LedgerSummary {
  createCalls: number;
  /** `createAkSk` answered with a pair: it was returned to its client. */
  returned: number;
  createFailures: number;
  createFailuresByCode: Record<string, number>;
  /** Of those, failures where no answer came at all (timeout, reset): outcome unknown to the client. */
  createFailuresWithoutAnswer: number;
  deletedByClient: number;
  /** Pairs whose client's `deleteAkSk` failed: the client knows them; kept or not, neither is lost. */
  deleteUncertainAtEnd: number;
  deleteUncertainInStore: number;
  heldAtEnd: number;
  heldInStore: number;
  storePairs: number;
  findings: Record<FindingKind, number>;
  /** The first 20 findings, for the report. */
  examples: Finding[];
  /** Nothing lost, nothing orphaned, nothing inconsistent. */
  clean: boolean;
}

const MAX_EXAMPLES = 20;

export class PairLedger {
  private readonly pairs = new Map<string, PairRecord>();
  /** Access keys per user in state `held` or `delete-uncertain`. */
  private readonly live = new Map<string, Set<string>>();
  private readonly usersWithFailedCreate = new Set<string>();
  private readonly createFailuresByCode = new Map<string, number>();
  private readonly findings: Finding[] = [];
  private createCalls = 0;
  private returned = 0;
  private createFailuresWithoutAnswer = 0;
  private deletedByClient = 0;
  private audited: { storePairs: number; heldInStore: number; deleteUncertainInStore: number } | undefined;

  created(client: number, user: { id: string; name: string }, pair: { accessKey: string; secretKey: string }): void {
    this.createCalls++;
    this.returned++;
    const known = this.pairs.get(pair.accessKey);
    if (known) {
      this.find('duplicate-access-key', 'create', user.name, pair.accessKey);
      if (known.state !== 'deleted') return;
    }
    this.adopt({ ...pair, userId: user.id, userName: user.name, client, state: 'held' });
  }

  createFailed(user: { id: string }, code: string, noAnswer: boolean): void {
    this.createCalls++;
    this.usersWithFailedCreate.add(user.id);
    this.createFailuresByCode.set(code, (this.createFailuresByCode.get(code) ?? 0) + 1);
    if (noAnswer) this.createFailuresWithoutAnswer++;
  }

  /**
   * `deleteAkSk` succeeded: every live pair of the user is gone. `deletedAccessKeys` is checked
   * when the backend reports it (the Keystone backend does, the multicloud one does not).
   */
  deleted(user: { id: string; name: string }, deletedAccessKeys: readonly string[] | null | undefined): void {
    for (const accessKey of deletedAccessKeys ?? []) {
      if (!this.live.get(user.id)?.has(accessKey)) this.find('deleted-unknown-pair', 'delete', user.name, accessKey);
    }
    for (const accessKey of this.liveKeys(user.id)) {
      const record = this.pairs.get(accessKey)!;
      if (record.state === 'held' && record.client >= 0) this.deletedByClient++;
      this.retire(record, 'deleted');
    }
  }

  deleteFailed(user: { id: string }): void {
    for (const accessKey of this.liveKeys(user.id)) this.pairs.get(accessKey)!.state = 'delete-uncertain';
  }

  /** `akSk(userId)` answered: the user's live pairs, exactly. */
  listed(user: { id: string; name: string }, listed: ReadonlyArray<{ accessKey: string; secretKey: string }>): void {
    const seen = new Map(listed.map((pair) => [pair.accessKey, pair.secretKey]));
    for (const accessKey of this.liveKeys(user.id)) {
      const record = this.pairs.get(accessKey)!;
      const secretKey = seen.get(accessKey);
      if (record.state === 'delete-uncertain') {
        // The failed delete is settled either way.
        if (secretKey === undefined) this.retire(record, 'deleted');
        else record.state = 'held';
      } else if (secretKey === undefined) {
        this.find('lost', 'list', user.name, accessKey);
        this.retire(record, 'deleted');
      }
      if (secretKey !== undefined && secretKey !== record.secretKey) this.find('secret-mismatch', 'list', user.name, accessKey);
    }
    for (const [accessKey, secretKey] of seen) {
      const record = this.pairs.get(accessKey);
      if (record && this.live.get(user.id)?.has(accessKey)) continue;
      this.find(this.orphanKind(user.id, record), 'list', user.name, accessKey);
      this.adopt({ accessKey, secretKey, userId: user.id, userName: user.name, client: -1, state: 'held' });
    }
  }

  /** After every client stopped: the upstream's pairs of every user against the ledger. */
  audit(store: readonly StorePair[], userNames: ReadonlyMap<string, string>): void {
    const inStore = new Map(store.map((pair) => [pair.accessKey, pair]));
    let heldInStore = 0;
    let deleteUncertainInStore = 0;
    for (const record of this.pairs.values()) {
      const stored = inStore.get(record.accessKey);
      if (record.state === 'held') {
        if (!stored) this.find('lost', 'audit', record.userName, record.accessKey);
        else heldInStore++;
      } else if (record.state === 'delete-uncertain') {
        if (stored) deleteUncertainInStore++;
      } else if (stored) {
        this.find('survived-delete', 'audit', record.userName, record.accessKey);
      }
      if (stored && stored.secretKey !== record.secretKey)
        this.find('secret-mismatch', 'audit', record.userName, record.accessKey);
    }
    for (const pair of store) {
      if (this.pairs.has(pair.accessKey)) continue;
      this.find(this.orphanKind(pair.userId, undefined), 'audit', userNames.get(pair.userId) ?? pair.userId, pair.accessKey);
    }
    this.audited = { storePairs: store.length, heldInStore, deleteUncertainInStore };
  }

  summary(): LedgerSummary {
    const findings = Object.fromEntries(Object.keys(FINDING_MEANINGS).map((kind) => [kind, 0])) as Record<FindingKind, number>;
    for (const finding of this.findings) findings[finding.kind]++;
    const records = [...this.pairs.values()];
    const count = (state: PairState) => records.filter((record) => record.state === state).length;
    return {
      createCalls: this.createCalls,
      returned: this.returned,
      createFailures: this.createCalls - this.returned,
      createFailuresByCode: Object.fromEntries(this.createFailuresByCode),
      createFailuresWithoutAnswer: this.createFailuresWithoutAnswer,
      deletedByClient: this.deletedByClient,
      deleteUncertainAtEnd: count('delete-uncertain'),
      deleteUncertainInStore: this.audited?.deleteUncertainInStore ?? NaN,
      heldAtEnd: count('held'),
      heldInStore: this.audited?.heldInStore ?? NaN,
      storePairs: this.audited?.storePairs ?? NaN,
      findings,
      examples: this.findings.slice(0, MAX_EXAMPLES),
      clean: this.audited !== undefined && this.findings.length === 0,
    };
  }

  private orphanKind(userId: string, record: PairRecord | undefined): FindingKind {
    if (record?.state === 'deleted') return 'survived-delete';
    return this.usersWithFailedCreate.has(userId) ? 'orphan-after-failed-create' : 'orphan';
  }

  private liveKeys(userId: string): string[] {
    return [...(this.live.get(userId) ?? [])];
  }

  private adopt(record: PairRecord): void {
    this.pairs.set(record.accessKey, record);
    let keys = this.live.get(record.userId);
    if (!keys) this.live.set(record.userId, (keys = new Set()));
    keys.add(record.accessKey);
  }

  private retire(record: PairRecord, state: 'deleted'): void {
    record.state = state;
    this.live.get(record.userId)?.delete(record.accessKey);
  }

  private find(kind: FindingKind, seenAt: string, userName: string, accessKey: string): void {
    this.findings.push({ kind, seenAt, userName, accessKey });
  }
}
