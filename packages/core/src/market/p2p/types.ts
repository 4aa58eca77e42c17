/** Running totals of each layer over the day. */
export interface LayerTotals {
  layer1: { markets: number; trades: number; kwh: number; usd: number };
  layer2: { kwh: number; usd: number };
  netting: { kwh: number; usd: number };
  layer3: { markets: number; trades: number; kwh: number; usd: number };
  fallback: {
    importKwh: number;
    importUsd: number;
    exportKwh: number;
    exportUsd: number;
    undeliveredKwh: number;
    penaltyUsd: number;
  };
}

export function emptyTotals(): LayerTotals {
  return {
    layer1: { markets: 0, trades: 0, kwh: 0, usd: 0 },
    layer2: { kwh: 0, usd: 0 },
    netting: { kwh: 0, usd: 0 },
    layer3: { markets: 0, trades: 0, kwh: 0, usd: 0 },
    fallback: { importKwh: 0, importUsd: 0, exportKwh: 0, exportUsd: 0, undeliveredKwh: 0, penaltyUsd: 0 },
  };
}

/** A VPP's members in one tick: how far each is long (+) or short (−) of its trades and commitment, kWh. */
export interface VppTick {
  members: number[];
  position: Float64Array;
  /** the VPP's ancillary obligation in this tick, kWh */
  obligationKwh: number;
}

/** Who received money over the day (negative: paid); the four sum to zero. */
export interface P2pLedger {
  prosumersUsd: number;
  utilityUsd: number;
  isoUsd: number;
  operatorUsd: number;
}

export interface ProsumerDay {
  id: string;
  vpp: number;
  microgrid: number;
  /** net energy over the day, kWh (positive: exported) */
  netKwh: number;
  /** money received over the day in the hierarchy (negative: paid) */
  hierarchyUsd: number;
  /** the same under the utility's tariff with net metering */
  baselineUsd: number;
  savingsUsd: number;
}

export interface P2pDayResult {
  prosumers: ProsumerDay[];
  layers: LayerTotals;
  ledger: P2pLedger;
  /** energy check: prosumers' net = delivered to the ISO + exported − imported, kWh */
  energy: { prosumersKwh: number; deliveredKwh: number; exportKwh: number; importKwh: number };
  summary: { prosumers: number; totalSavingsUsd: number; medianSavingsUsd: number; savingShare: number };
}
