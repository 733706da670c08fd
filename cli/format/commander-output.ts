import type { OutputConfiguration } from 'commander';
import type { Output } from '../output';

/**
 * Sends commander's own text (help, "unknown option" and bad-value lines) through our Output, so
 * that it is captured in-process and redacted like everything else. `addCommand` does not pass
 * the program's output settings on to a subcommand, so each subcommand sets them.
 */
export function commanderOutput(output: Output): OutputConfiguration {
  return {
    writeOut: (text) => output.line(text.trimEnd()),
    writeErr: (text) => output.note(text.trimEnd()),
  };
}
