import { MS_PER_DAY, MS_PER_HOUR } from '@gridtier/core/time';
import { useMemo, useState } from 'preact/hooks';
import { Chart } from '../charts/chart.js';
import { stackedTiers, TIER_COLORS } from '../charts/tiers.js';
import { loadingScale, viridis } from '../colors.js';
import { fixed, usd } from '../format.js';
import { FeederMapView } from '../map/feeder-map.js';
import { busNodeIndex, extent, meanOf } from '../report/day-data.js';
import { Table } from '../report/table.js';
import { type Api, ApiRefusal, type Session } from './api.js';
import { bookKey, type FleetRow, intervalNow, type LiveState, mapFrames, newest } from './live-state.js';

interface Props {
  api: Api;
  state: LiveState;
  setState: (f: (s: LiveState) => LiveState) => void;
  onError: (message: string) => void;
}

/** the peer-to-peer markets a participant may trade in (Layer I: one market, or one per microgrid) */
const TRADABLE = /^(intraday|layer1(\/|$)|layer3)/;
const PHASE = ['', 'a', 'b', 'c'];

export function LiveViews(p: Props) {
  return (
    <>
      <nav>
        <a href="#map">feeder map</a>
        <a href="#markets">markets</a>
        <a href="#vpps">VPPs</a>
        {p.api.can('orders:read') && <a href="#orders">my orders</a>}
        {p.api.can('statements:read') && <a href="#statements">statements</a>}
        <a href="#events">feed</a>
      </nav>
      <LiveMap state={p.state} />
      <Fleets state={p.state} />
      <Markets {...p} />
      {p.api.can('orders:read') && <Orders state={p.state} />}
      {p.api.can('statements:read') && <Statements state={p.state} />}
      <section id="events">
        <h2>The feed's last {p.state.tail.length} messages</h2>
        <Table
          id="feed"
          head={['seq', 'time', 'type', 'actor']}
          rows={p.state.tail
            .slice()
            .reverse()
            .map((m) => [
              String(m.seq),
              m.time ?? '',
              m.type,
              m.actor ?? (m.market ? `${m.market} ${m.session}` : ''),
            ])}
        />
      </section>
    </>
  );
}

