import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { PathSegment, PolicyFinding } from './policy-finding';

/** Bounds on what the loader reads, against mistakes and hostile input alike. */
export interface YamlLimits {
  /**
   * Largest file accepted, in bytes (UTF-8).
   * @default 1_048_576 (1 MiB)
   */
  readonly maxBytes?: number;
  /**
   * Most aliases (`*name`) accepted, counting each expansion, against "billion laughs" files.
   * @default 100
   */
  readonly maxAliasCount?: number;
  /**
   * Deepest nesting of mappings and lists accepted.
   * @default 32
   */
  readonly maxDepth?: number;
}

/** A parsed YAML document, and a way back from a document path to a line and column. */
export interface YamlSource {
  readonly value: unknown;
  readonly locate: (finding: PolicyFinding) => { line: number; column: number };
}

export const DEFAULT_YAML_LIMITS: Required<YamlLimits> = {
  maxBytes: 1_048_576,
  maxAliasCount: 100,
  maxDepth: 32,
};

/**
 * Parses YAML 1.2 (core schema: no timestamps, no `yes`/`no` booleans, no merge keys) and checks
 * the file-level rules before any policy rule: size, syntax, duplicate keys, no tags, aliases that
 * resolve and stay few, bounded nesting. Returns either the value or every YAML-level finding.
 */
export function readYaml(
  text: string,
  limits: YamlLimits = {},
):
  { source: YamlSource; findings?: undefined } | { findings: PolicyFinding[]; locate: YamlSource['locate'] } {
  const { maxBytes, maxAliasCount, maxDepth } = { ...DEFAULT_YAML_LIMITS, ...limits };
  const start = () => ({ line: 1, column: 1 });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) return { locate: start, findings: [fileSizeFinding(bytes, maxBytes)] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    version: '1.2',
    schema: 'core',
    merge: false,
    uniqueKeys: false, // checked below, with the key's path
    stringKeys: true,
    prettyErrors: false,
  });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const located = new Map<PolicyFinding, { line: number; column: number }>();
  const locateAt = (finding: PolicyFinding, offset: number) => {
    located.set(finding, position(offset));
    return finding;
  };
  const findings = doc.errors.map((error) =>
    locateAt({ path: [], expected: 'valid YAML', receivedText: firstLine(error.message) }, error.pos[0]),
  );
  if (findings.length === 0)
    findings.push(...checkNodes(doc, { maxAliasCount, maxDepth }, locateAt, position));
  const locate = (finding: PolicyFinding) => located.get(finding) ?? locatePath(doc, finding, position);
  if (findings.length > 0) return { findings, locate };
  try {
    return { source: { value: doc.toJS({ maxAliasCount }), locate } };
  } catch (error) {
    // The yaml package throws plain errors for unresolved or excessive aliases.
    const message = error instanceof Error ? error.message : String(error);
    return {
      locate,
      findings: [
        {
          path: [],
          expected: `valid YAML with at most ${maxAliasCount} aliases`,
          receivedText: firstLine(message),
        },
      ],
    };
  }
}

/** The finding for a file over the size limit (at line 1, column 1). */
export function fileSizeFinding(bytes: number, maxBytes: number): PolicyFinding {
  return {
    path: [],
    expected: `a file of at most ${formatBytes(maxBytes)}`,
    receivedText: formatBytes(bytes),
  };
}

type LocateAt = (finding: PolicyFinding, offset: number) => PolicyFinding;

/** Walks the node tree without recursion: tags, duplicate keys, aliases, depth. */
function checkNodes(
  doc: Document,
  { maxAliasCount, maxDepth }: { maxAliasCount: number; maxDepth: number },
  locateAt: LocateAt,
  position: (offset: number) => { line: number; column: number },
): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  let aliases = 0;
  const stack: { node: unknown; path: PathSegment[] }[] = [{ node: doc.contents, path: [] }];
  while (stack.length > 0 && findings.length < 100) {
    const { node, path } = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    const offset = (node as Node).range?.[0] ?? 0;
    if (isAlias(node)) {
      aliases += 1;
      if (aliases === maxAliasCount + 1) {
        findings.push(
          locateAt(
            { path, expected: `at most ${maxAliasCount} aliases`, receivedText: `*${node.source}` },
            offset,
          ),
        );
      }
      if (!node.resolve(doc)) {
        findings.push(
          locateAt(
            { path, expected: 'an alias to an anchor defined before it', receivedText: `*${node.source}` },
            offset,
          ),
        );
      }
      continue;
    }
    const tag = (node as { tag?: string }).tag;
    if (tag) {
      findings.push(
        locateAt(
          { path, expected: 'no YAML tags', receivedText: tag.replace('tag:yaml.org,2002:', '!!') },
          offset,
        ),
      );
    }
    if (path.length > maxDepth) {
      findings.push(
        locateAt(
          { path, expected: `at most ${maxDepth} levels of nesting`, receivedText: `${path.length} levels` },
          offset,
        ),
      );
      continue;
    }
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const keyOffset = (pair.key as Node | null)?.range?.[0] ?? offset;
        if (isScalar(pair.key) && pair.key.tag) {
          findings.push(
            locateAt(
              {
                path: [...path, key],
                atKey: true,
                expected: 'no YAML tags',
                receivedText: shortTag(pair.key.tag),
              },
              keyOffset,
            ),
          );
        }
        const first = seen.get(key);
        if (first !== undefined) {
          findings.push(
            locateAt(
              {
                path: [...path, key],
                atKey: true,
                expected: 'each key once per mapping',
                received: key,
                hint: `first at line ${position(first).line}`,
              },
              keyOffset,
            ),
          );
        } else {
          seen.set(key, keyOffset);
        }
        stack.push({ node: pair.value, path: [...path, key] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => stack.push({ node: item, path: [...path, index] }));
    }
  }
  return findings;
}

/** The position of the deepest node on a path: the value itself, its key when asked or when empty, else the parent. */
function locatePath(
  doc: Document,
  finding: PolicyFinding,
  position: (offset: number) => { line: number; column: number },
): { line: number; column: number } {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (let index = 0; index < finding.path.length; index++) {
    const segment = finding.path[index]!;
    if (isAlias(node)) node = node.resolve(doc);
    const last = index === finding.path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      const keyOffset = (pair.key as Node).range?.[0] ?? offset;
      const valueOffset = (pair.value as Node | null)?.range?.[0];
      offset = (last && finding.atKey) || valueOffset === undefined ? keyOffset : valueOffset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment];
      offset = (node as Node).range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return position(offset);
}

/** `tag:yaml.org,2002:str` is written `!!str` in the file. */
function shortTag(tag: string): string {
  return tag.replace('tag:yaml.org,2002:', '!!');
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
}

function formatBytes(bytes: number): string {
  return bytes >= 1_048_576 && bytes % 1_048_576 === 0
    ? `${bytes / 1_048_576} MiB`
    : bytes >= 1024
      ? `${(bytes / 1_048_576).toFixed(2)} MiB (${bytes} bytes)`
      : `${bytes} bytes`;
}
