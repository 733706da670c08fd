/** A figure's goal: the value must be at most (`max`) or at least (`min`) this. */
export type Goal = { readonly max: number } | { readonly min: number };

export interface Figure {
  /** Stable name, e.g. `client.pacing_ratio`; the README table and results.json key on it. */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Absent for figures printed for context only. */
  readonly goal?: Goal;
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
  return [`${figure.name} ${round(figure.value)} ${figure.unit}`, goal, marker].filter(Boolean).join('  ');
}

function round(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toFixed(3));
}
