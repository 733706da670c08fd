import { issuesFromFindings } from './issues-from-findings';
import type { Policy } from './policy';
import { policySchema } from './policy-schema';
import { PolicyValidationError } from './policy-validation-error';
import { findingsFromZod } from './zod-findings';

/**
 * Validates one normalized policy, such as the one embedded in an EventBridge schedule's input.
 * It accepts exactly what the loader produces: `parsePolicy(JSON.parse(JSON.stringify(policy)))`
 * deep-equals `policy`.
 * @param source names the origin in error messages.
 * @throws {PolicyValidationError} listing every problem.
 */
export function parsePolicy(value: unknown, source = 'policy input'): Policy {
  const result = policySchema.safeParse(value);
  if (result.success) return result.data;
  throw new PolicyValidationError(
    issuesFromFindings(findingsFromZod(policySchema, result.error, value), source),
  );
}
