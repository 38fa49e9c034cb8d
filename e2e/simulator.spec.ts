import { expect, test } from '@playwright/test';
import { demoCards, simulatedDemoStation } from './charger';
import { demoManager, demoPassword, signIn } from './helpers';

test('a simulated charger boots, charges and finishes a session, and the pages follow', async ({
  page,
  baseURL,
}) => {
  const errors: unknown[] = [];
  const station = simulatedDemoStation(baseURL!, 'DEN-L2-03', errors, {
    protocol: 'ocpp2.0.1',
    vendor: 'Wallbox',
    model: 'Commander 2',
    connectors: 1,
    meterIntervalSeconds: 1,
    sessionSeconds: [6, 7],
    idleSeconds: [1, 1.5],
    idTokens: demoCards,
  });
  await signIn(page, demoManager, demoPassword);
  await page.goto('/stations?q=DEN-L2-03');
  const row = page.getByTestId('station-row').filter({ hasText: 'DEN-L2-03' });
  await expect(row).toContainText('Offline');
  await station.start();
  try {
    await expect(row).toContainText('Online');
    await expect(row).toContainText('OCPP 2.0.1');
    await expect(row).toContainText('Occupied', { timeout: 15_000 });
    await row.getByRole('link', { name: 'DEN-L2-03' }).click();
    await expect(page.getByTestId('current-session')).toContainText('kW', { timeout: 15_000 });
    // The session ends by itself after about 6 s and shows up completed with energy.
    await expect(page.getByTestId('session-row').first()).toContainText('Completed', { timeout: 20_000 });
    await expect(page.getByTestId('session-row').first()).toContainText('kWh');
  } finally {
    await station.stop();
  }
  expect(errors).toEqual([]);
});
