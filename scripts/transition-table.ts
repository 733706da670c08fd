import { TRANSITIONS, type Row } from '../lambdas/core/state/transitions';

/** One row of the transition table as `docs/architecture.md` shows it. */
export function renderRow(row: Row): string {
  const effects =
    row.effects.length === 0
      ? '—'
      : row.effects
          .map((rule) => (typeof rule === 'string' ? rule : `${rule.effect} if ${rule.when.text}`))
          .join(', ');
  return `| ${row.kind} | ${row.from} | ${row.on} | ${row.to} | ${row.guard?.text ?? '—'} | ${effects} |`;
}

/** The whole table, header included, in the order `transition` tries the rows. */
export function renderTransitionTable(): string {
  return [
    '| item | from | event | to | when | effects |',
    '|---|---|---|---|---|---|',
    ...TRANSITIONS.map(renderRow),
  ].join('\n');
}

if (require.main === module) process.stdout.write(`${renderTransitionTable()}\n`);
