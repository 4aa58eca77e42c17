import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Appliance, type DayPlan, planDay } from './plan.js';

const MS_PER_HOUR = 3_600_000;
const HOURS = 24;

export interface HouseholdVenConfig {
  /** the VEN's name at the VTN, and its one resource's */
  venName: string;
  resourceName: string;
  /** where the home connects: its bus and phases on the feeder (its PRICE events are priced there) */
  bus: string;
  phases: number[];
  /** demand of everything that is not planned, kW */
  baseLoadKw: number;
  appliances: Appliance[];
}

/** An OpenADR 3.1 event as the VEN reads it (the fields it uses). */
interface PriceEvent {
  id: string;
  programID: string;
  intervalPeriod?: { start?: string; duration?: string };
  intervals?: { id: number; payloads: { type: string; values: unknown[] }[] }[];
}

/** A refusal by the VTN: the status and the problem's detail. */
export class VtnError extends Error {
  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VtnError';
  }
}

/** PT5M, PT1H, … → ms (the VTN's intervals are minutes and hours). */
function durationMs(iso: string): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(iso);
  if (!m) throw new RangeError(`duration ${iso}: expected PTnHnMnS`);
  return (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000;
}

/**
 * A household as an OpenADR 3.1 VEN: it enrols itself and its home (bus and phases as resource
 * attributes) at the VTN, subscribes a webhook to new events, and on each PRICE event re-plans its
 * appliances with der/hems on the freshest prices it has for each hour of the day: a day-ahead
 * event sets all 24, a real-time one overrides the hour it falls in. After each real-time
 * interval's prices it reports its planned USAGE for that interval.
 *
 * It talks plain HTTP (fetch) and JSON, as any VEN would; nothing in it is GridTier's SDK.
 */
export class HouseholdVen {
  plan: DayPlan | undefined;
  /** the day being planned, and the price of each of its hours, $/kWh */
  dayStartMs: number | undefined;
  usdPerKwhByHour: number[] = [];
  venID: string | undefined;
  readonly seen = new Set<string>();
  readonly reported: string[] = [];
  private token = '';
  private listener: Server | undefined;

