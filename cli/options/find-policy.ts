import path from 'node:path';
import { loadPolicyFile, type Policy } from '../../lambdas/core/policy';
import type { CliContext } from '../cli-context';
import { UsageError } from '../usage-error';

/** The policy a command names, from the policy file; a name not in it is bad input that lists the ones that are. */
export async function findPolicy(context: CliContext, file: string, name: string): Promise<Policy> {
  const { policies } = await loadPolicyFile(path.resolve(context.cwd, file));
  const policy = policies.find((candidate) => candidate.name === name);
  if (!policy) {
    const known = policies.map((candidate) => candidate.name).join(', ');
    throw new UsageError('POLICY', name, `one of the policies in ${file}: ${known || '(none)'}`);
  }
  return policy;
}