function LiveMap({ state }: { state: LiveState }) {
  const [q, setQ] = useState<'dlmp' | 'voltage'>('dlmp');
  // the slider's position: null follows the newest state
  const [pick, setPick] = useState<number | null>(null);
  const feeder = state.feeder;
  const frames = useMemo(
    () => mapFrames(state.gridHistory, state.dlmpHistory),
    [state.gridHistory, state.dlmpHistory],
  );
  const frame = pick === null ? null : frames[Math.min(pick, frames.length - 1)];
  const d = frame ? frame.dlmps : state.dlmps;
  const grid = frame ? frame.grid : state.grid;
  const nodeIx = useMemo(() => (feeder && d ? busNodeIndex(feeder.buses, d.nodes) : []), [feeder, d?.nodes]);
  if (!feeder)
    return (
      <section id="map">
        <h2>Feeder map</h2>
        <p class="note">
          This server runs no scenario's feeder (gridtier serve --scenario FILE draws one here).
        </p>
      </section>
    );
  const k = d ? intervalNow(d, frame ? frame.timeMs : state.nowMs) : 0;
  const values =
    q === 'voltage'
      ? feeder.buses.map((_, b) => {
          const v = grid?.busVoltagesPu?.[b];
          return v && v.length > 0 ? Math.min(...v) : null;
        })
      : nodeIx.length > 0
        ? nodeIx.map((ix) => meanOf(ix.map((i) => (i === undefined ? null : d!.intervals[k].total[i]))))
        : feeder.buses.map(() => null);
  const [lo, hi] = extent(values);
  const scale = viridis(
    Number.isNaN(lo) ? 0 : lo,
    Number.isNaN(hi) || hi <= lo ? (Number.isNaN(lo) ? 1 : lo + 1e-3) : hi,
  );
  const loads = grid?.branchLoadingPct ?? null;
  const describe = (b: number) => {
    const bus = feeder.buses[b];
    const v = grid?.busVoltagesPu?.[b];
    return [
      bus.name,
      `voltage, pu: ${bus.phases.map((ph, i) => `${PHASE[ph]} ${fixed(v?.[i], 4)}`).join(' · ')}`,
      ...bus.phases.flatMap((ph, i) => {
        const n = nodeIx[b]?.[i];
        const iv = d?.intervals[k];
        if (n === undefined || !iv) return [];
        return [
          `DLMP ${PHASE[ph]}, $/MWh: ${fixed(iv.total[n])} = energy ${fixed(iv.energy[n])} + loss ${fixed(iv.loss[n])} + congestion ${fixed(iv.congestion[n])}`,
        ];
      }),
    ];
  };
  return (
    <section id="map">
      <h2>Feeder map</h2>
      <p class="note">
        {feeder.buses.length} buses. DLMPs from{' '}
        {d ? `${d.market} (${d.session}, seq ${d.seq})` : 'no clearing yet'}; voltages and loadings from{' '}
        {grid
          ? `the DSO's power flow at seq ${grid.seq}`
          : 'no power flow yet (the DSO solves every five minutes of the day)'}
        .
      </p>
      <div class="controls">
        <label>
          time{' '}
          <input
            type="range"
            data-control="time"
            min={0}
            max={Math.max(0, frames.length - 1)}
            value={pick ?? Math.max(0, frames.length - 1)}
            disabled={frames.length < 2}
            onInput={(e) => {
              const i = Number((e.target as HTMLInputElement).value);
              setPick(i >= frames.length - 1 ? null : i);
            }}
          />{' '}
          <span data-time="">
            {frame
              ? `${new Date(frame.timeMs).toISOString().slice(0, 16).replace('T', ' ')} (seq ${frame.seq})`
              : 'live'}
          </span>
        </label>{' '}
        {pick !== null && (
          <button type="button" data-action="live" onClick={() => setPick(null)}>
            back to live
          </button>
        )}
        <label>
          colour buses by{' '}
          <select
            value={q}
            data-control="quantity"
            onChange={(e) => setQ((e.target as HTMLSelectElement).value as never)}
          >
            <option value="dlmp">DLMP, mean over phases, $/MWh</option>
            <option value="voltage">lowest phase voltage, pu</option>
          </select>
        </label>
      </div>
      <FeederMapView
        feeder={feeder}
        busValues={values}
        busScale={scale}
        busLabel={q === 'dlmp' ? 'DLMP, $/MWh' : 'lowest phase voltage, pu'}
        branchValues={loads}
        branchScale={loadingScale(Math.max(100, extent(loads ?? [])[1] || 0))}
        describe={describe}
      />
    </section>
  );
}

