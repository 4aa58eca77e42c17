import type { LinearModelArrays, LpSolution, SolveOptions } from '../opt/index.js';

/** What the main thread asks the solver worker; the id pairs each answer with its request. */
export type SolverRequest =
  | { id: number; kind: 'solve'; model: LinearModelArrays; options: SolveOptions }
  | { id: number; kind: 'write'; model: LinearModelArrays; format: 'lp' | 'mps' };

/** The worker's answer, with the memory its solver holds so the caller can recycle it. */
export type SolverReply =
  | { id: number; ok: true; solution?: LpSolution; text?: string; memoryBytes: number }
  | { id: number; ok: false; message: string };
