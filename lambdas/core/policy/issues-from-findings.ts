import { formatPath } from './format-path';
import type { PolicyFinding } from './policy-finding';
import type { PolicyIssue } from './policy-issue';
import { renderReceived } from './render-received';

/** Where a finding is in the text; undefined when the source is not text. */
export type LocateFinding = (finding: PolicyFinding) => { line: number; column: number } | undefined;

/** The `name` of the policy a path points into (`policies[2]…`), when it is a plain string. */
function policyNameAt(document: unknown, path: PolicyFinding['path']): string | undefined {
  if (path[0] !== 'policies' || typeof path[1] !== 'number') return undefined;
  const policies = (document as { policies?: unknown } | undefined)?.policies;
  const name = Array.isArray(policies)
    ? (policies[path[1]] as { name?: unknown } | undefined)?.name
    : undefined;
  return typeof name === 'string' && name.length > 0 && name.length <= 80 ? JSON.stringify(name) : undefined;
}

/** Locates findings and phrases each as `expected …, got: …` (with its hint). */
export function issuesFromFindings(
  findings: readonly PolicyFinding[],
  file: string,
  locate: LocateFinding = () => undefined,
  document?: unknown,
): PolicyIssue[] {
  return findings.map((finding) => {
    const received = finding.receivedText ?? renderReceived(finding.received, finding.missing);
    const hint = finding.hint ? ` (${finding.hint})` : '';
    const location = locate(finding);
    const policy = policyNameAt(document, finding.path);
    return {
      file,
      ...(location ? { line: location.line, column: location.column } : {}),
      path: formatPath(finding.path),
      ...(policy === undefined ? {} : { policy }),
      received,
      expected: finding.expected,
      message: `expected ${finding.expected}, got: ${received}${hint}`,
    };
  });
}
