import { CMatrix } from '../../linalg/index.js';
import { type NetworkElement, type Terminal, twoTerminal } from './element.js';

/**
 * A fault: conductance 1/r per phase between two terminals (the second usually ground). A
 * shunt fault has no series part, so it stays out of the zero-load network, as in OpenDSS.
 */
export class FaultElement implements NetworkElement {
  readonly kind = 'fault' as const;
  readonly isSeries: boolean;
  readonly condsPerTerminal: number;
  private readonly y: CMatrix;

  constructor(
    readonly id: string,
    readonly terminals: Terminal[],
    phases: number,
    rOhms: number,
  ) {
    this.condsPerTerminal = phases;
    this.isSeries = terminals[0].bus !== terminals[1].bus;
    const g = new CMatrix(phases);
    for (let i = 0; i < phases; i++) g.set(i, i, 1 / rOhms, 0);
    this.y = twoTerminal(g);
  }

  yprim(): CMatrix {
    return this.y;
  }

  yprimSeries(): CMatrix {
    return this.isSeries ? this.y : this.y.clone().scale(0);
  }
}
