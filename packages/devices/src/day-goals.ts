import type { FleetGoal, FleetTelemetry } from '@gridtier/core/agents';
import type { EngineEvent } from '@gridtier/core/engine';
import type { DeviceHost } from './host.js';

/**
 * The day's VPP goals for the MQTT devices registered to each VPP. A VPP agent's `vpp.goal` is
 * the demand it allows its whole fleet, and `world.fleet` says what that fleet could draw
 * (fullKw); the devices on the broker are part of that fleet, so each follows the same share:
 * its round's goal is goalKw / fullKw of the demand its devices report (enabled or not). Under
 * committed regulation the share moves with the ISO's signal, one value per signal step, read at
 * the markets' clock.
 */
export class DayGoals {
  private readonly fullKw = new Map<string, number>();
  private readonly goals = new Map<string, FleetGoal>();

  /** An event of the engine; only the fleet's goals and telemetry are kept. */
  hear(e: Pick<EngineEvent, 'type' | 'payload'>): void {
    if (e.type === 'vpp.goal') {
      const g = e.payload as FleetGoal;
      this.goals.set(g.vpp, g);
    } else if (e.type === 'world.fleet') {
      const t = e.payload as FleetTelemetry;
      if (t.fullKw > 0) this.fullKw.set(t.vpp, t.fullKw);
    }
  }

  /** The share of its full demand a VPP keeps enabled at `tMs` (markets' clock); undefined: no event. */
  shareAt(vpp: string, tMs: number): number | undefined {
    const g = this.goals.get(vpp);
    const full = this.fullKw.get(vpp);
    if (!g || g.goalKw === null || full === undefined) return undefined;
    let kw = g.goalKw;
    const r = g.regulation;
    if (r && r.signal.length > 0) {
      const i = Math.floor((tMs - g.startMs) / 1000 / r.stepS);
      kw -= r.capacityKw * r.signal[Math.max(0, Math.min(r.signal.length - 1, i))];
    }
    return Math.max(0, Math.min(1, kw / full));
  }

  /** Sets every hosted VPP's goal share for the next round. */
  apply(host: DeviceHost, tMs: number): void {
    for (const v of host.vpps()) host.setGoalShare(v.vpp, this.shareAt(v.vpp, tMs));
  }
}
