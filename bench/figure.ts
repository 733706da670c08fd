/** A figure's goal: the value must be at most (`max`) or at least (`min`) this. */
export type Goal = { readonly max: number } | { readonly min: number };

export interface Figure {
  /** Stable name, e.g. `client.pacing_ratio`; the README table and results.json key on it. */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Absent for figures printed for context only. */
  readonly goal?: Goal;
  /**
   * Which time the figure is measured in. `virtual`: simulated time on a discrete-event clock,
   * the same on a busy and an idle machine. `wall`: real time, which the machine's load moves.
   * Counts (requests, writes, 429s) are `count`.
   * @default 'count'
   */
  readonly clock?: 'virtual' | 'wall' | 'count';
}

/** How a suite hands a measured figure to the bench runner. */
export type RecordFigure = (figure: Figure) => void;

/** A bench suite: measures, records its figures, and cleans up whatever it started. */
export type BenchSuite = (record: RecordFigure) => Promise<void>;

export function meetsGoal(figure: Figure): boolean | undefined {
  if (!figure.goal) return undefined;
  return 'max' in figure.goal ? figure.value <= figure.goal.max : figure.value >= figure.goal.min;
}

export function formatFigure(figure: Figure): string {
  const verdict = meetsGoal(figure);
  const goal = figure.goal
    ? 'max' in figure.goal
      ? `goal <= ${figure.goal.max}`
      : `goal >= ${figure.goal.min}`
    : '';
  const marker = verdict === undefined ? '' : verdict ? 'pass' : 'MISS';
  const clock = figure.clock === 'virtual' || figure.clock === 'wall' ? `[${figure.clock}]` : '';
  return [`${figure.name} ${round(figure.value)} ${figure.unit}`, clock, goal, marker]
    .filter(Boolean)
    .join('  ');
}

function round(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toFixed(3));
}
