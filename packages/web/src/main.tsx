import { render } from 'preact';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import { MAP_BENCH_ID, MapBench, type MapBenchData } from './bench/map-bench.js';
import { CHARTS_ID, ChartsPage, type ChartsPageData } from './charts/charts-page.js';
import { LiveApp } from './live/live-app.js';
import { DAY_DATA_ID, type DayData } from './report/day-data.js';
import { DayReport } from './report/day-report.js';
import css from './styles.css?inline';

// styles travel inside the one script, so the day's report is a single file
const style = document.createElement('style');
style.textContent = `${uplotCss}\n${css}`;
document.head.appendChild(style);

const root = document.getElementById('app')!;
const embedded = (id: string) => {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent!) : undefined;
};
// the data in the page says what it is: the day's report, a page of charts, the map benchmark;
// a page without data is the live dashboard
const day = embedded(DAY_DATA_ID) as DayData | undefined;
const charts = embedded(CHARTS_ID) as ChartsPageData | undefined;
const bench = embedded(MAP_BENCH_ID) as MapBenchData | undefined;
if (day) render(<DayReport data={day} />, root);
else if (charts) render(<ChartsPage data={charts} />, root);
else if (bench) render(<MapBench data={bench} />, root);
else render(<LiveApp />, root);
