import { BinaryHeap } from '../collections/index.js';

/**
 * What runs first among tasks due at the same instant: the physical world's step (meters
 * read at the end of an interval), then publications (prices, sessions opening), then the
 * agents, then the markets' gates. So an agent that wakes at a gate's instant still gets its
 * orders in, and a gate's results reach the agents at the same instant.
 */
export const PHASE = { world: 0, publish: 1, agent: 2, gate: 3 } as const;
export type Phase = (typeof PHASE)[keyof typeof PHASE];

export interface Task {
  t: number;
  phase: Phase;
  /** insertion order: ties in time and phase run in the order they were scheduled */
  order: number;
  /** who the task belongs to: an agent's failures are charged to it */
  owner: string;
  run: () => void | Promise<void>;
}

/** Tasks by due time, phase and insertion order. */
export class Scheduler {
  private readonly heap = new BinaryHeap<Task>((a, b) =>
    a.t !== b.t ? a.t < b.t : a.phase !== b.phase ? a.phase < b.phase : a.order < b.order,
  );
  private inserted = 0;

  get size(): number {
    return this.heap.size;
  }

  at(t: number, phase: Phase, owner: string, run: Task['run']): Task {
    const task = { t, phase, order: this.inserted++, owner, run };
    this.heap.push(task);
    return task;
  }

  peek(): Task | undefined {
    return this.heap.peek();
  }

  pop(): Task | undefined {
    return this.heap.pop();
  }
}
