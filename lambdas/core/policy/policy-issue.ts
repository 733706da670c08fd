/**
 * One problem found in a policy file, located both in the text (line, column) and in the document
 * (`policies[2].action.size`), with what was there and what was expected.
 */
export interface PolicyIssue {
  /** The file as the user named it, or a description of the source such as `schedule input`. */
  readonly file: string;
  /** 1-based line of the offending value (of the parent mapping when the value is missing); absent when the policy did not come from text. */
  readonly line?: number;
  /** 1-based column, alongside `line`. */
  readonly column?: number;
  /** Where in the document, e.g. `policies[2].action.size`; empty for the document itself. */
  readonly path: string;
  /** The name of the policy the issue is in, when it has a readable one. */
  readonly policy?: string;
  /** A short JSON rendering of the value found, or `nothing` when it is missing. */
  readonly received: string;
  /** What would have been accepted, e.g. `a size slug such as s-2vcpu-2gb`. */
  readonly expected: string;
  /** The readable sentence: `expected <expected>, got: <received>`, with a hint when there is one. */
  readonly message: string;
}

/** `file:line:column path: message`, the form the CLI and `cdk synth` print, one issue per line. */
export function formatPolicyIssue(issue: PolicyIssue): string {
  const location = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  const path = issue.path === '' ? '(document)' : issue.path;
  const policy = issue.policy === undefined ? '' : ` (policy ${issue.policy})`;
  return `${location} ${path}${policy}: ${issue.message}`;
}
