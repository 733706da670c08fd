import { runCli } from '../cli/run-cli';

// `droplet-scheduler --help | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

void runCli(process.argv.slice(2)).then((exitCode) => {
  process.exitCode = exitCode;
});
