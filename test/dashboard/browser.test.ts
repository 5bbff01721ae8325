import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../functions/config/finops-config.js';
import { writeDashboard } from '../../functions/dashboard/write-dashboard.js';
import { packageRoot } from '../../functions/paths.js';
import { dashboardLedger, hostileFeature, hostileSegment, month, now } from './fixture.js';

/**
 * The dashboard opened in a real browser: Debian's Chromium, headless, driven by playwright-core. It checks what
 * only a browser can: the charts are drawn at a readable size, the page logs no error (a style or script the
 * Content-Security-Policy refused would log one), it asks the network for nothing, injected names stay text, the
 * table sorts on a click, and a phone shows it without sideways scrolling. The screenshots are kept in
 * out/dashboard/ (ignored by git) for a person to look at.
 */

const executablePath = '/usr/bin/chromium';
const screenshots = join(packageRoot, 'out', 'dashboard');

describe('the dashboard in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let url: string;
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    if (!existsSync(executablePath)) {
      throw new Error(`${executablePath} is missing: the browser test needs Debian's chromium (sudo apt-get install -y chromium)`);
    }
    mkdirSync(screenshots, { recursive: true });
    const ledger = await dashboardLedger();
    const file = join(screenshots, `dashboard-${month}.html`);
    try {
      await writeDashboard(ledger.engine, defaultConfig, month, file, now);
    } finally {
      await ledger.close();
    }
    url = pathToFileURL(file).href;
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-extensions', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.setDefaultTimeout(5_000);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    await page.goto(url, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('draws both charts as SVG, each at a readable size', async () => {
    const charts = page.locator('figure.chart svg');
    expect(await charts.count()).toBe(2);
    for (const chart of await charts.all()) {
      const box = (await chart.boundingBox())!;
      expect(box.width).toBeGreaterThan(500);
      expect(box.height).toBeGreaterThan(150);
    }
    // the spend chart has a bar for each rolled-up day of the month (21), in each feature's colour
    expect(await page.locator('figure.spend svg path[aria-roledescription="bar"]').count()).toBeGreaterThanOrEqual(21);
  });

  it('logs no error: nothing failed and the Content-Security-Policy refused nothing', () => {
    expect(consoleErrors).toEqual([]);
  });

  it('asks the network for nothing: the only request is the file itself', () => {
    expect(requests).toEqual([url]);
  });

  it('shows hostile names as text and runs none of them', async () => {
    expect(dialogs).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    await expect(page.getByText(hostileFeature).first().isVisible()).resolves.toBe(true);
    await expect(page.getByRole('cell', { name: hostileSegment }).isVisible()).resolves.toBe(true);
  });

  it('sorts the cost-per-outcome table by a header click: largest first, then reversed', async () => {
    const table = page.locator('#cost-per-outcome table');
    const features = () => table.locator('tbody tr td:first-child').allTextContents();
    const spends = async () => (await table.locator('tbody tr td:nth-child(2)').allTextContents()).map((text) => Number(text.replace(/[$,]/g, '')));
    const spendHeader = table.getByRole('button', { name: 'spend', exact: true });

    await spendHeader.click();
    const descending = await spends();
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    expect(await table.locator('th[aria-sort="descending"]').textContent()).toBe('spend');

    await spendHeader.click();
    expect(await spends()).toEqual([...descending].reverse());

    await table.getByRole('button', { name: 'feature', exact: true }).click();
    const byName = await features();
    expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b)));
    expect(byName).toContain(hostileFeature);
    // the total stays under the rows
    expect(await table.locator('tfoot td').first().textContent()).toBe('total');
  });

  it('fits a phone screen: the page does not scroll sideways, wide tables and charts scroll in their own box', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    try {
      await phone.goto(url, { waitUntil: 'load' });
      const widths = await phone.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
      expect(widths.page).toBeLessThanOrEqual(widths.screen);
      for (const box of await phone.locator('figure.chart, div.scroll').all()) {
        expect((await box.boundingBox())!.width).toBeLessThanOrEqual(widths.screen);
      }
      await phone.screenshot({ path: join(screenshots, 'dashboard-phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });

  it('saves a screenshot of the whole page', async () => {
    const path = join(screenshots, 'dashboard.png');
    await page.screenshot({ path, fullPage: true });
    expect(statSync(path).size).toBeGreaterThan(50_000);
  });
});
