import { ledgerInputError } from '../../core/ledger/ledger-input-error';

/** Where the next page of a ledger query starts. Opaque to callers; each adapter fills `after` its own way. */
export interface LedgerCursorPosition {
  /**
   * The query and its arguments (e.g. `by-droplet|42|<from>|<to>`), so that a cursor handed to
   * another query is refused instead of silently returning the wrong page.
   */
  readonly scope: string;
  /** The partition (open shard, status month) the next page starts in. */
  readonly partition: number;
  /** Where to resume inside that partition: DynamoDB's `LastEvaluatedKey`, or the in-memory adapter's last item. */
  readonly after?: Readonly<Record<string, string | number>>;
}

/** A cursor string: base64url of a small JSON document. */
export function encodeLedgerCursor(position: LedgerCursorPosition): string {
  const document = { s: position.scope, p: position.partition, a: position.after };
  return Buffer.from(JSON.stringify(document), 'utf8').toString('base64url');
}

/** Reads a cursor back, refusing one that was not made by `encodeLedgerCursor` for the same `scope`. */
export function decodeLedgerCursor(cursor: string, scope: string): LedgerCursorPosition {
  const expected = `a cursor returned by the same query (${scope})`;
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw ledgerInputError('cursor', cursor, expected);
  }
  if (typeof document !== 'object' || document === null) throw ledgerInputError('cursor', cursor, expected);
  const { s, p, a } = document as { s?: unknown; p?: unknown; a?: unknown };
  if (s !== scope || !Number.isSafeInteger(p) || (p as number) < 0) {
    throw ledgerInputError('cursor', cursor, expected);
  }
  if (a !== undefined && !isKeyRecord(a)) throw ledgerInputError('cursor', cursor, expected);
  return { scope, partition: p as number, after: a };
}

function isKeyRecord(value: unknown): value is Record<string, string | number> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((field) => typeof field === 'string' || typeof field === 'number')
  );
}
