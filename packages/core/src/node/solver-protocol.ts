import type { LinearModelArrays, LpSolution, SolveOptions } from '../opt/index.js';

/** What the main thread asks the solver worker. */
export type SolverRequest =
  | { kind: 'solve'; model: LinearModelArrays; options: SolveOptions }
  | { kind: 'write'; model: LinearModelArrays; format: 'lp' | 'mps' };

/** The worker's answer, with the memory its solver holds so the caller can recycle it. */
export type SolverReply =
  | { ok: true; solution?: LpSolution; text?: string; memoryBytes: number }
  | { ok: false; message: string };
