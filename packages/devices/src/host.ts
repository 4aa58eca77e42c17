import { randomBytes } from 'node:crypto';
import * as gw from '@gridtier/core/der/gateway';
import { type EmbeddedBroker, startBroker } from './broker.js';
import { Gateway } from './gateway.js';

/** A device as a store keeps it: what it is, its secret's hash, when it came and went. */
export interface StoredDevice extends gw.DeviceInfo, gw.DeviceCredentials {
  createdMs: number;
  revokedMs?: number;
}

/** Where the registry lives (the server's database); the host keeps its copy in memory. */
export interface DeviceStore {
  /** stores a new device; an id already stored is refused */
  addDevice(device: StoredDevice): Promise<void>;
  /** every device, revoked ones too, in the order they were registered */
  devices(): Promise<StoredDevice[]>;
  /** marks a device revoked; false if unknown */
  revokeDevice(id: string, atMs: number): Promise<boolean>;
}

export interface DeviceHostOptions {
  store: DeviceStore;
  /** an external broker (e.g. Mosquitto, whose password and ACL files are its own); else an embedded one */
  brokerUrl?: string;
  /** the embedded broker's port (0: any free port) and address */
  port?: number;
  host?: string;
  /** the gateway's password on the broker (random for the embedded one) */
  gatewaySecret?: string;
  /** seconds between control rounds (0: rounds only when `runRounds` is called) */
  roundS?: number;
  /** the clock the command log and rate limits read */
  nowMs?: () => number;
}

/** One VPP's fleet as the gateway sees it. */
export interface VppView {
  vpp: string;
  devices: number;
  online: number;
  round: number;
  /** devices counted in the last estimate and its enabled demand, kW */
  reporting: number;
  estimatedEnabledKw: number;
  /** the goal of the last round (undefined: no event) and the target the law made of it, kW */
  goalKw?: number;
  targetKw?: number;
  lastRoundMs?: number;
}

/**
 * The device gateway a server hosts: the registry loaded from the store, a broker (embedded, or
 * external by URL), the gateway on it, and the control rounds of every VPP with devices: each
 * round broadcasts the VPP's estimate and its goal (none until one is set).
 */
export class DeviceHost {
  private readonly goals = new Map<string, { goal: gw.LoopGoal; emergency: boolean }>();
  private readonly beforeRounds: (() => void)[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  private constructor(
    readonly registry: gw.DeviceRegistry,
    readonly gateway: Gateway,
    readonly brokerUrl: string,
    readonly broker: EmbeddedBroker | undefined,
    private readonly store: DeviceStore,
    private readonly nowMs: () => number,
  ) {}

  static async start(o: DeviceHostOptions): Promise<DeviceHost> {
    const registry = new gw.DeviceRegistry();
    for (const d of await o.store.devices()) {
      const { createdMs: _c, revokedMs, salt, secretHash, ...info } = d;
      registry.restore(info, { salt, secretHash }, revokedMs !== undefined);
    }
    const secret = o.gatewaySecret ?? randomBytes(24).toString('base64url');
    const broker =
      o.brokerUrl === undefined
        ? await startBroker({ registry, gatewaySecret: secret, port: o.port ?? 0, host: o.host })
        : undefined;
    const url = o.brokerUrl ?? broker!.url;
    const nowMs = o.nowMs ?? Date.now;
    const gateway = await Gateway.connect({ brokerUrl: url, registry, secret, nowMs }).catch(async (e) => {
      await broker?.close();
      throw e;
    });
    const host = new DeviceHost(registry, gateway, url, broker, o.store, nowMs);
    if (o.roundS) {
      host.timer = setInterval(() => void host.runRounds(), o.roundS * 1000);
      host.timer.unref();
    }
    return host;
  }

  /**
   * Registers a device; its secret is drawn here and returned once (the store keeps only its
   * hash). Refusals name the field (DeviceRefusedError).
   */
  async register(input: gw.DeviceInfo): Promise<{ device: gw.DeviceInfo; secret: string }> {
    const info = gw.checkDeviceInfo(input);
    if (this.registry.get(info.id) || this.registry.isRevoked(info.id))
      throw new gw.DeviceRefusedError(`device id: ${info.id} is already registered`, {
        details: { field: 'id', value: info.id },
      });
    const secret = randomBytes(24).toString('base64url');
    const salt = randomBytes(8).toString('hex');
    const credentials = { salt, secretHash: gw.hashDeviceSecret(salt, secret) };
    await this.store.addDevice({ ...info, ...credentials, createdMs: this.nowMs() });
    this.registry.restore(info, credentials);
    return { device: info, secret };
  }

  /** Revokes a device: stored first, then the broker cuts its connection at once. */
  async revoke(id: string): Promise<boolean> {
    if (!this.registry.get(id)) return false;
    await this.store.revokeDevice(id, this.nowMs());
    return this.registry.revoke(id);
  }

  /** Sets a VPP's goal for the next rounds, kW of enabled demand (undefined: no event, everything may run). */
  setGoal(vpp: string, goalKw: number | undefined, emergency = false): void {
    if (goalKw === undefined) this.goals.delete(vpp);
    else this.goals.set(vpp, { goal: goalKw, emergency });
  }

  /** Sets a VPP's goal as the share of its devices' reported demand to keep enabled (undefined: no event). */
  setGoalShare(vpp: string, share: number | undefined): void {
    if (share === undefined) this.goals.delete(vpp);
    else this.goals.set(vpp, { goal: { share }, emergency: false });
  }

  /** Calls `fn` before every round (to set the goals it is for). */
  beforeRound(fn: () => void): void {
    this.beforeRounds.push(fn);
  }

  /** One control round for every VPP with devices (a round still running is waited for, not doubled). */
  runRounds(): Promise<void> {
    this.running ??= (async () => {
      try {
        for (const fn of this.beforeRounds) fn();
        for (const vpp of this.vppIds()) {
          const g = this.goals.get(vpp);
          await this.gateway.startRound(vpp, g?.goal ?? Number.POSITIVE_INFINITY, g?.emergency);
        }
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private vppIds(): string[] {
    return [...new Set(this.registry.list().map((d) => d.vpp))].sort();
  }

  vpps(): VppView[] {
    return this.vppIds().map((vpp) => this.vpp(vpp)!);
  }

  vpp(vpp: string): VppView | undefined {
    const devices = this.registry.list(vpp);
    if (devices.length === 0) return undefined;
    const last = this.gateway.lastRound(vpp);
    return {
      vpp,
      devices: devices.length,
      online: devices.filter((d) => this.gateway.states.state(d.id)?.online).length,
      round: last?.round ?? 0,
      reporting: last?.reporting ?? 0,
      estimatedEnabledKw: last?.estimatedEnabledKw ?? 0,
      ...(last && last.goalKw < gw.NO_GOAL_KW
        ? { goalKw: last.goalKw, targetKw: last.control.targetKw }
        : {}),
      ...(last ? { lastRoundMs: last.atMs } : {}),
    };
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.gateway.close();
    await this.broker?.close();
  }
}
