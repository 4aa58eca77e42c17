import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  cliMain,
  hasChromium,
  launch,
  NO_CHROMIUM,
  problemsOf,
  screenshots,
  smallScenario,
} from '../testing/browser.js';

if (!hasChromium) console.warn(NO_CHROMIUM);

/** The value at a dotted path of summary.json. */
const at = (o: unknown, path: string) =>
  path.split('.').reduce((x, k) => (x as Record<string, unknown>)[k], o);

describe.skipIf(!hasChromium)(`the day's report in ${CHROMIUM}, from file://`, () => {
  let dir: string;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let summary: Record<string, unknown>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridtier-report-'));
    const scenario = await smallScenario(dir, 20);
    const r = spawnSync(
      process.execPath,
      [cliMain, 'simulate', '--scenario', scenario, '--seed', '4', '--report', join(dir, 'day')],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    summary = JSON.parse(readFileSync(join(dir, 'day', 'summary.json'), 'utf8'));
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1000, height: 1000 } });
    problems = problemsOf(page);
    await page.goto(`file://${join(dir, 'day', 'index.html')}`);
    await page.waitForSelector('[data-bus]');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens with no console errors and draws every bus of the feeder', async () => {
    const feeder = (
      await page.evaluate(() => JSON.parse(document.getElementById('gridtier-day')!.textContent!))
    ).view.feeder;
    expect(await page.locator('[data-bus]').count()).toBe(feeder.buses.length);
    expect(await page.locator('[data-colorbar]').count()).toBe(2);
    expect(await page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(6);
    expect(problems).toEqual([]);
  });

  it("shows summary.json's figures", async () => {
    const fields = await page
      .locator('[data-field]')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-field')!, e.textContent!] as const));
    expect(fields.length).toBeGreaterThanOrEqual(12);
    for (const [path, text] of fields) {
      const want = at(summary, path);
      if (typeof want === 'string') expect(text, path).toBe(want);
      else {
        // shown to as many digits as the page gives: equal within half the last digit (shares in %)
        const shown = Number(text);
        const digits = text.split('.')[1]?.length ?? 0;
        const value = path.endsWith('shareSaving') ? 100 * (want as number) : (want as number);
        expect(Math.abs(shown - value), path).toBeLessThanOrEqual(0.5 * 10 ** -digits + 1e-9);
      }
    }
  });

  it('moves the map through the day and names a bus on hover', async () => {
    const fills = () =>
      page.locator('[data-bus]').evaluateAll((els) => els.map((e) => e.getAttribute('data-value')));
    const slider = page.locator('[data-control="time"]');
    await slider.fill('150');
    const noon = await fills();
    await slider.fill('230');
    expect(await fills()).not.toEqual(noon);
    const bus = page.locator('[data-bus]').nth(20);
    const name = await bus.getAttribute('data-bus');
    await bus.hover();
    await expect
      .poll(() => page.locator('[data-tooltip]').textContent(), { timeout: 15_000 })
      .toContain(name!);
    expect(await page.locator('[data-tooltip]').textContent()).toMatch(/voltage, pu: .*\d\.\d{4}/);
    for (const id of ['map', 'grid', 'markets', 'vpps', 'households', 'settlement', 'events'])
      await page.locator(`#${id}`).screenshot({ path: join(screenshots, `report-${id}.png`) });
    expect(problems).toEqual([]);
  });
});
