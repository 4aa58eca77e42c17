import { useMemo } from 'preact/hooks';
import { Chart } from '../charts/chart.js';
import { stackedTiers } from '../charts/tiers.js';
import { SERIES } from '../colors.js';
import { clock, fixed, usd } from '../format.js';
import { type DayData, meanOf } from './day-data.js';
import { Table } from './table.js';

const hoursAxis = (n: number, perHour: number) => Array.from({ length: n }, (_, k) => k / perHour);

/** One figure of the summary, marked with its path in summary.json so tests can compare. */
const Fig = ({ path, children }: { path: string; children: string }) => (
  <span data-field={path}>{children}</span>
);

export function KeyFigures({ data }: { data: DayData }) {
  const s = data.summary;
  const sv = s.households.savingsVsNetMetering;
  const lo = Math.min(...s.grid.minVoltagePu.filter((v) => v > 0));
  const hi = Math.max(...s.grid.maxVoltagePu);
  return (
    <Table
      id="key-figures"
      head={['part of the day', 'figures']}
      rows={[
        [
          'prosumers and events',
          <>
            <Fig path="prosumers">{String(s.prosumers)}</Fig> prosumers,{' '}
            <Fig path="events">{String(s.events)}</Fig> events
          </>,
        ],
        [
          'LEM',
          <>
            day ahead <Fig path="lem.dayAhead.status">{s.lem.dayAhead?.status ?? 'not run'}</Fig>; real time{' '}
            {Object.entries(s.lem.realTime.statuses)
              .map(([k, v]) => `${v} ${k}`)
              .join(', ')}
          </>,
        ],
        [
          'grid',
          <>
            V {fixed(lo, 4)}–{fixed(hi, 4)} pu, <Fig path="grid.violations">{String(s.grid.violations)}</Fig>{' '}
            node-intervals outside {s.grid.voltageLimitsPu.join('–')} pu, losses{' '}
            <Fig path="grid.lossesKwh">{fixed(s.grid.lossesKwh, 1)}</Fig> kWh
          </>,
        ],
        [
          'peer to peer',
          <>
            Layer I <Fig path="p2p.layer1.trades">{String(s.p2p.layer1.trades)}</Fig> trades,{' '}
            <Fig path="p2p.layer1.kwh">{fixed(s.p2p.layer1.kwh, 1)}</Fig> kWh; intraday{' '}
            <Fig path="p2p.intraday.trades">{String(s.p2p.intraday.trades)}</Fig> trades; Layer III{' '}
            <Fig path="p2p.layer3.trades">{String(s.p2p.layer3.trades)}</Fig> trades
          </>,
        ],
        [
          'households',
          <>
            savings vs net metering: median{' '}
            <Fig path="households.savingsVsNetMetering.medianUsd">{usd(sv.medianUsd)}</Fig> $,{' '}
            <Fig path="households.savingsVsNetMetering.shareSaving">{fixed(100 * sv.shareSaving, 0)}</Fig> %
            save, worst decile {usd(sv.worstDecileUsd)} $
          </>,
        ],
        [
          'settlement',
          <>
            <Fig path="settlement.intervals">{String(s.settlement.intervals)}</Fig> slots,{' '}
            <Fig path="settlement.trades">{String(s.settlement.trades)}</Fig> trades,{' '}
            {fixed(s.settlement.deliveredWh / 1000, 1)} kWh verified
          </>,
        ],
        [
          'money',
          <>
            sums to <Fig path="money.sumUsd">{String(s.money.sumUsd)}</Fig> $ over{' '}
            {Object.keys(s.money.byAccount).length} kinds of account
          </>,
        ],
      ]}
    />
  );
}

export function GridSection({ data }: { data: DayData }) {
  const g = data.summary.grid;
  const [vLo, vHi] = g.voltageLimitsPu;
  const x = hoursAxis(g.minVoltagePu.length, 12);
  return (
    <section id="grid">
      <h2>Voltages</h2>
      <Chart
        title="Voltage extremes over the feeder, every five minutes (DSO's power flow of the metered state)"
        x={x}
        hours
        xLabel="time of day"
        yLabel="voltage, pu"
        series={[
          { label: 'lowest', color: SERIES[0], values: g.minVoltagePu.map((v) => (v > 0 ? v : null)) },
          { label: 'highest', color: SERIES[1], values: g.maxVoltagePu.map((v) => (v > 0 ? v : null)) },
          { label: `lower limit ${vLo}`, color: '#777', values: x.map(() => vLo), dash: true },
          { label: `upper limit ${vHi}`, color: '#777', values: x.map(() => vHi), dash: true },
        ]}
      />
    </section>
  );
}

