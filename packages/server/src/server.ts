import type { TimeSource } from '@gridtier/core/time';
import { DayGoals, DeviceHost } from '@gridtier/devices';
import type { FastifyInstance } from 'fastify';
import { Tokens } from './auth/index.js';
import { type ApiLimits, buildApp } from './http/index.js';
import { LiveMarkets, type LiveProgram, peerToPeerMarkets } from './live/index.js';
import {
  CapacityLimits,
  MarketPrices,
  MqttNotifier,
  type MqttNotifierOptions,
  VppDispatch,
  Vtn,
  WebhookNotifier,
  type WebhookOptions,
} from './openadr/index.js';
import { openRepository, type Repository, type StoreLocation } from './store/index.js';
import { Views } from './views/index.js';

export interface ServeOptions extends StoreLocation {
  /** 0 picks a free port */
  port?: number;
  host?: string;
  /** `wall` or `xN` */
  clock: string;
  /** where an accelerated clock starts on the first start */
  startMs?: number;
  /** real ms between the engine's steps */
  stepMs?: number;
  /** what runs, for the server's first start (default: the peer-to-peer markets, no agents) */
  program?: (epochMs: number) => LiveProgram | Promise<LiveProgram>;
  /** real time (tests move it by hand) */
  source?: TimeSource;
  limits?: Partial<ApiLimits>;
  tokenTtlS?: number;
  version?: string;
  /** how the OpenADR VTN's webhooks are sent (tests shorten the retries) */
  webhooks?: WebhookOptions;
  /** the OpenADR VTN's MQTT notifier: the broker it publishes to (none: webhooks only) */
  openadrMqtt?: MqttNotifierOptions;
  /** the event log could not commit: the server stops acknowledging and should exit */
  onFatal?: (error: Error) => void;
  /** the MQTT device gateway: an embedded broker on a free port unless told (false: none) */
  devices?: DeviceGatewayOptions | false;
}

export interface DeviceGatewayOptions {
  /** an external broker, mqtt://HOST:PORT; without it an embedded broker is started */
  brokerUrl?: string;
  /** the embedded broker's port (0: any free port) and address (the HTTP host by default) */
  brokerPort?: number;
  brokerHost?: string;
  /** the gateway's password on an external broker */
  gatewaySecret?: string;
  /** seconds between control rounds (10 by default; 0: none on a timer) */
  roundS?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  repo: Repository;
  live: LiveMarkets;
  app: FastifyInstance;
  /** the OpenADR VTN: its objects, its webhooks, the market's PRICE events, the DSO's limits and the VPPs' dispatch */
  openadr: {
    vtn: Vtn;
    webhooks: WebhookNotifier;
    prices: MarketPrices;
    limits: CapacityLimits;
    dispatch: VppDispatch;
    /** present when the server was given a broker */
    mqtt?: MqttNotifier;
  };
  /** the MQTT device gateway, unless started without one */
  devices?: DeviceHost;
  close(): Promise<void>;
}

/**
 * Starts the market platform: opens the store, replays the log into the engine, starts the
 * device gateway (its broker and control rounds), serves the API and starts the engine's clock. Closing stops taking requests first, then the engine, then
 * commits what is left and closes the store.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const repo = await openRepository(options);
  let devices: DeviceHost | undefined;
  try {
    let views: Views | undefined;
    const live = await LiveMarkets.open({
      repo,
      program: options.program ?? (() => ({ markets: peerToPeerMarkets() })),
      source: options.source,
      clock: options.clock,
      startMs: options.startMs,
      stepMs: options.stepMs,
      observe: (engine) => {
        views = new Views(engine);
      },
      onFatal: options.onFatal,
    });
    const tokens = await Tokens.open(repo, options.tokenTtlS);
    const vtn = new Vtn(repo, () => live.now());
    const webhooks = new WebhookNotifier(vtn, options.webhooks);
    vtn.listen(webhooks);
    if (options.openadrMqtt !== undefined) vtn.mqtt = await MqttNotifier.start(vtn, options.openadrMqtt);
    const mqtt = vtn.mqtt;
    const prices = new MarketPrices(vtn, live.markets);
    const limits = new CapacityLimits(vtn, () => views?.feeder ?? null);
    const dispatch = new VppDispatch(vtn, live.markets);
    live.onEvent((e) => {
      prices.hear(e);
      limits.hear(e);
      dispatch.hear(e);
    });
    const host = options.host ?? '127.0.0.1';
    if (options.devices !== false) {
      const d = options.devices ?? {};
      devices = await DeviceHost.start({
        store: repo,
        brokerUrl: d.brokerUrl,
        port: d.brokerPort ?? 0,
        host: d.brokerHost ?? host,
        gatewaySecret: d.gatewaySecret,
        roundS: d.roundS ?? 10,
      });
      // the day's VPP goals (with --scenario) steer the devices registered to each VPP
      const goals = new DayGoals();
      live.onEvent((e) => goals.hear(e));
      const gateway = devices;
      gateway.beforeRound(() => goals.apply(gateway, live.now()));
    }
    const { app } = await buildApp(
      { live, views: views!, repo, tokens, markets: live.markets, vtn, devices },
      { limits: options.limits, version: options.version },
    );
    await app.listen({ port: options.port ?? 0, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
    live.start();
    return {
      url: `http://${host}:${port}`,
      port,
      repo,
      live,
      app,
      openadr: { vtn, webhooks, prices, limits, dispatch, ...(mqtt ? { mqtt } : {}) },
      devices,
      close: async () => {
        await app.close();
        await devices?.close();
        await live.stop();
        // the last clearing's events are written before the store closes; webhooks are cut
        await Promise.all([prices.idle(), limits.idle(), dispatch.idle()]);
        webhooks.close();
        await Promise.all([webhooks.idle(), mqtt?.close()]);
        await repo.close();
      },
    };
  } catch (e) {
    await devices?.close();
    await repo.close();
    throw e;
  }
}
