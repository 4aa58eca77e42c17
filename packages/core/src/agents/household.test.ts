import { expect, it } from 'vitest';
import { controlOwnership, type household as hh } from '../der/index.js';
import { Engine, type MemoryEventLog } from '../engine/index.js';
import { ScriptedAgent } from '../engine/test-support.js';
import {
  HOURS_PER_DAY,
  MS_PER_DAY,
  MS_PER_HOUR,
  minutesMs,
  PRODUCTS,
  SimulatedClock,
} from '../time/index.js';
import { FlexMarket } from '../venues/index.js';
import { HouseholdAgent } from './household.js';
import { type Deferral, type FlexCall, MARKETS } from './ports.js';

const day = Date.UTC(2026, 6, 15);
const flat = (x: number) => new Array<number>(HOURS_PER_DAY).fill(x);

/** A home whose HEMS runs an interruptible water heater at noon, with room to finish later. */
function home(): hh.Household {
  return {
    id: 'h1',
    loadKwh: flat(0.5),
    pvKwh: flat(0),
    jobs: [
      {
        id: 'heater',
        earliestHour: 12,
        windowHours: 4,
        durationHours: 2,
        interruptible: true,
        energyKwhPerHour: 1.5,
      },
    ],
    reservationUsdPerKwh: 0.3,
    feedInUsdPerKwh: 0.05,
    networkFeeUsdPerKwh: 0.04,
    acceptUsdPerKwh: 0.3,
  };
}

it('a household answers a call for flexibility with the appliance energy it can move, and moves it once sold', async () => {
  const engine = new Engine({ clock: new SimulatedClock(day - MS_PER_DAY) });
  engine.addMarket(
    new FlexMarket({ id: MARKETS.flex, product: PRODUCTS.ahead15, buyer: 'dso', reputationOf: () => 1 }),
  );
  engine.planDay(day);
  const household = home();
  // the tariff falls through the afternoon: the HEMS runs the heater as late as its window
  // allows but for one hour, so a call at 12:00 finds it running
  const tariff = flat(0.3).map((x, h) => (h === 12 || h === 13 ? 0.1 : x));
  engine.addAgent(
    new HouseholdAgent(
      {
        site: { id: 'h1', bus: 'n1', phases: [1], microgrid: 'mg', vpp: 'v1' },
        household,
        dayAheadNetKwh: flat(-0.5),
        updatedNetKwh: () => -0.5,
        leases: new controlOwnership.MemoryLeaseRegistry(),
      },
      { dayStartMs: day, retailUsdPerKwh: tariff, thresholdKwh: 0.05 },
    ),
  );
  const fromMs = day + 12 * MS_PER_HOUR;
  const toMs = fromMs + minutesMs(15);
  engine.addAgent(
    new ScriptedAgent(
      'dso',
      [],
      (ctx) =>
        ctx.at(fromMs - minutesMs(10), () => {
          const session = ctx.openSession(MARKETS.flex, {
            deliveryStartMs: fromMs,
            deliveryEndMs: toMs,
            openMs: ctx.now(),
            gateMs: ctx.now() + minutesMs(1),
          });
          const call: FlexCall = { session, fromMs, toMs, reliefKw: 10 };
          ctx.publish('dso.flex-call', call);
          ctx.submit({
            market: MARKETS.flex,
            session,
            order: { side: 'buy', type: 'limit', price: 0.5, quantity: 2.5, timeInForce: 'GTC' },
          });
        }),
      () => {},
      'dso',
    ),
  );
  await engine.run(day + 14 * MS_PER_HOUR);
  const events = (engine.log as MemoryEventLog).events;
  const ask = events.find(
    (e) =>
      e.type === 'order.accepted' && e.actor === 'h1' && (e.payload as { market: string }).market === 'flex',
  );
  // a quarter hour of the 1.5 kW heater, at the floor: moving it an hour later costs nothing on this tariff
  expect((ask!.payload as { order: { quantity: number; price: number } }).order).toMatchObject({
    quantity: 0.375,
    price: 0.02,
  });
  const fill = events.find(
    (e) => e.type === 'market.fill' && (e.payload as { participant: string }).participant === 'h1',
  );
  expect((fill!.payload as { kwh: number }).kwh).toBeCloseTo(0.375, 9);
  const moved = events.filter((e) => e.type === 'household.defer').map((e) => e.payload as Deferral);
  expect(moved).toEqual([
    {
      household: 'h1',
      job: 'heater',
      fromMs,
      toMs: fromMs + MS_PER_HOUR,
      spanMs: minutesMs(15),
      kwh: 0.375,
      usdPerKwh: 0.02,
    },
  ]);
});
