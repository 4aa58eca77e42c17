import { Prng } from '../../random/index.js';
import type { FleetSpec } from './fleet-spec.js';
import { deviceCount } from './fleet-spec.js';
import { AGG_LENGTH } from './layout.js';

/** Device flags (bits of `Fleet.flags`). */
export const FLAG_OFFLINE = 1;
/** thermostat calling for power, i.e. it would run if enabled */
export const FLAG_CALLING = 2;
export const FLAG_DEPARTED = 4;
/** the device did not hear this round's broadcast, so it makes no controller switch this round */
export const FLAG_UNINFORMED = 8;

/** Devices per leaf of the aggregation tree. */
export const GROUP_SIZE = 1024;

/**
 * The fleet as a structure of arrays: one typed array per field, so a million devices cost tens
 * of megabytes and a round is a few linear passes with no per-device objects. Device i is the
 * i-th entry of every array. A physical appliance whose demand spans several tiers (behaviour
 * modes) is one entry per tier share.
 */
export class Fleet {
  readonly size: number;
  readonly spec: FleetSpec;
  readonly kind: Uint8Array;
  readonly tier: Uint8Array;
  /** control state in bits 0–1 (STATE_*), the flexible class last reported in bits 2–3 */
  readonly state: Uint8Array;
  readonly flags: Uint8Array;
  readonly ratedKw: Float32Array;
  /** what the device draws when enabled and, when disabled, what it would draw if enabled */
  readonly demandKw: Float32Array;
  /** seconds left of the refractory period */
  readonly timerS: Float32Array;
  /** room (air conditioner) or tank (water heater) temperature */
  readonly tempC: Float32Array;
  /** energy still to charge (EV, battery) */
  readonly energyKwh: Float32Array;
  /** departure time of an EV on the fleet clock */
  readonly departureS: Float32Array;
  /** cumulative seconds disabled by the controller (fairness) */
  readonly disabledS: Float32Array;
  /** decaying count of controller switches, read as switches per hour (cycling) */
  readonly cyclesPerHour: Float32Array;
  /** leaf sums of the aggregation tree, one AGG_LENGTH row per group of GROUP_SIZE devices */
  readonly partials: Float64Array;
  readonly groupCount: number;
  /** state of the fleet's own random stream (mulberry32, like Prng) */
  readonly rngState = new Uint32Array(1);
  timeS = 0;

  constructor(spec: FleetSpec, seed: number) {
    const n = deviceCount(spec);
    this.size = n;
    this.spec = spec;
    this.kind = new Uint8Array(n);
    this.tier = new Uint8Array(n);
    this.state = new Uint8Array(n);
    this.flags = new Uint8Array(n);
    this.ratedKw = new Float32Array(n);
    this.demandKw = new Float32Array(n);
    this.timerS = new Float32Array(n);
    this.tempC = new Float32Array(n);
    this.energyKwh = new Float32Array(n);
    this.departureS = new Float32Array(n);
    this.disabledS = new Float32Array(n);
    this.cyclesPerHour = new Float32Array(n);
    this.groupCount = Math.ceil(n / GROUP_SIZE);
    this.partials = new Float64Array(this.groupCount * AGG_LENGTH);
    this.rngState[0] = new Prng(seed).int(4294967296);
  }

  /** Memory of the per-device arrays, bytes per device. */
  static readonly bytesPerDevice = 4 * 1 + 8 * 4;
}
