import { readFile, stat } from 'node:fs/promises';
import { DropletSchedulerError } from '../errors/droplet-scheduler-error';
import { issuesFromFindings } from './issues-from-findings';
import { normalizePolicyDocument } from './normalize-policy-document';
import type { Policy, PolicySet } from './policy';
import type { PolicyIssue } from './policy-issue';
import { PolicyValidationError } from './policy-validation-error';
import { DEFAULT_YAML_LIMITS, fileSizeFinding, readYaml, type YamlLimits } from './yaml-source';

/**
 * Parses and validates a policy file's text (YAML 1.2; JSON is YAML too) and returns its
 * normalized policies.
 * @param file names the file in every issue.
 * @throws {PolicyValidationError} listing every problem found, each with file, line, column,
 * path, the value received and what was expected. Nothing else escapes.
 */
export function loadPolicies(text: string, file: string, limits: YamlLimits = {}): PolicySet {
  try {
    return { file, policies: validate(text, file, limits) };
  } catch (error) {
    throw asPolicyValidationError(error, file, 'a policy file the loader can read');
  }
}

/**
 * Reads a policy file from disk and loads it (see `loadPolicies`). A file that cannot be read, or
 * that is over the size limit (checked before reading it), is a `PolicyValidationError` too.
 */
export async function loadPolicyFile(path: string, limits: YamlLimits = {}): Promise<PolicySet> {
  const maxBytes = limits.maxBytes ?? DEFAULT_YAML_LIMITS.maxBytes;
  let text: string;
  try {
    const { size } = await stat(path);
    if (size > maxBytes) {
      throw new PolicyValidationError(
        issuesFromFindings([fileSizeFinding(size, maxBytes)], path, () => ({ line: 1, column: 1 })),
      );
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw asPolicyValidationError(error, path, 'a readable file');
  }
  return loadPolicies(text, path, limits);
}

function validate(text: string, file: string, limits: YamlLimits): Policy[] {
  const yaml = readYaml(text, limits);
  if (yaml.findings) fail(issuesFromFindings(yaml.findings, file, yaml.locate));
  const { policies, findings } = normalizePolicyDocument(yaml.source.value);
  if (findings.length > 0) fail(issuesFromFindings(findings, file, yaml.source.locate, yaml.source.value));
  return policies;
}

/** Throws the issues sorted by line and column (stable), so that the list reads top to bottom like the file. */
function fail(issues: PolicyIssue[]): never {
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  throw new PolicyValidationError(issues);
}

/** Ours pass through; anything else (an I/O error, a parser failure we did not foresee) is wrapped, with its cause. */
function asPolicyValidationError(error: unknown, file: string, expected: string): DropletSchedulerError {
  if (error instanceof DropletSchedulerError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const received = (code ?? (error instanceof Error ? error.message : String(error))).slice(0, 200);
  return new PolicyValidationError(
    [{ file, path: '', received, expected, message: `expected ${expected}, got: ${received}` }],
    { cause: error },
  );
}
