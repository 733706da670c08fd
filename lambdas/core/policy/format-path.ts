import type { PathSegment } from './policy-finding';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `['policies', 2, 'action', 'size']` → `policies[2].action.size`; odd keys are quoted: `a["b c"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}
