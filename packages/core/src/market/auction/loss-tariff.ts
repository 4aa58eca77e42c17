import { InvalidValueError } from '../../errors/index.js';
import type { Linearization } from '../../grid/sensitivity/index.js';
import type { GridRules } from './types.js';

/**
 * A grid tariff from the power flow's loss sensitivities. Moving 1 kWh from the seller's bus to
 * the buyer's bus changes the feeder's losses by ∂L/∂P(seller) − ∂L/∂P(buyer) (each bus's
 * sensitivity is the mean over its phase nodes); a trade that adds losses carries that share as
 * its loss factor, one that relieves them carries none. An optional flat charge per unit is
 * added. Orders without a bus trade without losses.
 */
export function lossTariff(lin: Linearization, chargePerUnit = 0): NonNullable<GridRules['tariff']> {
  const sens = lin.sensitivitiesOf(lin.totalLosses());
  const net = lin.network;
  const perBus = new Map<string, number>();
  net.buses.forEach((bus, b) => {
    const phases = net.busNodes[b].filter((k) => net.nodes[k].node >= 1 && net.nodes[k].node <= 3);
    if (phases.length === 0) return;
    // W of losses per kW injected, as a fraction of the energy traded
    perBus.set(bus.toLowerCase(), phases.reduce((a, k) => a + sens.perKw[k], 0) / phases.length / 1000);
  });
  const at = (bus: string | undefined) => {
    if (bus === undefined) return undefined;
    const s = perBus.get(bus.toLowerCase());
    if (s === undefined) throw new InvalidValueError(`grid tariff: no bus "${bus}" on the feeder`);
    return s;
  };
  return (sellerBus, buyerBus) => {
    const a = at(sellerBus);
    const b = at(buyerBus);
    const lossFactor = a === undefined || b === undefined ? 0 : Math.min(0.99, Math.max(0, a - b));
    return { charge: chargePerUnit, lossFactor };
  };
}
