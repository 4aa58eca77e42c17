import { InvalidValueError } from '@gridtier/core/errors';
import * as market from '@gridtier/core/market';
import { writeFileAtomic } from '../../framework/files.js';
import type { OptionValues, RunContext } from '../../framework/spec.js';
import { readJsonObject } from '../../inputs.js';
import type { options } from './command.js';

type Mechanism = OptionValues<typeof options>['mechanism'];

function clear(mechanism: Mechanism, orders: market.TradeOrder[], k: number): market.CallResult {
  switch (mechanism) {
    case 'uniform':
      return market.uniformPrice(orders, { k });
    case 'pab':
      return market.payAsBid(orders);
    case 'mda':
      return market.mda(orders);
    case 'merit':
      return market.meritOrder(orders);
    case 'cda':
      return continuous(orders);
  }
}

/**
 * The continuous double auction: the orders arrive at the book in time order (then file order),
 * each trading at once against what rests; what still rests when the file ends is cancelled
 * at gate closure.
 */
function continuous(orders: market.TradeOrder[]): market.CallResult {
  const book = new market.OrderBook();
  const arrival = orders
    .map((o, i) => ({ o, i }))
    .sort((a, b) => (a.o.time ?? 0) - (b.o.time ?? 0) || a.i - b.i);
  const trades: market.Trade[] = [];
  for (const { o } of arrival) trades.push(...book.submit(o, o.time).trades);
  book.closeGate();
  return {
    mechanism: 'cda',
    clearingPrice: null,
    trades,
    volume: trades.reduce((a, t) => a + t.quantity, 0),
    operatorSurplus: 0,
    refused: [],
  };
}

function toCsv(r: market.CallResult): string {
  const rows = ['buyOrderId,sellOrderId,price,quantity,buyerPrice,sellerPrice'];
  for (const t of r.trades)
    rows.push(
      [t.buyOrderId, t.sellOrderId, t.price, t.quantity, t.buyerPrice ?? '', t.sellerPrice ?? ''].join(','),
    );
  return `${rows.join('\n')}\n`;
}

function table(r: market.CallResult): string {
  const f = (x: number | undefined) => (x === undefined ? '' : String(x)).padStart(12);
  return [
    `${'buy order'.padEnd(16)} ${'sell order'.padEnd(16)} ${'price'.padStart(12)} ${'quantity'.padStart(12)} ${'buyer pays'.padStart(12)} ${'seller gets'.padStart(12)}`,
    ...r.trades.map(
      (t) =>
        `${t.buyOrderId.padEnd(16)} ${t.sellOrderId.padEnd(16)} ${f(t.price)} ${f(t.quantity)} ${f(t.buyerPrice)} ${f(t.sellerPrice)}`,
    ),
    '',
  ].join('\n');
}

/** gridtier auction: clears one call market of the orders in a file. */
export async function run({ options: o, io }: RunContext<typeof options>): Promise<number> {
  const parsed = market.parseTradeOrderDocument(readJsonObject(o.orders), o.orders, {
    allowMarketOrders: o.mechanism === 'cda',
  });
  for (const r of parsed.rejected) io.stderr(`rejected ${r.id}: ${r.reason}\n`);
  if (parsed.orders.length === 0 && parsed.rejected.length > 0)
    throw new InvalidValueError(
      `${o.orders}: every order was refused (${parsed.rejected.length}); nothing clears`,
    );
  const result = clear(o.mechanism, parsed.orders, o.k);
  const text =
    o.format === 'csv'
      ? toCsv(result)
      : o.format === 'json'
        ? `${JSON.stringify({ ...result, rejected: parsed.rejected }, null, 2)}\n`
        : table(result);
  if (o.out !== undefined) writeFileAtomic(o.out, text);
  else io.stdout(text);
  io.stderr(
    `${o.mechanism}: ${result.trades.length} trades, volume ${result.volume}, clearing price ${result.clearingPrice ?? '—'}, ${parsed.rejected.length} rejected\n`,
  );
  return 0;
}