export function MarketsSection({ data }: { data: DayData }) {
  const { summary: s, view: v } = data;
  const da = v.dlmp.dayAhead;
  const hours = hoursAxis(da.length, 1);
  const rt = s.lem.realTime;
  const slots = s.p2p.layer1.bySlot;
  return (
    <section id="markets">
      <h2>Markets</h2>
      <Table
        id="markets"
        head={['market', 'clearings', 'trades (LEM: fills)', 'volume, kWh', 'mean price, $/kWh']}
        rows={v.markets.map((m) => [
          m.market,
          String(m.clearings),
          String(m.trades),
          fixed(m.volumeKwh, 1),
          fixed(m.meanUsdPerKwh, 4),
        ])}
      />
      {da.length > 0 && (
        <Chart
          title="Day-ahead DLMP and its parts, mean over the feeder's nodes, and the ISO's day-ahead price"
          x={hours}
          hours
          xLabel="delivery hour"
          yLabel="$/MWh"
          fromZero
          series={[
            { label: 'DLMP', color: '#222', values: da.map((iv) => meanOf(iv.total)) },
            { label: 'energy', color: SERIES[0], values: da.map((iv) => meanOf(iv.energy)) },
            { label: 'loss', color: SERIES[3], values: da.map((iv) => meanOf(iv.loss)) },
            { label: 'congestion', color: SERIES[1], values: da.map((iv) => meanOf(iv.congestion)) },
            { label: 'ISO day ahead', color: '#888', values: s.iso.dayAheadUsdPerMwh, dash: true },
          ]}
        />
      )}
      <Chart
        title="Real-time market: DLMP range over the feeder's nodes per five-minute interval"
        x={hoursAxis(rt.meanUsdPerMwh.length, 12)}
        hours
        xLabel="time of day"
        yLabel="$/MWh"
        fromZero
        series={[
          { label: 'lowest', color: SERIES[0], values: rt.minUsdPerMwh },
          { label: 'mean', color: SERIES[2], values: rt.meanUsdPerMwh },
          { label: 'highest', color: SERIES[1], values: rt.maxUsdPerMwh },
        ]}
      />
      <Chart
        title="Peer to peer, Layer I: energy traded per 30-minute slot (bars, left) and its volume-weighted price (right)"
        x={hoursAxis(slots.length, 2)}
        hours
        xLabel="slot start"
        yLabel="energy traded, kWh"
        y2Label="price, $/kWh"
        fromZero
        series={[
          { label: 'kWh traded', color: SERIES[0], values: slots.map((b) => b.kwh), bars: true },
          {
            label: 'price, $/kWh',
            color: SERIES[1],
            values: slots.map((b) => (b.kwh > 0 ? b.usdPerKwh : null)),
            right: true,
          },
        ]}
      />
      <h3>Intraday: the last {Math.min(12, v.intraday.length)} trades</h3>
      <Table
        id="intraday"
        head={['time', 'price, $/kWh', 'energy, kWh']}
        rows={v.intraday
          .slice(-12)
          .map((t) => [clock((t.t - v.dayStartMs) / 60000), fixed(t.usdPerKwh, 4), fixed(t.kwh, 3)])}
      />
    </section>
  );
}

export function VppsSection({ data }: { data: DayData }) {
  const { summary: s, view: v } = data;
  return (
    <section id="vpps">
      <h2>Virtual power plants</h2>
      <Table
        id="vpps"
        head={[
          'VPP',
          'devices',
          'shed, kWh',
          'RMS tracking error, %',
          'regulation: quarter hours',
          'PJM score: composite (accuracy, delay, precision)',
          'offer by tier (kW at $/MWh)',
        ]}
        rows={s.vpps.map((p) => [
          p.vpp,
          String(p.devices),
          fixed(p.shedKwh, 1),
          fixed(p.rmsTrackingErrorPct, 2),
          String(p.regulation?.quarters ?? 0),
          p.regulation?.quarters
            ? `${fixed(p.regulation.composite, 3)} (${fixed(p.regulation.accuracy, 3)}, ${fixed(p.regulation.delay, 3)}, ${fixed(p.regulation.precision, 3)})`
            : '–',
          (v.vppOffers.find((o) => o.vpp === p.vpp)?.steps ?? [])
            .map((t) => `${t.tier} ${fixed(t.quantityKw, 1)} at ${t.pricePerMwh}`)
            .join('; '),
        ])}
      />
      <p class="note">
        In each quarter hour a VPP sold regulation capacity in Layer II, its fleet follows the ISO's RegD
        signal around its goal, round by round, and the quarter is scored as PJM scores regulating resources
        (the mean over the quarters is shown; PJM qualifies a resource at 0.75). The tracking error is
        measured against the goal of every round, the moving one included.
      </p>
      {s.vpps.map((p) => (
        <Chart
          key={p.vpp}
          title={`${p.vpp}: the goal it set its fleet against the demand the fleet enabled, by the customers' colour tier (stacked, black never shed at the bottom, green shed first on top), and the demand unrestrained`}
          x={hoursAxis(p.enabledKw.length, 12)}
          hours
          xLabel="time of day"
          yLabel="demand, kW"
          fromZero
          height={240}
          series={[
            { label: 'unrestrained', color: '#bbb', values: p.fullKw, fill: true },
            ...stackedTiers(p.enabledByTierKw ?? {}, p.enabledKw.length),
            { label: 'goal', color: '#222', values: p.goalKw, dash: true },
          ]}
        />
      ))}
    </section>
  );
}

