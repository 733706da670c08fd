import { formatPath } from './format-path';
import { asMapping, readMapping } from './mapping-fields';
import { normalizePolicy } from './normalize-policy';
import type { Policy } from './policy';
import { readDefaults } from './policy-defaults';
import type { PolicyFinding } from './policy-finding';

export const ROOT_KEYS = ['defaults', 'policies'] as const;

/**
 * Validates a whole policy document (already parsed from YAML or JSON) and normalizes it. Every
 * problem is reported, across all policies; policies come back only when there is none.
 */
export function normalizePolicyDocument(document: unknown): {
  policies: Policy[];
  findings: PolicyFinding[];
} {
  const findings: PolicyFinding[] = [];
  // An empty file parses as null: say that nothing was there.
  const root = readMapping(
    document === null ? undefined : document,
    [],
    ROOT_KEYS,
    'a mapping with policies: [ … ] (and optionally defaults: { … })',
    findings,
  );
  if (!root) return { policies: [], findings };
  const defaults = readDefaults(root.defaults, findings);
  const list = root.policies;
  if (!Array.isArray(list) || list.length === 0) {
    findings.push({
      path: ['policies'],
      expected: 'a list of at least one policy',
      received: list,
      missing: list === undefined,
    });
    return { policies: [], findings };
  }

  const policies: Policy[] = [];
  const firstByName = new Map<string, number>();
  list.forEach((entry, index) => {
    const path = ['policies', index];
    for (const policy of normalizePolicy(entry, path, defaults, findings)) {
      const first = firstByName.get(policy.name);
      if (first === undefined) {
        firstByName.set(policy.name, index);
        policies.push(policy);
        continue;
      }
      const expansion = policy.expandedFrom
        ? ` (its ${policy.parking ? 'parkSchedule' : 'powerSchedule'} makes ${policy.name})`
        : '';
      findings.push({
        path: [...path, 'name'],
        expected: `a name no other policy uses${expansion}`,
        received: asMapping(entry)?.name,
        hint: `${formatPath(['policies', first])} already makes a policy named ${policy.name}`,
      });
    }
  });
  return findings.length > 0 ? { policies: [], findings } : { policies, findings };
}
