import { market } from '@gridtier/core';
import { parseArgs, UsageError } from '../args.js';
import { readJson } from '../read-json.js';

const usage =
  'usage: gridtier auction --mechanism uniform|pab|mda|merit|cda --orders FILE [--k 0.5] [--format json|csv]';

const mechanisms = ['uniform', 'pab', 'mda', 'merit', 'cda'] as const;
type Mechanism = (typeof mechanisms)[number];

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

/** gridtier auction: clears one call market of the orders in a file. */
export async function runAuction(argv: string[]): Promise<number> {
  let mechanism: Mechanism;
  let k: number;
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv, ['mechanism', 'orders', 'format', 'k']);
    const m = args.options.get('mechanism');
    if (!mechanisms.includes(m as Mechanism))
      throw new UsageError(`--mechanism must be one of ${mechanisms.join(', ')}`);
    mechanism = m as Mechanism;
    if (!args.options.get('orders')) throw new UsageError('--orders is required');
    const f = args.options.get('format') ?? 'json';
    if (f !== 'json' && f !== 'csv') throw new UsageError('--format must be json or csv');
    k = Number(args.options.get('k') ?? 0.5);
    if (!(k >= 0 && k <= 1)) throw new UsageError('--k must be within [0, 1]');
  } catch (e) {
    process.stderr.write(`gridtier auction: ${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  const doc = readJson(args.options.get('orders')!);
  const parsed = market.parseTradeOrders(doc.orders, {
    allowMarketOrders: mechanism === 'cda',
    gateClosure: typeof doc.gateClosure === 'number' ? doc.gateClosure : undefined,
  });
  const result = clear(mechanism, parsed.orders, k);
  if ((args.options.get('format') ?? 'json') === 'csv') process.stdout.write(toCsv(result));
  else process.stdout.write(`${JSON.stringify({ ...result, rejected: parsed.rejected }, null, 2)}\n`);
  for (const r of parsed.rejected) process.stderr.write(`rejected ${r.id}: ${r.reason}\n`);
  process.stderr.write(
    `${mechanism}: ${result.trades.length} trades, volume ${result.volume}, clearing price ${result.clearingPrice ?? '—'}, ${parsed.rejected.length} rejected\n`,
  );
  return 0;
}