/**
 * Equal-width bins from the 5th to the 95th percentile (and always 0, so the zero line shows);
 * the few beyond fall in the end bins, so one outlier does not squeeze everyone into one bar.
 */
function bins(values: number[][], count: number) {
  const all = values.flat().sort((a, b) => a - b);
  const q = (f: number) => all[Math.min(all.length - 1, Math.floor(f * all.length))] ?? 0;
  const lo = Math.min(0, q(0.05));
  const hi = Math.max(0, q(0.95));
  const w = (hi - lo) / count || 1;
  const centers = Array.from({ length: count }, (_, i) => lo + (i + 0.5) * w);
  const clipped = all.filter((x) => x < lo || x > hi).length;
  const counts = values.map((vs) => {
    const c = new Array<number>(count).fill(0);
    for (const x of vs) c[Math.max(0, Math.min(count - 1, Math.floor((x - lo) / w)))]++;
    return c;
  });
  return { centers, counts, lo, hi: lo + count * w, clipped };
}

export function HouseholdsSection({ data }: { data: DayData }) {
  const h = data.summary.households;
  const savings = useMemo(
    () => [
      h.perHousehold.map((x) => x.costUsd - x.netMeteringUsd),
      h.perHousehold.map((x) => x.costUsd - x.retailFeedInUsd),
    ],
    [h],
  );
  const b = useMemo(() => bins(savings, 30), [savings]);
  const spreadRow = (name: string, sp: typeof h.savingsVsNetMetering) => [
    name,
    String(sp.count),
    usd(sp.medianUsd),
    fixed(100 * sp.shareSaving, 0),
    usd(sp.worstDecileUsd),
    usd(sp.totalUsd),
  ];
  return (
    <section id="households">
      <h2>Households</h2>
      <Chart
        title={`Each household's saving over the day against two baselines (positive: better off)${b.clipped ? `; ${b.clipped} beyond the axis counted in the end bins` : ''}`}
        x={b.centers}
        xRange={[b.lo, b.hi]}
        xLabel="saving, $ per day"
        yLabel="households"
        fromZero
        zeroX
        series={[
          { label: 'vs net metering', color: SERIES[0], values: b.counts[0], bars: true },
          { label: 'vs retail with feed-in', color: SERIES[3], values: b.counts[1] },
        ]}
      />
      <Table
        id="savings"
        head={[
          'baseline',
          'households',
          'median saving, $',
          'share saving, %',
          'worst decile, $',
          'total, $',
        ]}
        rows={[
          spreadRow('net metering', h.savingsVsNetMetering),
          spreadRow('retail with feed-in', h.savingsVsRetailFeedIn),
        ]}
      />
      <Table
        id="contracts"
        head={['contract', 'hourly statements']}
        rows={Object.entries(h.contracts).map(([k, n]) => [k, String(n)])}
      />
    </section>
  );
}

export function SettlementSection({ data }: { data: DayData }) {
  const { summary: s, view: v } = data;
  const st = s.settlement;
  return (
    <section id="settlement">
      <h2>Settlement</h2>
      <Table
        id="money"
        head={['account kind', 'net, $']}
        rows={[
          ...Object.entries(s.money.byAccount).map(([k, x]) => [k, usd(x)]),
          ['sum', usd(s.money.sumUsd)],
        ]}
      />
      <Table
        id="ledger"
        head={[
          'slots',
          'trades',
          'verified, kWh',
          'shortfall, kWh',
          'paid, $',
          'imbalance, $',
          'ledger sums (µ$, Wh, loyalty)',
        ]}
        rows={[
          [
            String(st.intervals),
            String(st.trades),
            fixed(st.deliveredWh / 1000, 1),
            fixed(st.shortfallWh / 1000, 1),
            usd(st.paidMicroUsd / 1e6),
            usd(st.imbalanceMicroUsd / 1e6),
            st.sums ? `${st.sums.usd}, ${st.sums.energy}, ${st.sums.loyalty}` : 'not closed',
          ],
        ]}
      />
      <h3>Settled Layer I slots and their Merkle roots</h3>
      <Table
        id="slots"
        head={['slot', 'trades', 'delivered, Wh', 'shortfall, Wh', 'paid, $', 'Merkle root']}
        rows={v.slots.map((x) => [
          clock(x.slot * 30),
          String(x.trades),
          String(x.deliveredWh),
          String(x.shortfallWh),
          usd(x.paidMicroUsd / 1e6),
          <code key="r">{x.merkleRoot}</code>,
        ])}
      />
    </section>
  );
}

export function TailSection({ data }: { data: DayData }) {
  return (
    <section id="events">
      <h2>The event log's last {data.view.tail.length} events</h2>
      <Table
        id="tail"
        head={['seq', 'time', 'type', 'actor', 'payload']}
        rows={data.view.tail.map((e) => [
          String(e.seq),
          e.time,
          e.type,
          e.actor,
          <code key="p">{e.payload}</code>,
        ])}
      />
    </section>
  );
}
