import {
  AGG_COUNT,
  AGG_DISABLED_S,
  AGG_LENGTH,
  AGG_REPORTING,
  SLOTS_PER_TIER,
  TIER_BLACK,
  TIERS,
} from '../devices/index.js';
import type { DeviceRegistry } from './registry.js';
import { parseTelemetry } from './telemetry.js';
import { TokenBuckets } from './throttle.js';

/** Why a message was refused; each is counted. */
export const REFUSALS = [
  'oversized',
  'malformed',
  'unknown-device',
  'revoked',
  'wrong-vpp',
  'replayed',
  'future-round',
  'throttled',
] as const;
export type Refusal = (typeof REFUSALS)[number];

/** The gateway's view of one device: its last accepted report and whether it is reachable. */
export interface DeviceState {
  online: boolean;
  /** sequence number of the last accepted message (−1: none yet) */
  seq: number;
  round: number;
  slot: number;
  demandKw: number;
  disabledS: number;
  reports: number;
}

export interface DeviceStatesOptions {
  /** a device whose last report is older than this many rounds is left out of the estimate */
  maxAgeRounds?: number;
  /** telemetry messages per second a device may send on average, and its burst */
  ratePerS?: number;
  burst?: number;
}

export type TelemetryOutcome = { accepted: true } | { accepted: false; reason: Refusal; detail: string };

/**
 * Device state kept from telemetry: reports in, refusals counted, availability tracked, and the
 * aggregate s(t) of one VPP's devices for the controller. Offline and stale devices are left out
 * of the estimate: the controller cannot switch them, and their demand is no longer measured here.
 */
export class DeviceStates {
  readonly refused: Record<Refusal, number> = Object.fromEntries(REFUSALS.map((r) => [r, 0])) as Record<
    Refusal,
    number
  >;
  accepted = 0;
  private readonly states = new Map<string, DeviceState>();
  private readonly throttle: TokenBuckets;
  readonly maxAgeRounds: number;

  constructor(
    readonly registry: DeviceRegistry,
    options: DeviceStatesOptions = {},
  ) {
    this.maxAgeRounds = options.maxAgeRounds ?? 3;
    this.throttle = new TokenBuckets(options.ratePerS ?? 2, options.burst ?? 10);
    registry.onRevoke((id) => this.states.delete(id));
  }

  state(id: string): DeviceState | undefined {
    return this.states.get(id);
  }

  private stateOf(id: string): DeviceState {
    let s = this.states.get(id);
    if (!s) {
      s = { online: false, seq: -1, round: -1, slot: 0, demandKw: 0, disabledS: 0, reports: 0 };
      this.states.set(id, s);
    }
    return s;
  }

  private refuse(reason: Refusal, detail: string): TelemetryOutcome {
    this.refused[reason]++;
    return { accepted: false, reason, detail };
  }

  /** Who a message claims to come from, checked against the registry. */
  private check(vpp: string, id: string): TelemetryOutcome | undefined {
    const info = this.registry.get(id);
    if (!info)
      return this.registry.isRevoked(id)
        ? this.refuse('revoked', `device ${id} is revoked`)
        : this.refuse('unknown-device', `device ${id} is not registered`);
    if (info.vpp !== vpp)
      return this.refuse('wrong-vpp', `device ${id} belongs to VPP ${info.vpp}, not ${vpp}`);
    return undefined;
  }

  /** A device's status message: "online" when it connects, "offline" as its last will. */
  status(vpp: string, id: string, payload: Uint8Array | string): TelemetryOutcome {
    const bad = this.check(vpp, id);
    if (bad) return bad;
    const text = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
    if (text !== 'online' && text !== 'offline')
      return this.refuse('malformed', `status of ${id} must be "online" or "offline"`);
    this.stateOf(id).online = text === 'online';
    return { accepted: true };
  }

  /**
   * A telemetry message of round `currentRound`'s time. Reports of earlier rounds are kept when
   * they are the newest the device sent (late, not wrong); a sequence number not above the last
   * one is a replay or reordering and refused, as is a report of a round not yet broadcast.
   */
  telemetry(
    vpp: string,
    id: string,
    payload: Uint8Array | string,
    currentRound: number,
    nowMs: number,
  ): TelemetryOutcome {
    const bad = this.check(vpp, id);
    if (bad) return bad;
    if (this.throttle.take(id, nowMs) > 0)
      return this.refuse('throttled', `device ${id} sends faster than allowed`);
    const parsed = parseTelemetry(payload);
    if (!parsed.ok) return this.refuse(parsed.reason, `device ${id}: ${parsed.detail}`);
    const t = parsed.value;
    const s = this.stateOf(id);
    if (t.q <= s.seq) return this.refuse('replayed', `device ${id}: sequence ${t.q} is not after ${s.seq}`);
    if (t.r > currentRound)
      return this.refuse(
        'future-round',
        `device ${id}: round ${t.r} has not been broadcast (now ${currentRound})`,
      );
    s.seq = t.q;
    s.round = Math.max(s.round, t.r);
    s.slot = t.s;
    s.demandKw = t.kw;
    s.disabledS = t.ds;
    s.reports++;
    s.online = true;
    this.accepted++;
    return { accepted: true };
  }

  /** Marks a device offline (its last will, or the broker saw it go). */
  offline(id: string): void {
    const s = this.states.get(id);
    if (s) s.online = false;
  }

  /** Devices of a VPP that are online and reported within maxAgeRounds of `round`. */
  available(vpp: string, round: number): number {
    let n = 0;
    for (const info of this.registry.list(vpp)) if (this.usable(this.states.get(info.id), round)) n++;
    return n;
  }

  /** How many of a VPP's usable devices have reported for round `round` itself. */
  reportedFor(vpp: string, round: number): number {
    let n = 0;
    for (const info of this.registry.list(vpp)) {
      const s = this.states.get(info.id);
      if (s?.online && s.round >= round) n++;
    }
    return n;
  }

  private usable(s: DeviceState | undefined, round: number): s is DeviceState {
    return s?.online === true && s.seq >= 0 && round - s.round <= this.maxAgeRounds;
  }

  /**
   * The estimate ŝ(t) of one VPP in the layout of der/devices (demand by tier and slot, the
   * fairness sums, the count of reporting devices), summed over its usable devices.
   */
  aggregate(vpp: string, round: number, out = new Float64Array(AGG_LENGTH)): Float64Array {
    out.fill(0);
    for (const info of this.registry.list(vpp)) {
      const s = this.states.get(info.id);
      if (!this.usable(s, round)) continue;
      const t = TIERS.indexOf(info.tier);
      out[t * SLOTS_PER_TIER + s.slot] += s.demandKw;
      out[AGG_REPORTING] += 1;
      if (t !== TIER_BLACK) {
        out[AGG_DISABLED_S + t] += s.disabledS;
        out[AGG_COUNT + t] += 1;
      }
    }
    return out;
  }

  get refusedTotal(): number {
    let n = 0;
    for (const r of REFUSALS) n += this.refused[r];
    return n;
  }
}
