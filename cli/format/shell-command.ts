/** Characters a POSIX shell reads literally, so that a word made only of them needs no quotes. */
const PLAIN_WORD = /^[\w./:=@%+,-]+$/;

/**
 * A command line to print as a hint, each word quoted for a POSIX shell where needed, so that it
 * runs as shown when pasted.
 */
export function shellCommand(words: readonly string[]): string {
  return words.map((word) => (PLAIN_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}
