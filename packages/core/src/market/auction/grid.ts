import { InvalidValueError } from '../../errors/index.js';
import type { LimitOrder, Trade } from '../orders/index.js';
import type { GridRules } from './types.js';

/**
 * Applies a market's grid rules to its trades. With a loss factor λ the seller delivers
 * q/(1−λ) for the buyer's q and is paid for what it delivers, so the buyer's cost per unit is
 * price/(1−λ) + charge; a trade whose cost goes past the buyer's limit is refused, as is one
 * the feasibility hook refuses. A refused trade leaves both orders' quantities unmatched.
 */
export function applyGridRules(
  trades: Trade[],
  orders: readonly LimitOrder[],
  rules: GridRules | undefined,
): { trades: Trade[]; refused: { trade: Trade; reason: string }[] } {
  if (!rules || (!rules.tariff && !rules.refuse)) return { trades, refused: [] };
  const byId = indexById(orders);
  const kept: Trade[] = [];
  const refused: { trade: Trade; reason: string }[] = [];
  for (const trade of trades) {
    const buy = byId.get(trade.buyOrderId)!;
    const sell = byId.get(trade.sellOrderId)!;
    if (rules.tariff) {
      const { charge, lossFactor } = rules.tariff(sell.bus, buy.bus);
      if (!(lossFactor >= 0 && lossFactor < 1) || !(charge >= 0))
        throw new InvalidValueError(
          `grid tariff from ${sell.bus} to ${buy.bus}: charge ${charge}, loss factor ${lossFactor}`,
        );
      const paid = trade.sellerPrice ?? trade.price;
      const cost = paid / (1 - lossFactor) + charge;
      if (cost > buy.price + 1e-12) {
        refused.push({
          trade,
          reason: `network charge and losses raise the cost to ${cost} above the bid ${buy.price}`,
        });
        continue;
      }
      trade.networkCharge = charge;
      trade.sellerQuantity = trade.quantity / (1 - lossFactor);
    }
    const reason = rules.refuse?.(trade, buy, sell);
    if (reason !== undefined) {
      refused.push({ trade, reason });
      continue;
    }
    kept.push(trade);
  }
  return { trades: kept, refused };
}

function indexById(orders: readonly LimitOrder[]): Map<string, LimitOrder> {
  return new Map(orders.map((o) => [o.id, o]));
}
