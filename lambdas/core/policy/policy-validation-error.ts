import { DropletSchedulerError } from '../errors/droplet-scheduler-error';
import { formatPolicyIssue, type PolicyIssue } from './policy-issue';

/**
 * A policy file (or one policy handed to a Lambda) is not valid. It carries every issue found,
 * not just the first, and its message lists them one per line as `file:line:column path: message`,
 * so that the CLI and `cdk synth` can print it verbatim.
 */
export class PolicyValidationError extends DropletSchedulerError {
  override name = 'PolicyValidationError' as const;

  readonly issues: readonly PolicyIssue[];

  constructor(issues: readonly PolicyIssue[], options?: { cause?: unknown }) {
    super('policy_invalid', issues.map(formatPolicyIssue).join('\n'), options);
    this.issues = issues;
  }
}
