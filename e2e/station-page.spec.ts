import { expect, test } from '@playwright/test';
import { connectCharger } from './charger';
import { adminEmail, adminPassword, expectNoSidewaysScroll, signIn } from './helpers';
import { screenshot } from './screenshots';

test('an admin adds a station, its charger connects and charges, and the station page follows live', async ({
  page,
  baseURL,
}) => {
  await signIn(page, adminEmail, adminPassword);
  await page.goto('/stations');
  await page.getByRole('button', { name: 'Add station' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add station' });
  await dialog.getByLabel('Identity').fill('bad identity');
  await dialog.getByRole('button', { name: 'Add station' }).click();
  await expect(dialog.getByText('without spaces')).toBeVisible();
  await dialog.getByLabel('Identity').fill('E2E-PAGE-01');
  await dialog.getByLabel('Site').selectOption({ label: 'Sacramento Capitol Mall' });
  await dialog.getByRole('button', { name: 'Add station' }).click();
  const password = (await dialog.getByTestId('station-password').textContent())?.trim() ?? '';
  expect(password.length).toBeGreaterThanOrEqual(16);
  await dialog.getByRole('button', { name: 'Done' }).click();

  await page.getByRole('link', { name: 'E2E-PAGE-01' }).click();
  await expect(page.getByRole('heading', { name: /E2E-PAGE-01/ })).toBeVisible();
  await expect(page.getByTestId('station-state')).toHaveAttribute('data-state', 'offline');
  await expect(page.locator('[data-live-status="live"]').first()).toBeVisible();

  const charger = await connectCharger(baseURL!, 'E2E-PAGE-01', { password });
  try {
    await charger.call('BootNotification', {
      chargePointVendor: 'Alfen',
      chargePointModel: 'Eve Single',
      firmwareVersion: '6.4.0',
    });
    await charger.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
    await expect(page.getByTestId('station-state')).toHaveAttribute('data-state', 'available');
    await expect(page.getByText('Alfen Eve Single')).toBeVisible();

    const start = Date.now() - 20 * 60_000;
    const { transactionId } = (await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: 'E2E-TAG',
      meterStart: 10_000,
      timestamp: new Date(start).toISOString(),
    })) as { transactionId: number };
    await charger.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });
    for (const [minutes, wh, kw] of [
      [5, 10_900, 10.8],
      [10, 11_800, 11.0],
      [15, 12_700, 10.9],
    ] as const) {
      await charger.call('MeterValues', {
        connectorId: 1,
        transactionId,
        meterValue: [
          {
            timestamp: new Date(start + minutes * 60_000).toISOString(),
            sampledValue: [
              { value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
              { value: String(kw), measurand: 'Power.Active.Import', unit: 'kW' },
            ],
          },
        ],
      });
    }
    await expect(page.getByTestId('station-state')).toHaveAttribute('data-state', 'charging');
    const current = page.getByTestId('current-session');
    await expect(current).toContainText('10.9 kW');
    await expect(current).toContainText('2.70 kWh delivered');
    await expect(page.getByTestId('power-chart').locator('.recharts-line').first()).toBeVisible();
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'station-page');
    // Every frame is on the Log tab; the header and tabs stay.
    const tabs = page.getByRole('navigation', { name: 'Station' });
    await tabs.getByRole('link', { name: 'Log' }).click();
    await expect(page.getByTestId('message-row').first()).toBeVisible();
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'station-log');
    await tabs.getByRole('link', { name: 'Overview' }).click();
    await expect(page.getByTestId('current-session')).toContainText('10.9 kW');

    await charger.call('StopTransaction', {
      transactionId,
      meterStop: 13_000,
      timestamp: new Date(start + 18 * 60_000).toISOString(),
      reason: 'Local',
    });
    await expect(page.getByText('No session in progress.')).toBeVisible();
    await expect(page.getByTestId('session-row').first()).toContainText('3.00 kWh');
  } finally {
    await charger.close();
  }
  await expect(page.getByTestId('station-state')).toHaveAttribute('data-state', 'offline');

  // The session's own page: the figures and the chart.
  await page.getByTestId('session-row').first().getByRole('link').click();
  await expect(page.getByRole('heading', { name: /Session/ })).toBeVisible();
  const summary = page.getByRole('region', { name: 'Summary' });
  await expect(summary).toContainText('3.00 kWh');
  await expect(summary).toContainText('18 min');
  await expect(summary).toContainText('11 kW');
  await expect(page.getByTestId('power-chart').locator('.recharts-line').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'session-page');

  // And in the sessions list, filtered to the station.
  await page.goto('/sessions');
  await page.getByLabel('Station').selectOption({ label: 'E2E-PAGE-01' });
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByTestId('session-row')).toHaveCount(1);
  await expect(page.getByTestId('session-row')).toContainText('E2E-TAG');
  await screenshot(page, 'sessions');
});
