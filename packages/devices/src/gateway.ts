import * as gw from '@gridtier/core/der/gateway';
import mqtt, { type MqttClient } from 'mqtt';
import { BrokerUnreachableError } from './errors.js';
import { GATEWAY_USERNAME } from './principals.js';

export interface GatewayOptions {
  brokerUrl: string;
  registry: gw.DeviceRegistry;
  /** the gateway's password on the broker (the embedded broker's, or the one in Mosquitto's password file) */
  secret: string;
  states?: gw.DeviceStatesOptions;
  /** the time the rate limits and the command log read, ms (simulated runs pass their own) */
  nowMs?: () => number;
}

export interface GatewayStats {
  messagesIn: number;
  broadcasts: number;
  commandsSent: number;
  acks: number;
  refusedAcks: number;
}

interface VppRound {
  loop: gw.VppLoop;
  /** the last round broadcast, with the goal it was for (infinite: no event) */
  last?: gw.LoopRound & { atMs: number };
  /** reports of the current round received, and how many devices were expected to report */
  reported: number;
  expected: number;
  wake?: () => void;
}

/**
 * The gateway: the VPP's controller side on a broker. It keeps device state from telemetry and
 * status (the last will says offline), logs commands and their acknowledgements, and runs the
 * loop of der/gateway per VPP: broadcast the estimate and goal, collect the reports.
 */
export class Gateway {
  readonly states: gw.DeviceStates;
  readonly commands = new gw.CommandLog();
  readonly stats: GatewayStats = { messagesIn: 0, broadcasts: 0, commandsSent: 0, acks: 0, refusedAcks: 0 };
  private readonly vpps = new Map<string, VppRound>();
  private readonly nowMs: () => number;

  private constructor(
    private readonly client: MqttClient,
    readonly registry: gw.DeviceRegistry,
    options: GatewayOptions,
  ) {
    this.states = new gw.DeviceStates(registry, options.states);
    this.nowMs = options.nowMs ?? Date.now;
    client.on('message', (topic, payload) => this.receive(topic, payload));
  }

  static async connect(options: GatewayOptions): Promise<Gateway> {
    let client: MqttClient;
    try {
      client = await mqtt.connectAsync(
        options.brokerUrl,
        {
          username: GATEWAY_USERNAME,
          password: options.secret,
          clientId: `${GATEWAY_USERNAME}-${process.pid}-${Math.floor(Math.random() * 1e9)}`,
          reconnectPeriod: 1000,
          connectTimeout: 5000,
        },
        false,
      );
    } catch (e) {
      throw new BrokerUnreachableError(
        `broker ${options.brokerUrl}: cannot connect (${(e as Error).message})`,
        {
          cause: e,
        },
      );
    }
    const g = new Gateway(client, options.registry, options);
    await client.subscribeAsync(gw.gatewayFilters(), { qos: 0 });
    return g;
  }

  private vpp(vpp: string): VppRound {
    let v = this.vpps.get(vpp);
    if (!v) {
      v = { loop: new gw.VppLoop(this.states, vpp), reported: 0, expected: 0 };
      this.vpps.set(vpp, v);
    }
    return v;
  }

  private receive(topic: string, payload: Buffer): void {
    this.stats.messagesIn++;
    const t = gw.parseTopic(topic);
    if (t?.kind !== 'device') return;
    if (t.channel === 'telemetry') {
      const v = this.vpp(t.vpp);
      const out = this.states.telemetry(t.vpp, t.deviceId, payload, v.loop.round, this.nowMs());
      if (out.accepted && this.states.state(t.deviceId)?.round === v.loop.round) {
        v.reported++;
        if (v.reported >= v.expected) v.wake?.();
      }
    } else if (t.channel === 'status') {
      this.states.status(t.vpp, t.deviceId, payload);
    } else if (t.channel === 'acks') {
      if (this.commands.ack(t.deviceId, payload, this.nowMs())) this.stats.acks++;
      else this.stats.refusedAcks++;
    }
  }

  /** Starts a round of a VPP towards `goal`: aggregates, broadcasts, and returns what it sent. */
  async startRound(vpp: string, goal: gw.LoopGoal, emergency = false): Promise<gw.LoopRound> {
    const v = this.vpp(vpp);
    v.expected = this.states.available(vpp, v.loop.round);
    const r = v.loop.next(goal, emergency);
    v.last = { ...r, atMs: this.nowMs() };
    v.reported = 0;
    await this.client.publishAsync(gw.broadcastTopic(vpp), r.payload, { qos: 0 });
    this.stats.broadcasts++;
    return r;
  }

  /**
   * Waits until every device expected this round has reported (or `expected` of them, when the
   * caller knows how many reports are on their way), or `timeoutMs`; returns how many did.
   */
  waitForReports(vpp: string, timeoutMs: number, expected?: number): Promise<number> {
    const v = this.vpp(vpp);
    if (expected !== undefined) v.expected = Math.min(v.expected, expected);
    if (v.reported >= v.expected) return Promise.resolve(v.reported);
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        v.wake = undefined;
        resolve(v.reported);
      }
      v.wake = done;
    });
  }

  /** Sends a command to a device and logs it; the acknowledgement arrives in the log. */
  async command(deviceId: string, kind: gw.CommandKind, by: string): Promise<gw.CommandRecord> {
    const info = this.registry.get(deviceId);
    if (!info)
      throw new gw.DeviceRefusedError(`device ${deviceId}: not registered`, {
        details: { field: 'deviceId' },
      });
    const rec = this.commands.issue(deviceId, by, kind, this.nowMs());
    await this.client.publishAsync(gw.deviceTopic(info.vpp, deviceId, 'commands'), gw.encodeCommand(rec), {
      qos: 1,
    });
    this.stats.commandsSent++;
    return rec;
  }

  round(vpp: string): number {
    return this.vpp(vpp).loop.round;
  }

  /** The last round broadcast to a VPP (undefined before its first), with its goal and when. */
  lastRound(vpp: string): (gw.LoopRound & { atMs: number }) | undefined {
    return this.vpps.get(vpp)?.last;
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
