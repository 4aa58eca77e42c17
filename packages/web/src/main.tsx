import { render } from 'preact';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import { LiveApp } from './live/live-app.js';
import { DAY_DATA_ID, type DayData } from './report/day-data.js';
import { DayReport } from './report/day-report.js';
import css from './styles.css?inline';

// styles travel inside the one script, so the day's report is a single file
const style = document.createElement('style');
style.textContent = `${uplotCss}\n${css}`;
document.head.appendChild(style);

const root = document.getElementById('app')!;
const embedded = document.getElementById(DAY_DATA_ID);
if (embedded) render(<DayReport data={JSON.parse(embedded.textContent!) as DayData} />, root);
else render(<LiveApp />, root);
