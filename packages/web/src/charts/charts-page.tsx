import { Chart, type ChartProps } from './chart.js';

/** A page of charts the command line writes beside its CSV (hems and vpp reports). */
export interface ChartsPageData {
  title: string;
  notes: string[];
  charts: ChartProps[];
}

export const CHARTS_ID = 'gridtier-charts';

export function ChartsPage({ data }: { data: ChartsPageData }) {
  return (
    <main>
      <h1>{data.title}</h1>
      {data.notes.map((n) => (
        <p class="note" key={n}>
          {n}
        </p>
      ))}
      {data.charts.map((c) => (
        <Chart key={c.title} {...c} />
      ))}
    </main>
  );
}