function Markets(p: Props) {
  const { api, state } = p;
  const tradable = state.sessions.filter((s) => TRADABLE.test(s.market) && s.state === 'open');
  const [choice, setChoice] = useState('');
  // what the participant typed, kept as state: the feed redraws the form many times a second
  const [price, setPrice] = useState('0.12');
  const [quantity, setQuantity] = useState('1');
  const [side, setSide] = useState('buy');
  const session = tradable.find((s) => s.id === choice) ?? tradable[0];
  const showBook = async (s: Session) => {
    try {
      const b = await api.get<NonNullable<LiveState['book']>>(
        `/v1/markets/${encodeURIComponent(s.market)}/book?session=${encodeURIComponent(s.id)}`,
      );
      // the feed's depth of this book may have come before the snapshot and be newer
      p.setState((x) => ({ ...x, book: newest(b, x.depths[bookKey(b)]) }));
    } catch (e) {
      p.onError(String(e));
    }
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!session) return;
    try {
      await api.post('/v1/orders', {
        market: session.market,
        session: session.id,
        clientOrderId: `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        order: {
          side,
          type: 'limit',
          price: Number(price),
          quantity: Number(quantity),
        },
      });
      p.onError('');
      if (session.market === 'intraday') void showBook(session);
    } catch (x) {
      p.onError(x instanceof ApiRefusal ? `order refused: ${x.message}` : String(x));
    }
  };
  const book = state.book;
  return (
    <section id="markets">
      <h2>Markets</h2>
      <h3>Open sessions ({state.sessions.length})</h3>
      <Table
        id="sessions"
        head={['session', 'kind', 'product', 'delivery', 'gate']}
        rows={state.sessions
          .slice(0, 30)
          .map((s) => [
            s.id,
            s.kind,
            s.product,
            `${s.deliveryStart.slice(11, 16)}–${s.deliveryEnd.slice(11, 16)}`,
            s.gate.replace('T', ' ').slice(0, 16),
          ])}
      />
      {api.can('orders:write') && (
        <form class="panel" onSubmit={submit} data-form="order">
          <b>Place an order</b>{' '}
          <label>
            session{' '}
            <select
              value={session?.id}
              data-control="session"
              onChange={(e) => setChoice((e.target as HTMLSelectElement).value)}
            >
              {tradable.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.id}
                </option>
              ))}
            </select>
          </label>
          <label>
            side{' '}
            <select
              name="side"
              data-control="side"
              value={side}
              onChange={(e) => setSide((e.target as HTMLSelectElement).value)}
            >
              <option value="buy">buy</option>
              <option value="sell">sell</option>
            </select>
          </label>
          <label>
            price, $/kWh{' '}
            <input
              name="price"
              type="number"
              step="0.0001"
              min="0"
              value={price}
              onInput={(e) => setPrice((e.target as HTMLInputElement).value)}
              size={7}
            />
          </label>
          <label>
            quantity, kWh{' '}
            <input
              name="quantity"
              type="number"
              step="0.01"
              min="0.01"
              value={quantity}
              onInput={(e) => setQuantity((e.target as HTMLInputElement).value)}
              size={6}
            />
          </label>
          <button type="submit">submit</button>
        </form>
      )}
      <h3>
        Order book{' '}
        {session?.market === 'intraday' && (
          <button type="button" onClick={() => showBook(session)} data-action="show-book">
            show {session.id}
          </button>
        )}
      </h3>
      {book ? (
        <div data-book={book.session}>
          <p class="note">
            {book.session}, current to seq {book.seq}
          </p>
          <Table
            id="book"
            head={['bids: kWh', 'bid, $/kWh', 'ask, $/kWh', 'asks: kWh']}
            rows={Array.from({ length: Math.max(book.bids.length, book.asks.length, 1) }, (_, i) => [
              fixed(book.bids[i]?.quantity, 2),
              fixed(book.bids[i]?.price, 4),
              fixed(book.asks[i]?.price, 4),
              fixed(book.asks[i]?.quantity, 2),
            ])}
          />
        </div>
      ) : (
        <p class="note">Choose an intraday session to see its book.</p>
      )}
      <h3>Recent trades</h3>
      <Table
        id="trades"
        head={['seq', 'time', 'session', 'price, $/kWh', 'energy, kWh']}
        rows={state.trades
          .slice(-15)
          .reverse()
          .map((t) => [String(t.seq), t.at.slice(11, 19), t.session, fixed(t.usdPerKwh, 4), fixed(t.kwh, 3)])}
      />
      <h3>Clearings</h3>
      <Table
        id="clearings"
        head={['seq', 'time', 'market', 'session', 'result']}
        rows={state.clearings
          .slice(-15)
          .reverse()
          .map((c) => [String(c.seq), c.time.slice(11, 19), c.market, c.session, c.summary])}
      />
    </section>
  );
}

/** One VPP's intervals; drawn again only when they change (the feed brings much else). */
function FleetChart({ vpp, rows }: { vpp: string; rows: FleetRow[] }) {
  const series = useMemo(
    () => [
      { label: 'unrestrained', color: '#bbb', values: rows.map((r) => r.fullKw), fill: true },
      ...stackedTiers(
        Object.fromEntries(TIER_COLORS.map(([t]) => [t, rows.map((r) => r.enabledByTierKw?.[t] ?? 0)])),
        rows.length,
      ),
      { label: 'goal', color: '#222', values: rows.map((r) => r.goalKw), dash: true },
    ],
    [rows],
  );
  const x = useMemo(() => rows.map((r) => (r.startMs - dayOf(rows[0].startMs)) / MS_PER_HOUR), [rows]);
  return (
    <Chart
      title={`${vpp}: goal against the enabled demand by colour tier (stacked) and the demand unrestrained`}
      x={x}
      hours
      xLabel="time of day (UTC)"
      yLabel="demand, kW"
      fromZero
      height={200}
      series={series}
    />
  );
}

/** Midnight (UTC) of the day a time falls in. */
const dayOf = (ms: number) => ms - (ms % MS_PER_DAY);

/** The VPPs this client may see (its own, or all for an auditor): goal against enabled demand by tier, regulation scores. */
function Fleets({ state }: { state: LiveState }) {
  const vpps = Object.entries(state.fleets);
  return (
    <section id="vpps">
      <h2>Virtual power plants</h2>
      {vpps.length === 0 ? (
        <p class="note">
          A fleet's telemetry goes to its VPP and to auditors; none has reached this client yet (it comes
          every five minutes of the day).
        </p>
      ) : (
        <>
          <Table
            id="vpps"
            head={[
              'VPP',
              'devices',
              'interval',
              'goal, kW',
              'enabled, kW',
              'unrestrained, kW',
              'last regulation quarter: PJM composite',
            ]}
            rows={vpps.map(([vpp, rows]) => {
              const r = rows.at(-1)!;
              const reg = [...rows].reverse().find((x) => x.regulation)?.regulation;
              return [
                vpp,
                String(r.devices),
                new Date(r.startMs).toISOString().slice(11, 16),
                r.goalKw === null ? 'none' : fixed(r.goalKw, 1),
                fixed(r.enabledKw, 1),
                fixed(r.fullKw, 1),
                reg
                  ? `${fixed(reg.composite, 3)} (${new Date(reg.quarterStartMs).toISOString().slice(11, 16)})`
                  : '–',
              ];
            })}
          />
          {vpps.map(([vpp, rows]) => (
            <FleetChart key={vpp} vpp={vpp} rows={rows} />
          ))}
        </>
      )}
    </section>
  );
}

function Orders({ state }: { state: LiveState }) {
  return (
    <section id="orders">
      <h2>My orders ({state.orders.length})</h2>
      <Table
        id="orders"
        head={['order', 'session', 'side', 'price, $/kWh', 'quantity, kWh', 'status', 'filled, kWh', '$']}
        rows={state.orders
          .slice(-20)
          .reverse()
          .map((o) => [
            o.orderId,
            o.session,
            o.order.side ?? '',
            fixed(o.order.price, 4),
            fixed(o.order.quantity, 2),
            o.status,
            fixed(o.filledKwh, 3),
            usd(o.usd),
          ])}
      />
    </section>
  );
}

function Statements({ state }: { state: LiveState }) {
  return (
    <section id="statements">
      <h2>Statements</h2>
      <Table
        id="statements"
        head={['participant', 'sessions', 'energy, kWh', 'balance, $']}
        rows={state.statements.map((s) => [
          s.participant,
          String(s.sessions.length),
          fixed(s.balance.kwh, 3),
          usd(s.balance.usd),
        ])}
      />
    </section>
  );
}
