import type { DayData } from './day-data.js';
import { MapSection } from './map-section.js';
import {
  GridSection,
  HouseholdsSection,
  KeyFigures,
  MarketsSection,
  SettlementSection,
  TailSection,
  VppsSection,
} from './sections.js';

const VIEWS = [
  ['map', 'feeder map'],
  ['grid', 'voltages'],
  ['markets', 'markets'],
  ['vpps', 'VPPs'],
  ['households', 'households'],
  ['settlement', 'settlement'],
  ['events', 'event log'],
];

/** The day's report: the same views as the live dashboard, drawn from the recorded day. */
export function DayReport({ data }: { data: DayData }) {
  const s = data.summary;
  return (
    <main>
      <h1>
        GridTier: one day of the hierarchy — {s.scenario} (seed {s.seed}, {s.date})
      </h1>
      <nav>
        {VIEWS.map(([id, name]) => (
          <a key={id} href={`#${id}`}>
            {name}
          </a>
        ))}
      </nav>
      <KeyFigures data={data} />
      {data.view.feeder ? <MapSection data={data} /> : <p>The log names no feeder map.</p>}
      <GridSection data={data} />
      <MarketsSection data={data} />
      <VppsSection data={data} />
      <HouseholdsSection data={data} />
      <SettlementSection data={data} />
      <TailSection data={data} />
      <p class="note">
        Data beside this page: summary.json, events.jsonl (every event of the day), dlmp-day-ahead.csv,
        real-time.csv, grid.csv, vpp.csv, layer1.csv, households.csv.
      </p>
    </main>
  );
}
