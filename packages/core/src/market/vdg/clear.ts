import { type CurveStep, clearSubstation } from '../exchange/index.js';
import { allocateCapacity, type CapacityRequest } from './allocate.js';
import type { VdgDefinition, VdgDocument } from './document.js';

/** A participant's accepted order in its VDG's market. */
export interface VdgFill {
  id: string;
  participant: string;
  side: 'buy' | 'sell';
  kw: number;
  /** received (+) or paid (−) over the interval at the VDG's price, $ */
  usd: number;
}

/** One VDG's market after the DSO's allocation. */
export interface VdgResult {
  vdg: string;
  kind?: string;
  priority: number;
  capacityBidUsdPerKwh: number;
  /** the VDG's net import through the line with its market cleared alone at the feeder's price, kW (negative: export) */
  requestKw: number;
  /** the line capacity the DSO granted it in the direction of its request, kW (signed as the request) */
  allocatedKw: number;
  /** request less allocation, kW (≥ 0) */
  curtailedKw: number;
  /** the VDG's own clearing price: the feeder's while its allocation holds its request, above (imports) or below (exports) when curtailed */
  usdPerKwh: number;
  /** its net import as cleared, kW: equal to allocatedKw */
  importKw: number;
  fills: VdgFill[];
  /** money by account over the interval (+ received): participants, the feeder's supply at its price, the VDG operator, the DSO */
  usd: { participants: number; feederSupply: number; vdgOperator: number; dso: number };
}

export interface VdgClearing {
  line: string;
  capacityKw: number;
  /** the VDGs' granted imports and exports, kW: each within capacityKw */
  importKw: number;
  exportKw: number;
  vdgs: VdgResult[];
}

const stepsOf = (v: VdgDefinition): CurveStep[] =>
  v.orders.map((o) => ({ id: o.id, feeder: o.participant, side: o.side, kw: o.kw, usdPerKwh: o.usdPerKwh }));

/** The VDG's market with at most `limitKw` through the line (the feeder selling or buying at its price). */
function clearWithin(doc: VdgDocument, v: VdgDefinition, limitKw: number) {
  return clearSubstation({
    steps: stepsOf(v),
    isoUsdPerKwh: doc.feederUsdPerKwh,
    transformerKw: limitKw,
    intervalH: doc.intervalH,
  });
}

/**
 * Virtual distribution grids on one feeder (Horta §3), one interval:
 * 1. each VDG's market is cleared alone at the feeder's price with no line limit; its net import
 *    (or export) is its request for line capacity in that direction;
 * 2. the DSO allocates each direction's capacity by `allocateCapacity` (priority, then bid, then
 *    pro rata). A direction is allocated firm, without netting the other direction's flows: a
 *    VDG's allocation must hold whether or not another VDG's counter-flow materialises;
 * 3. each VDG's market clears again with its allocation as its line limit: a curtailed VDG's price
 *    rises (imports) or falls (exports) until its flow through the line equals its allocation.
 * Money: participants settle at their VDG's price; the feeder's supply is paid the feeder's price
 * for the energy through the line; the difference (the scarcity rent of a curtailed VDG) goes to
 * its operator, who pays the DSO its capacity bid on the energy granted. Within each VDG it all
 * sums to zero.
 */
export function clearVdgs(doc: VdgDocument): VdgClearing {
  const requests = doc.vdgs.map((v) => {
    const unlimited = v.orders.reduce((a, o) => a + o.kw, 0);
    return clearWithin(doc, v, unlimited).isoImportKw;
  });
  const direction = (sign: 1 | -1): CapacityRequest[] =>
    doc.vdgs.flatMap((v, i) =>
      sign * requests[i] > 0
        ? [{ vdg: v.id, priority: v.priority, bidUsdPerKwh: v.capacityBidUsdPerKwh, kw: sign * requests[i] }]
        : [],
    );
  const imports = allocateCapacity(direction(1), doc.line.capacityKw);
  const exports = allocateCapacity(direction(-1), doc.line.capacityKw);
  const vdgs = doc.vdgs.map((v, i): VdgResult => {
    const requestKw = requests[i];
    const grantKw = requestKw > 0 ? imports[v.id] : requestKw < 0 ? exports[v.id] : 0;
    const r = clearWithin(doc, v, grantKw);
    const line = (a: 'iso' | 'transformer-rent') => r.lines.find((l) => l.account === a)!.usd;
    const feeKwh = grantKw * doc.intervalH;
    const feeUsd = feeKwh * v.capacityBidUsdPerKwh;
    return {
      vdg: v.id,
      ...(v.kind !== undefined ? { kind: v.kind } : {}),
      priority: v.priority,
      capacityBidUsdPerKwh: v.capacityBidUsdPerKwh,
      requestKw,
      allocatedKw: requestKw < 0 && grantKw > 0 ? -grantKw : grantKw,
      curtailedKw: Math.abs(requestKw) - grantKw,
      usdPerKwh: r.usdPerKwh,
      importKw: r.isoImportKw,
      fills: r.fills.map((f) => ({ id: f.id, participant: f.feeder, side: f.side, kw: f.kw, usd: f.usd })),
      usd: {
        participants: r.fills.reduce((a, f) => a + f.usd, 0),
        feederSupply: line('iso'),
        vdgOperator: line('transformer-rent') - feeUsd,
        dso: feeUsd,
      },
    };
  });
  const sum = (rec: Record<string, number>) => Object.values(rec).reduce((a, x) => a + x, 0);
  return {
    line: doc.line.id,
    capacityKw: doc.line.capacityKw,
    importKw: sum(imports),
    exportKw: sum(exports),
    vdgs,
  };
}
