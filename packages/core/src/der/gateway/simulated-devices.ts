import { ControlLaw, newControlReport } from '../control/index.js';
import {
  FLAG_OFFLINE,
  FLAG_UNINFORMED,
  type Fleet,
  FleetStepper,
  newControlVector,
  newStepStats,
  SLOT_DF,
  SLOT_DR,
  SLOT_ER,
  STATE_DF,
  STATE_DR,
  STATE_EF,
  STATE_ER,
  TIER_BLACK,
} from '../devices/index.js';
import type { Broadcast } from './broadcast.js';
import { controlFromBroadcast } from './broadcast.js';
import type { CommandKind } from './commands.js';
import type { Telemetry } from './telemetry.js';

/**
 * Devices at the edge, as many as a process holds: each runs the control law on the broadcast it
 * heard and draws its own switch; one that heard nothing this round makes no controller switch.
 * Their physics is der/devices' (one FleetStepper over the slice, which is the same arithmetic as
 * stepping each device alone). Device i of the slice is `fleet` entry i.
 */
export class SimulatedDevices {
  private readonly stepper: FleetStepper;
  private readonly law = new ControlLaw({ gain: 1, fairnessSwapPerRound: 0.02 });
  private readonly vector: ReturnType<typeof newControlVector>;
  private readonly report = newControlReport();
  private readonly stats = newStepStats();
  /** last round each device heard a broadcast of */
  readonly heardRound: Int32Array;
  /** devices still connected (a dropped device is offline for good in a run) */
  readonly connected: Uint8Array;
  private readonly seq: Float64Array;

  constructor(
    readonly fleet: Fleet,
    dtS: number,
  ) {
    this.stepper = new FleetStepper(fleet, dtS);
    this.vector = newControlVector(fleet);
    this.heardRound = new Int32Array(fleet.size).fill(-1);
    this.connected = new Uint8Array(fleet.size).fill(1);
    this.seq = new Float64Array(fleet.size);
  }

  get size(): number {
    return this.fleet.size;
  }

  heard(i: number, round: number): void {
    if (round > this.heardRound[i]) this.heardRound[i] = round;
  }

  /** Devices that are connected and have not heard `round` yet. */
  waitingFor(round: number): number {
    let n = 0;
    for (let i = 0; i < this.fleet.size; i++) if (this.connected[i] === 1 && this.heardRound[i] < round) n++;
    return n;
  }

  /** One round on the broadcast of `b`: every device that heard it applies the law; then the physics. */
  step(b: Broadcast): { switches: number; overrides: number } {
    controlFromBroadcast(b, this.law, this.vector, this.report);
    const { flags } = this.fleet;
    for (let i = 0; i < this.fleet.size; i++) {
      if (this.connected[i] === 0) flags[i] |= FLAG_OFFLINE;
      if (this.heardRound[i] < b.round) flags[i] |= FLAG_UNINFORMED;
    }
    this.stepper.step(this.vector, this.stats);
    for (let i = 0; i < this.fleet.size; i++) flags[i] &= ~FLAG_UNINFORMED;
    return { switches: this.stats.switchesOff + this.stats.switchesOn, overrides: this.stats.overrides };
  }

  /** Device i's report after round `round`. */
  telemetry(i: number, round: number): Telemetry {
    const st = this.fleet.state[i] & 3;
    const cls = this.fleet.state[i] >> 2;
    const slot =
      st === STATE_EF ? cls : st === STATE_ER ? SLOT_ER : st === STATE_DF ? SLOT_DF + cls : SLOT_DR;
    return { q: ++this.seq[i], r: round, s: slot, kw: this.fleet.demandKw[i], ds: this.fleet.disabledS[i] };
  }

  /** What the connected devices really draw enabled, kW (the truth the estimate approximates). */
  enabledKw(): number {
    const { state, demandKw, tier } = this.fleet;
    let kw = 0;
    for (let i = 0; i < this.fleet.size; i++) {
      if (this.connected[i] === 0) continue;
      const st = state[i] & 3;
      if (st === STATE_EF || st === STATE_ER || tier[i] === TIER_BLACK) kw += demandKw[i];
    }
    return kw;
  }

  disconnect(i: number): void {
    this.connected[i] = 0;
  }

  /** A command from the gateway; returns whether the device could carry it out. */
  command(i: number, kind: CommandKind): boolean {
    if (this.connected[i] === 0 || this.fleet.tier[i] === TIER_BLACK) return kind === 'report';
    const st = this.fleet.state[i] & 3;
    if (kind === 'enable' && st >= STATE_DF) this.fleet.state[i] = STATE_ER;
    else if (kind === 'disable' && st <= STATE_ER) this.fleet.state[i] = STATE_DR;
    return true;
  }
}