  constructor(
    readonly vtnUrl: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
    readonly config: HouseholdVenConfig,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    if (this.token === '') await this.login();
    const res = await fetch(`${this.vtnUrl}/openadr3${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const json = text === '' ? undefined : JSON.parse(text);
    if (!res.ok) throw new VtnError(res.status, `${method} ${path}: ${res.status} ${json?.detail ?? text}`);
    return json as T;
  }

  private async login(): Promise<void> {
    const res = await fetch(`${this.vtnUrl}/openadr3/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.clientId,
        client_secret: this.clientSecret,
      }).toString(),
    });
    const json = (await res.json()) as { access_token?: string; detail?: string };
    if (!res.ok || json.access_token === undefined)
      throw new VtnError(res.status, `token: ${res.status} ${json.detail ?? ''}`);
    this.token = json.access_token;
  }

  /** Registers the VEN and its home, or finds them from an earlier run. */
  async enrol(): Promise<void> {
    const { venName, resourceName, bus, phases } = this.config;
    const vens = await this.call<{ id: string }[]>('GET', `/vens?venName=${encodeURIComponent(venName)}`);
    this.venID =
      vens[0]?.id ??
      (await this.call<{ id: string }>('POST', '/vens', { objectType: 'VEN_VEN_REQUEST', venName })).id;
    const mine = await this.call<unknown[]>(
      'GET',
      `/resources?venID=${this.venID}&resourceName=${encodeURIComponent(resourceName)}`,
    );
    if (mine.length === 0)
      await this.call('POST', '/resources', {
        objectType: 'VEN_RESOURCE_REQUEST',
        venID: this.venID,
        resourceName,
        attributes: [
          { type: 'BUS', values: [bus] },
          { type: 'PHASES', values: phases },
        ],
      });
  }

  /**
   * Listens for the VTN's notifications on `port` (0: any) of `host` and subscribes to new
   * events there; returns the callback URL.
   */
  async listen(host = '127.0.0.1', port = 0): Promise<string> {
    const secret = crypto.randomUUID();
    this.listener = createServer((req, res) => {
      let text = '';
      req.on('data', (c) => {
        text += c;
      });
      req.on('end', () => {
        // only the VTN knows the bearer token this VEN gave it
        if (req.headers.authorization !== `Bearer ${secret}`) {
          res.writeHead(401).end();
          return;
        }
        res.writeHead(200).end();
        try {
          const n = JSON.parse(text) as { objectType: string; object: PriceEvent };
          if (n.objectType === 'EVENT') void this.take([n.object]).catch(() => undefined);
        } catch {
          // not a notification: nothing to do
        }
      });
    });
    await new Promise<void>((resolve) => this.listener!.listen(port, host, resolve));
    const url = `http://${host}:${(this.listener.address() as AddressInfo).port}/openadr`;
    await this.call('POST', '/subscriptions', {
      clientName: this.config.venName,
      objectOperations: [
        { objects: ['EVENT'], operations: ['CREATE', 'UPDATE'], callbackUrl: url, bearerToken: secret },
      ],
    });
    return url;
  }

  /** Reads the events it has not seen yet (on start, and if a notification was missed). */
  async poll(): Promise<number> {
    const fresh: PriceEvent[] = [];
    for (let skip = 0; ; skip += 50) {
      const page = await this.call<PriceEvent[]>('GET', `/events?skip=${skip}&limit=50`);
      fresh.push(...page.filter((e) => !this.seen.has(e.id)));
      if (page.length < 50) break;
    }
    await this.take(fresh);
    return fresh.length;
  }

  /** Takes PRICE events in: their prices into the hours they cover, then a new plan and the reports. */
  async take(events: readonly PriceEvent[]): Promise<void> {
    const realTime: { event: PriceEvent; startMs: number; minutes: number }[] = [];
    for (const e of events) {
      if (this.seen.has(e.id)) continue;
      this.seen.add(e.id);
      const start = e.intervalPeriod?.start;
      const duration = e.intervalPeriod?.duration;
      if (start === undefined || duration === undefined) continue;
      const startMs = Date.parse(start);
      const stepMs = durationMs(duration);
      const prices = (e.intervals ?? []).map((iv) => iv.payloads.find((p) => p.type === 'PRICE')?.values[0]);
      if (prices.length === 0 || prices.some((p) => typeof p !== 'number')) continue;
      if (prices.length * stepMs >= HOURS * MS_PER_HOUR) {
        // a whole day's prices: the day to plan
        this.dayStartMs = startMs;
        this.usdPerKwhByHour = Array.from({ length: HOURS }, (_, h) => {
          const inHour = prices.filter((_, i) => Math.floor((i * stepMs) / MS_PER_HOUR) === h) as number[];
          return inHour.reduce((a, b) => a + b, 0) / inHour.length;
        });
      } else realTime.push({ event: e, startMs, minutes: stepMs / 60_000 });
      if (this.dayStartMs === undefined) continue;
      for (const [i, p] of prices.entries()) {
        const hour = Math.floor((startMs + i * stepMs - this.dayStartMs) / MS_PER_HOUR);
        if (hour >= 0 && hour < HOURS && prices.length * stepMs < HOURS * MS_PER_HOUR)
          this.usdPerKwhByHour[hour] = p as number;
      }
    }
    if (this.dayStartMs === undefined) return;
    this.plan = planDay(
      this.config.appliances,
      this.usdPerKwhByHour.map((p) => p * 1000),
    );
    for (const r of realTime) await this.report(r.event, r.startMs, r.minutes);
  }

  /** Reports the energy its plan draws in a real-time interval, kWh. */
  private async report(e: PriceEvent, startMs: number, minutes: number): Promise<void> {
    const hour = Math.floor((startMs - this.dayStartMs!) / MS_PER_HOUR);
    if (hour < 0 || hour >= HOURS) return;
    const kwh = ((this.config.baseLoadKw + this.plan!.kwByHour[hour]) * minutes) / 60;
    await this.call('POST', '/reports', {
      eventID: e.id,
      clientName: this.config.venName,
      reportName: `usage ${new Date(startMs).toISOString()}`,
      payloadDescriptors: [
        {
          objectType: 'REPORT_PAYLOAD_DESCRIPTOR',
          payloadType: 'USAGE',
          units: 'KWH',
          readingType: 'ESTIMATED',
        },
      ],
      resources: [
        {
          resourceName: this.config.resourceName,
          intervalPeriod: { start: new Date(startMs).toISOString(), duration: `PT${minutes}M` },
          intervals: [{ id: 0, payloads: [{ type: 'USAGE', values: [kwh] }] }],
        },
      ],
    });
    this.reported.push(e.id);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.listener ? this.listener.close(() => resolve()) : resolve()));
  }
}
