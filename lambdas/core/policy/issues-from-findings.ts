import { formatPath } from './format-path';
import type { PolicyFinding } from './policy-finding';
import type { PolicyIssue } from './policy-issue';
import { renderReceived } from './render-received';

/** Where a finding is in the text; undefined when the source is not text. */
export type LocateFinding = (finding: PolicyFinding) => { line: number; column: number } | undefined;

/** Locates findings and phrases each as `expected …, got: …` (with its hint). */
export function issuesFromFindings(
  findings: readonly PolicyFinding[],
  file: string,
  locate: LocateFinding = () => undefined,
): PolicyIssue[] {
  return findings.map((finding) => {
    const received = finding.receivedText ?? renderReceived(finding.received, finding.missing);
    const hint = finding.hint ? ` (${finding.hint})` : '';
    const location = locate(finding);
    return {
      file,
      ...(location ? { line: location.line, column: location.column } : {}),
      path: formatPath(finding.path),
      received,
      expected: finding.expected,
      message: `expected ${finding.expected}, got: ${received}${hint}`,
    };
  });
}
