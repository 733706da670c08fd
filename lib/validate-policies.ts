import { parsePolicy } from '../lambdas/core/policy/parse-policy';
import type { Policy } from '../lambdas/core/policy/policy';
import type { PolicyIssue } from '../lambdas/core/policy/policy-issue';
import { PolicyValidationError } from '../lambdas/core/policy/policy-validation-error';

/** Names the construct's prop in every issue, where the loader would name a file. */
export const POLICIES_SOURCE = 'DropletScheduler policies';

/**
 * Validates the construct's policies with the loader's own schema, so that policies written in
 * TypeScript fail synth exactly as a YAML file would: every issue, with its path and value.
 * Names must also be unique, since each one names a schedule, and each unpark policy needs its park
 * policy beside it.
 * @throws {PolicyValidationError}
 */
export function validatePolicies(policies: readonly Policy[]): Policy[] {
  const issues: PolicyIssue[] = [];
  const valid: Policy[] = [];
  const seen = new Map<string, number>();
  policies.forEach((policy, index) => {
    const at = (path: string) => `policies[${index}]${path === '' ? '' : `.${path}`}`;
    try {
      valid.push(parsePolicy(policy, POLICIES_SOURCE));
    } catch (error) {
      if (!(error instanceof PolicyValidationError)) throw error;
      issues.push(...error.issues.map((issue) => ({ ...issue, path: at(issue.path) })));
    }
    const name = (policy as { name?: unknown }).name;
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, index);
    } else {
      const expected = `a name no other policy has (policies[${first}] is already ${JSON.stringify(name)})`;
      issues.push({
        file: POLICIES_SOURCE,
        path: at('name'),
        received: JSON.stringify(name),
        expected,
        message: `expected ${expected}, got: ${JSON.stringify(name)}`,
      });
    }
  });
  issues.push(...unparkedPairs(policies));
  if (issues.length > 0) throw new PolicyValidationError(issues);
  return valid;
}

/**
 * An unpark policy recreates what its park policy parked, so the park policy must be deployed
 * beside it; the loader's `parkSchedule` always makes the pair, policies written in TypeScript
 * may not.
 */
function unparkedPairs(policies: readonly Policy[]): PolicyIssue[] {
  // Read as written: a policy that failed its schema can still name or be a park policy.
  const parkingOf = (policy: Policy) => (policy as Partial<Policy> | null)?.parking;
  const parks = new Set(
    policies.filter((policy) => parkingOf(policy)?.role === 'park').map((policy) => policy.name),
  );
  return policies.flatMap((policy, index) => {
    const parking = parkingOf(policy);
    // A parkPolicy that is not a name at all is the schema's to report.
    if (parking?.role !== 'unpark' || typeof parking.parkPolicy !== 'string' || parks.has(parking.parkPolicy))
      return [];
    const received = JSON.stringify(parking.parkPolicy);
    const expected = 'the name of a park policy among these policies (one with parking.role park)';
    return [
      {
        file: POLICIES_SOURCE,
        path: `policies[${index}].parking.parkPolicy`,
        received,
        expected,
        message: `expected ${expected}, got: ${received}`,
      },
    ];
  });
}
