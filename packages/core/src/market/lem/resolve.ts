import type { Network } from '../../grid/model/index.js';
import type { Order, RejectedOrder } from '../orders/index.js';

/** Where an order injects: node indices, each taking an equal share, and Q per kW of P. */
export interface OrderLocation {
  nodes: number[];
  qPerP: number;
}

/**
 * Above this driving-point impedance to ground a node has no real path to ground (an
 * ungrounded delta system held only by anti-float admittances): orders cannot inject there.
 */
const UNGROUNDED_OHMS = 1000;

function nodesAt(network: Network, bus: string, phases: number[] | undefined): number[] | string {
  const b = network.busIndex.get(bus.toLowerCase());
  if (b === undefined) return `unknown bus "${bus}"`;
  const at = network.busNodes[b].filter((i) => network.nodes[i].node >= 1 && network.nodes[i].node <= 3);
  if (!phases) return at.length > 0 ? at : `bus "${bus}" has no phase nodes`;
  const out: number[] = [];
  for (const p of phases) {
    const i = at.find((k) => network.nodes[k].node === p);
    if (i === undefined) return `bus "${bus}" has no phase ${p}`;
    out.push(i);
  }
  return out;
}

const qPerP = (pf: number | undefined) => {
  if (pf === undefined || Math.abs(pf) === 1) return 0;
  const k = Math.sqrt(1 / (pf * pf) - 1);
  return pf < 0 ? -k : k;
};

/**
 * Resolves every order's bus and phases on the network. An order naming a bus or phase the
 * feeder does not have is rejected with its id; the others keep their place in the market.
 */
export function resolveOrders(
  network: Network,
  orders: Order[],
  intervals: number,
  groundOhms: (node: number) => number = () => 0,
): { located: { order: Order; at: OrderLocation; to?: OrderLocation }[]; rejected: RejectedOrder[] } {
  const located: { order: Order; at: OrderLocation; to?: OrderLocation }[] = [];
  const rejected: RejectedOrder[] = [];
  const blockIds = new Set(orders.filter((o) => o.type === 'block').map((o) => o.id));
  orders.forEach((order, index) => {
    const reasons: string[] = [];
    if (order.type === 'block' && order.parent !== undefined && !blockIds.has(order.parent)) {
      reasons.push(`parent: no block "${order.parent}" in this market`);
    }
    const badInterval = (order.intervals ?? []).find((t) => t >= intervals);
    if (badInterval !== undefined)
      reasons.push(`intervals: ${badInterval} is beyond the market's ${intervals} intervals`);
    if (order.type === 'bilateral') {
      const from = nodesAt(network, order.fromBus, order.fromPhases);
      const to = nodesAt(network, order.toBus, order.toPhases);
      if (typeof from === 'string') reasons.push(`fromBus: ${from}`);
      if (typeof to === 'string') reasons.push(`toBus: ${to}`);
      if (reasons.length === 0 && typeof from !== 'string' && typeof to !== 'string') {
        located.push({ order, at: { nodes: from, qPerP: 0 }, to: { nodes: to, qPerP: 0 } });
      }
    } else {
      const at = nodesAt(network, order.bus, order.phases);
      if (typeof at === 'string') reasons.push(`bus: ${at}`);
      else if (reasons.length === 0)
        located.push({ order, at: { nodes: at, qPerP: qPerP(order.powerFactor) } });
    }
    const placed = located.at(-1);
    if (reasons.length === 0 && placed?.order === order) {
      for (const k of [...placed.at.nodes, ...(placed.to?.nodes ?? [])]) {
        if (groundOhms(k) > UNGROUNDED_OHMS) {
          reasons.push(
            `bus ${network.nodeName(k)} has no path to ground (an ungrounded delta system): a phase-to-ground injection cannot be delivered there`,
          );
          located.pop();
          break;
        }
      }
    }
    if (reasons.length > 0) rejected.push({ id: order.id, index, reasons });
  });
  return { located, rejected };
}
