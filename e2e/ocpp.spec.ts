import { expect, test } from '@playwright/test';
import { connectCharger } from './charger';
import { demoManager, demoPassword, signIn } from './helpers';

test('when a charger connects and reports a fault, the manager sees it on the stations page without reloading', async ({
  page,
  baseURL,
}) => {
  await signIn(page, demoManager, demoPassword);
  await expect(page.locator('[data-live-status="live"]').first()).toBeVisible();
  const row = page.getByTestId('station-row').filter({ hasText: 'CHI-DC-01' });
  await expect(row).toContainText('Offline');

  const charger = await connectCharger(baseURL!, 'CHI-DC-01');
  try {
    const boot = (await charger.call('BootNotification', {
      chargePointVendor: 'ABB',
      chargePointModel: 'Terra 184',
      firmwareVersion: '1.8.2',
    })) as { status: string };
    expect(boot.status).toBe('Accepted');
    await charger.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
    await charger.call('StatusNotification', {
      connectorId: 2,
      errorCode: 'GroundFailure',
      status: 'Faulted',
    });

    await expect(row).toContainText('Online');
    await expect(row).toContainText('OCPP 1.6');
    await expect(row).toContainText('#1 CCS1 · 180 kW · Available');
    await expect(row).toContainText('#2 CCS1 · 180 kW · Faulted');
  } finally {
    await charger.close();
  }
  await expect(row).toContainText('Offline');
});

test('a charger with the wrong password is refused at the handshake', async ({ baseURL }) => {
  const error = await connectCharger(baseURL!, 'CHI-DC-02', { password: 'not-the-password' }).then(
    () => null,
    (e: unknown) => e as { statusCode?: number; response?: { statusCode?: number } },
  );
  expect(error?.statusCode ?? error?.response?.statusCode).toBe(401);
});
