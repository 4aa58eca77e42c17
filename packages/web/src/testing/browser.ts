import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium: the machines cannot download Playwright's own browsers. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const NO_CHROMIUM = `SKIPPED: ${CHROMIUM} is missing (apt-get install chromium); the browser tests need it`;

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** where the tests leave their screenshots (git ignores out/) */
export const screenshots = join(repoRoot, 'out/screenshots');

export function launch(): Promise<Browser> {
  mkdirSync(screenshots, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Every console error and uncaught exception of a page, to assert there are none. */
export function problemsOf(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

/** The residential feeder's scenario with its first `n` prosumers, written into dir. */
export async function smallScenario(dir: string, n: number): Promise<string> {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const inventory = JSON.parse(
    readFileSync(join(repoRoot, 'examples/feeders/gridtier-residential/der.json'), 'utf8'),
  );
  writeFileSync(
    join(dir, 'der.json'),
    JSON.stringify({ ...inventory, prosumers: inventory.prosumers.slice(0, n) }),
  );
  const scenario = join(dir, 'day.json');
  writeFileSync(
    scenario,
    JSON.stringify({
      name: 'browser test day',
      feeder: join(repoRoot, 'examples/feeders/gridtier-residential/master.dss'),
      inventory: 'der.json',
    }),
  );
  return scenario;
}

export const cliMain = join(repoRoot, 'packages/cli/dist/main.js');
