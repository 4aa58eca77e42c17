import { useEffect, useRef, useState } from 'preact/hooks';
import { Api, ApiRefusal } from './api.js';
import {
  applyFeed,
  emptyState,
  GRID_STATES,
  keepDlmps,
  type LiveState,
  latestBySeq,
  newest,
} from './live-state.js';
import { LiveViews } from './live-views.js';

/**
 * The live dashboard against `gridtier serve`: a client logs in with its id and secret (an
 * OAuth2 client-credentials token), then reads the public API and follows the feed. What it
 * shows follows the token's scopes: a prosumer sees its own orders and statements, an auditor all.
 */
export function LiveApp() {
  const [api, setApi] = useState<Api | null>(null);
  const [error, setError] = useState('');
  const [state, setState] = useState<LiveState>(emptyState);
  const stateRef = useRef(state);
  stateRef.current = state;

  const login = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    try {
      setApi(await Api.login(location.origin, String(f.get('clientId')), String(f.get('clientSecret'))));
      setError('');
    } catch (x) {
      setError(x instanceof ApiRefusal ? `${x.status}: ${x.message}` : String(x));
    }
  };

  useEffect(() => {
    if (!api) return;
    let ws: WebSocket | undefined;
    let closed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // reads the API's snapshots once the feed is open (its hello), so no event falls between the
    // snapshot and the feed; the feed keeps them current, and a gap or a reconnect reads them again
    const refresh = async () => {
      const [markets, grid, dlmps] = await Promise.all([
        api.get<{ sessions: LiveState['sessions'] }>('/v1/markets'),
        api.get<{ feeder: LiveState['feeder']; state: LiveState['grid'] }>('/v1/grid'),
        api.get<{ dlmps: NonNullable<LiveState['dlmps']>[] }>('/v1/dlmps'),
      ]);
      // every market's public trades (the call markets' come at their gates)
      const { trades } = await api.get<{ trades: LiveState['trades'] }>('/v1/trades');
      const orders = api.can('orders:read')
        ? (await api.get<{ orders: LiveState['orders'] }>('/v1/orders')).orders
        : [];
      const statements = api.can('statements:read')
        ? (await api.get<{ statements: LiveState['statements'] }>('/v1/statements')).statements
        : [];
      setState((s) => ({
        ...s,
        sessions: markets.sessions,
        feeder: grid.feeder,
        // what the feed brought while the snapshot was read may be newer than the snapshot
        grid: newest(grid.state, s.grid),
        dlmps: newest(...dlmps.dlmps, s.dlmps),
        gridHistory: latestBySeq(grid.state ? [...s.gridHistory, grid.state] : s.gridHistory, GRID_STATES),
        dlmpHistory: keepDlmps([...s.dlmpHistory, ...dlmps.dlmps]),
        trades: latestBySeq([...s.trades, ...trades], 50),
        orders,
        statements,
      }));
    };
    // what changes a participant's own records or the list of sessions reads them again, at most every 300 ms
    const later = () => {
      if (timer === undefined)
        timer = setTimeout(() => {
          timer = undefined;
          void refresh().catch((x) => setError(String(x)));
        }, 300);
    };
    const connect = () => {
      ws = api.feed(
        (m) => {
          const last = stateRef.current.tail.at(-1)?.seq;
          const prev = (m as { prevSeq?: number }).prevSeq;
          if (prev !== undefined && last !== undefined && prev !== last) later();
          setState((s) => applyFeed(s, m));
          if (m.type === 'feed.hello') void refresh().catch((x) => setError(String(x)));
          else if (/^(order\.|market\.(fill|gate|cleared)|session\.)/.test(m.type)) later();
        },
        () => {
          if (!closed) setTimeout(connect, 1000);
        },
      );
    };
    connect();
    return () => {
      closed = true;
      ws?.close();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [api]);

  if (!api)
    return (
      <main>
        <h1>GridTier</h1>
        <form class="login" onSubmit={login} data-form="login">
          <p>Log in with an API client's id and secret (gridtier clients add --role prosumer --name NAME).</p>
          <label>
            client id <input name="clientId" autocomplete="username" required />
          </label>
          <label>
            client secret{' '}
            <input name="clientSecret" type="password" autocomplete="current-password" required />
          </label>
          <button type="submit">log in</button>
          {error && (
            <p class="error" data-error="">
              {error}
            </p>
          )}
        </form>
      </main>
    );
  return (
    <main>
      <h1>
        GridTier — {state.participant || '…'} <small>({state.role || 'connecting'})</small>
      </h1>
      {error && <p class="error">{error}</p>}
      <LiveViews api={api} state={state} setState={setState} onError={setError} />
    </main>
  );
}
