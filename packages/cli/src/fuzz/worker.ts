/**
 * Runs fuzz cases in a worker thread, in-process, exactly as `gridtier` runs a command line
 * (runCommandLine with the real program and an Io that keeps what is written): ten thousand cases
 * cost minutes, not the hours of a process each. A case that does not end is stopped by the
 * harness terminating this thread; an error that escapes a command crashes the thread, and the
 * harness counts it.
 */
import { parentPort } from 'node:worker_threads';
import { CapturedIo } from '../framework/io.js';
import { runCommandLine } from '../framework/run.js';
import { program, version } from '../program.js';
import { type RunReport, STACK_LINE } from './oracle.js';

export interface CaseRequest {
  id: number;
  argv: string[];
}

export interface CaseAnswer extends RunReport {
  id: number;
}

/** Enough of each stream to judge and to show; the stack check sees all of it. */
const KEEP_CHARS = 16_000;

const port = parentPort;
if (!port) throw new Error('fuzz worker: not started as a worker thread');

port.on('message', async ({ id, argv }: CaseRequest) => {
  const io = new CapturedIo();
  const t0 = performance.now();
  const r = await runCommandLine(program, argv, io, { version });
  const answer: CaseAnswer = {
    id,
    code: r.code,
    outcome: r.outcome,
    stdout: io.out.slice(0, KEEP_CHARS),
    stderr: io.err.slice(0, KEEP_CHARS),
    stack: STACK_LINE.test(io.out) || STACK_LINE.test(io.err),
    ms: performance.now() - t0,
  };
  port.postMessage(answer);
});
