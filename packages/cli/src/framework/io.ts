/**
 * Where a command's text goes. Standard output carries the result only (so it can be piped or
 * redirected); progress, summaries beside data, warnings and refusals go to standard error.
 * Commands write through this rather than `process` so they can run in-process (tests, fuzzing).
 */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The process's own streams. */
export const processIo: Io = {
  stdout: (text) => {
    process.stdout.write(text);
  },
  stderr: (text) => {
    if (!process.stderr.destroyed) process.stderr.write(text);
  },
};

/** An Io that keeps what is written, for running commands in-process. */
export class CapturedIo implements Io {
  out = '';
  err = '';
  stdout(text: string): void {
    this.out += text;
  }
  stderr(text: string): void {
    this.err += text;
  }
}

/** "warning: …" lines on standard error. */
export function warn(io: Io, message: string): void {
  io.stderr(`warning: ${message}\n`);
}
