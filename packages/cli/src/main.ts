#!/usr/bin/env node
// The `gridtier` command. Start-up loads only the commands' declarations; a command's
// implementation (and the parts of GridTier it uses) is imported when it runs.
import { EXIT } from './framework/errors.js';
import { processIo } from './framework/io.js';
import { report, runCommandLine } from './framework/run.js';
import { program, version } from './program.js';

const argv = process.argv.slice(2);
const debug = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length).includes('--debug');

// a reader that stops early (`| head`) is not an error of ours
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(EXIT.ok);
  throw e;
});
// a reader of standard error that stops early loses the progress, not the run (and reporting
// that loss on standard error again would never end)
process.stderr.on('error', () => {});
// what escapes a command (a stream's or a worker's error) is reported like any other fault
const fatal = (e: unknown) => {
  process.exitCode = report(e, program.name, debug, processIo).code;
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

runCommandLine(program, argv, processIo, { version }).then((r) => {
  process.exitCode = r.code;
});
