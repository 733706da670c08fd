/** A key or index on the way from the document root to a value. */
export type PathSegment = string | number;

/**
 * A problem found while validating, before it is located in the file: the loader turns each one
 * into a `PolicyIssue` with line and column, `parsePolicy` into one without.
 */
export interface PolicyFinding {
  readonly path: readonly PathSegment[];
  /** What would have been accepted, phrased to follow "expected". */
  readonly expected: string;
  /** The value found; ignored when `missing`. */
  readonly received?: unknown;
  /** Shown as is instead of rendering `received`, for things that are not values (`2.3 MiB`, a YAML error). */
  readonly receivedText?: string;
  /** The key is absent: the issue points at the parent mapping and says `got: nothing`. */
  readonly missing?: boolean;
  /** Point at the key rather than its value (unknown keys). */
  readonly atKey?: boolean;
  /** A nudge appended in parentheses, e.g. `did you mean "targets"?`. */
  readonly hint?: string;
}

/** Prefixes every finding's path, to lift findings about a part into findings about the whole. */
export function underPath(
  prefix: readonly PathSegment[],
  findings: readonly PolicyFinding[],
): PolicyFinding[] {
  return findings.map((finding) => ({ ...finding, path: [...prefix, ...finding.path] }));
}
