import type { MarketService } from '@gridtier/core/engine';
import { PRODUCTS } from '@gridtier/core/time';
import { CallMarket, ContinuousMarket } from '@gridtier/core/venues';

/** Price limits of the peer-to-peer markets a server runs by default, $/kWh. */
const CAP_USD_PER_KWH = 5;
const FLOOR_USD_PER_KWH = -1;
/** the DSO's charge on every kWh bought in a peer-to-peer market, $/kWh */
const NETWORK_CHARGE_USD_PER_KWH = 0.02;

/**
 * The markets a server runs without a feeder: the continuous intraday order book per delivery
 * hour, the Layer I microgrid call market every 30 minutes (uniform price) and the Layer III
 * VPP-to-VPP market every 5 minutes (MDA).
 */
export function peerToPeerMarkets(): MarketService[] {
  const limits = { capUsdPerKwh: CAP_USD_PER_KWH, floorUsdPerKwh: FLOOR_USD_PER_KWH };
  return [
    new ContinuousMarket({
      id: 'intraday',
      product: PRODUCTS.intraday60,
      networkChargeUsdPerKwh: NETWORK_CHARGE_USD_PER_KWH,
      ...limits,
    }),
    new CallMarket({
      id: 'layer1',
      kind: 'layer1',
      product: PRODUCTS.ahead30,
      mechanism: 'uniform',
      k: 0.5,
      networkChargeUsdPerKwh: NETWORK_CHARGE_USD_PER_KWH,
      ...limits,
    }),
    new CallMarket({ id: 'layer3', kind: 'layer3', product: PRODUCTS.ahead5, mechanism: 'mda', ...limits }),
  ];
}
