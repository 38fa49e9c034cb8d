import { expect, test, type Page } from '@playwright/test';
import { demoCards, simulatedDemoStation } from './charger';
import {
  adminEmail,
  adminPassword,
  demoManager,
  demoPassword,
  expectNoSidewaysScroll,
  signIn,
} from './helpers';
import { screenshot } from './screenshots';

/** A demo station played by the simulator; it charges only when told to. */
function simulated(baseURL: string, identity: string, protocol: 'ocpp1.6' | 'ocpp2.0.1', errors: unknown[]) {
  return simulatedDemoStation(baseURL, identity, errors, {
    protocol,
    connectors: protocol === 'ocpp1.6' ? 1 : 2,
    maxPowerW: protocol === 'ocpp1.6' ? 11_000 : 150_000,
    autoSessions: false,
    firmwareStepMs: 300,
    rebootDelayMs: 500,
  });
}

async function openStation(page: Page, identity: string) {
  await page.goto(`/stations?q=${identity}`);
  await page.getByRole('link', { name: identity, exact: true }).click();
  await expect(page.getByRole('heading', { name: new RegExp(identity) })).toBeVisible();
}

const tab = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Station' }).getByRole('link', { name });

test('a manager remote-starts a session, watches it charge, changes the meter interval and remote-stops it', async ({
  page,
  baseURL,
}) => {
  const errors: unknown[] = [];
  const station = simulated(baseURL!, 'DEN-L2-05', 'ocpp1.6', errors);
  await signIn(page, demoManager, demoPassword);
  await openStation(page, 'DEN-L2-05');
  // Offline: refused at once with the reason, nothing queued for later.
  const offlineStart = page.getByRole('region', { name: 'Start a session' });
  // A card ChargeOps does not know is refused before anything is sent, with the reason by the field.
  await offlineStart.getByLabel('Id token').fill('E2E-UNKNOWN');
  await offlineStart.getByRole('button', { name: 'Start a session' }).click();
  await expect(offlineStart.getByText('Invalid: Unknown id token')).toBeVisible();
  await offlineStart.getByLabel('Id token').fill(demoCards[1]!);
  await offlineStart.getByRole('button', { name: 'Start a session' }).click();
  await expect(offlineStart.getByTestId('command-result')).toHaveAttribute('data-status', 'offline');
  await expect(offlineStart.getByTestId('command-result')).toContainText('offline: nothing was sent');
  await station.start();
  try {
    await expect(page.getByTestId('station-state')).toHaveAttribute('data-state', 'available');

    // After boot ChargeOps applied the demo defaults (samples every 15 s): nothing differs.
    await tab(page, 'Configuration').click();
    const interval = page.locator('[data-testid="drift-row"][data-key="MeterValueSampleInterval"]');
    await expect(interval).toHaveAttribute('data-state', 'in-sync');
    await expect(interval).toContainText('15');
    // Faster samples for this station only: the drift view then shows it differs from the default.
    const row = page.locator('[data-testid="configuration-row"][data-key="MeterValueSampleInterval"]');
    await row.getByRole('button', { name: 'Edit' }).click();
    await row.getByLabel('New value of MeterValueSampleInterval').fill('2');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('command-result')).toHaveAttribute('data-status', 'accepted');
    await expect(interval).toHaveAttribute('data-state', 'drift');
    await expect(row).toContainText('2');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'station-configuration');

    // A reservation holds the connector for one driver: shown on the connector, then cancelled.
    await tab(page, 'Commands').click();
    await page.getByLabel('Command', { exact: true }).selectOption({ label: 'Reserve' });
    await page.getByLabel('EVSE').selectOption({ label: 'EVSE #1' });
    await page.getByLabel('Id token').fill('E2E-HOLD');
    await page.getByRole('button', { name: 'Reserve' }).click();
    await expect(page.getByTestId('command-result')).toHaveAttribute('data-status', 'accepted');
    await tab(page, 'Overview').click();
    await expect(page.getByTestId('connector-reservation')).toContainText('E2E-HOLD');
    await expect(page.getByTestId('connector-row')).toContainText('Reserved');
    await tab(page, 'Commands').click();
    await page.getByLabel('Command', { exact: true }).selectOption({ label: 'Cancel a reservation' });
    await expect(page.getByLabel('Reservation', { exact: true })).toContainText('E2E-HOLD');
    await page.getByRole('button', { name: 'Cancel a reservation' }).click();
    await expect(page.getByTestId('command-result')).toHaveAttribute('data-status', 'accepted');

    // Remote start from the overview.
    await tab(page, 'Overview').click();
    await expect(page.getByTestId('connector-reservation')).toHaveText('—');
    const start = page.getByRole('region', { name: 'Start a session' });
    await start.getByRole('button', { name: 'Start a session' }).click();
    await expect(start.getByText('Enter an id token')).toBeVisible();
    await start.getByLabel('Id token').fill(demoCards[0]!);
    await start.getByRole('button', { name: 'Start a session' }).click();
    await expect(start.getByTestId('command-result')).toHaveAttribute('data-status', 'accepted');
    await expect(page.getByTestId('station-state')).toHaveAttribute('data-state', 'charging');
    const current = page.getByTestId('current-session');
    await expect(current).toContainText(demoCards[0]!);
    await expect(page.getByTestId('session-power')).toHaveText(/[1-9][\d.]* kW/, { timeout: 20_000 });
    await expect(page.getByTestId('connector-row')).toContainText('Charging');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'station-remote-session');

    // Remote stop: the session ends and shows completed with its energy.
    await current.getByRole('button', { name: 'Stop session' }).click();
    await page
      .getByRole('dialog', { name: 'Stop this session?' })
      .getByRole('button', { name: 'Stop session' })
      .click();
    await expect(page.getByText('No session in progress.')).toBeVisible({ timeout: 15_000 });
    const finished = page.getByTestId('session-row').first();
    await expect(finished).toContainText('Completed');
    await expect(finished).toContainText('kWh');

    // The command log has every step, newest first, with the charger's answers.
    await tab(page, 'Commands').click();
    const log = page.getByTestId('command-row');
    await expect(log.filter({ hasText: 'Stop a session' }).first()).toHaveAttribute(
      'data-status',
      'accepted',
    );
    await expect(log.filter({ hasText: 'RemoteStartTransaction' }).first()).toHaveAttribute(
      'data-status',
      'accepted',
    );
    await expect(log.filter({ hasText: 'MeterValueSampleInterval = 2' }).first()).toContainText(demoManager);
    await expect(log.filter({ hasText: 'ChargeOps (configuration defaults)' }).first()).toBeVisible();
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'station-commands');
  } finally {
    await station.stop();
  }
  expect(errors).toEqual([]);
});

test('diagnostics upload to ChargeOps, the device model, a confirmed hard reset and a bulk command over OCPP 2.0.1', async ({
  page,
  baseURL,
}) => {
  const errors: unknown[] = [];
  const station = simulated(baseURL!, 'CHI-DC-02', 'ocpp2.0.1', errors);
  await signIn(page, demoManager, demoPassword);
  await openStation(page, 'CHI-DC-02');
  await station.start();
  try {
    await expect(page.getByTestId('station-state')).toHaveAttribute('data-state', 'available');

    // The charger uploads a log file to ChargeOps; it appears and downloads.
    await tab(page, 'Firmware & files').click();
    await page.getByRole('button', { name: 'Upload diagnostics' }).click();
    await expect(page.getByTestId('command-result')).toHaveAttribute('data-status', 'accepted');
    const file = page.getByTestId('upload-row').first().getByRole('link');
    await expect(file).toBeVisible({ timeout: 15_000 });
    const download = await page.request.get((await file.getAttribute('href'))!);
    expect(download.status()).toBe(200);
    expect((await download.body()).length).toBeGreaterThan(0);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'station-files');

    // A firmware update asks first, reports its progress and reboots into the new version.
    await page.getByLabel('Firmware URL').fill('https://firmware.example.com/sim-2.0.bin');
    await page.getByRole('button', { name: 'Update firmware' }).click();
    await page
      .getByRole('dialog', { name: 'Update firmware?' })
      .getByRole('button', { name: 'Yes, update firmware' })
      .click();
    await expect(page.getByTestId('firmware-status')).toContainText('Installed', { timeout: 15_000 });
    await expect(page.getByTestId('installed-firmware')).toHaveText('sim-2.0', { timeout: 15_000 });

    // The device model arrives in NotifyReport parts after a base report request.
    await tab(page, 'Configuration').click();
    await page.getByRole('button', { name: 'Request base report' }).click();
    await expect(
      page.locator('[data-testid="configuration-row"][data-key="OCPPCommCtrlr.HeartbeatInterval"]'),
    ).toBeVisible({ timeout: 15_000 });
    await page.getByLabel('Filter configuration').fill('EVSE@1');
    await expect(page.getByTestId('configuration-row').first()).toContainText('EVSE@1');

    // A hard reset asks first, then the station reboots.
    await tab(page, 'Commands').click();
    const byChargeOps = page
      .getByTestId('command-row')
      .filter({ hasText: 'ChargeOps (configuration defaults)' });
    await expect(byChargeOps.first()).toBeVisible();
    const beforeReset = await byChargeOps.count();
    await page.getByLabel('Command', { exact: true }).selectOption({ label: 'Reset' });
    await page.getByLabel('Kind of reset').selectOption('hard');
    await page.getByRole('button', { name: 'Reset' }).click();
    const confirm = page.getByRole('dialog', { name: 'Reset?' });
    await confirm.getByRole('button', { name: 'Yes, reset' }).click();
    await expect(page.getByTestId('command-result')).toHaveAttribute('data-status', 'accepted');
    await expect(page.getByTestId('command-row').filter({ hasText: 'Reset' }).first()).toHaveAttribute(
      'data-status',
      'accepted',
    );
    // After the reboot ChargeOps applies the defaults again: the station is back.
    await expect.poll(() => byChargeOps.count(), { timeout: 20_000 }).toBeGreaterThan(beforeReset);

    // Bulk: ask every Chicago station for its status; only the connected one can answer.
    await page.goto('/stations');
    await page.getByLabel('Select all 4 at Chicago Union Station Garage').check();
    await expect(page.getByTestId('bulk-bar')).toContainText('4 stations selected');
    await page.getByLabel('Bulk command', { exact: true }).selectOption({ label: 'Ask for status' });
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Send' }).click();
    const results = page.getByTestId('bulk-results');
    await expect(results).toContainText('1 of 4 stations accepted', { timeout: 20_000 });
    await expect(results.getByRole('listitem').filter({ hasText: 'CHI-DC-02' })).toContainText('Accepted');
    await expect(results.getByRole('listitem').filter({ hasText: 'CHI-DC-01' })).toContainText(
      'Station offline',
    );
    await screenshot(page, 'stations-bulk');
  } finally {
    await station.stop();
  }
  expect(errors).toEqual([]);
});

test('an admin keeps charger configuration defaults: a bad key is explained, a site override is set and removed', async ({
  page,
}) => {
  await signIn(page, adminEmail, adminPassword);
  await page.goto('/settings/configuration');
  await expect(
    page.locator('[data-testid="default-row"][data-key="MeterValueSampleInterval"]').first(),
  ).toBeVisible();

  const form = page.getByRole('region', { name: 'Set a value' });
  await form.getByLabel('Applies to').selectOption({ label: 'Site: Sacramento Capitol Mall' });
  await form.getByLabel('OCPP version').selectOption('1.6');
  await form.getByLabel('Key').fill('SampledDataCtrlr.TxUpdatedInterval');
  await form.getByLabel('Value').fill('30');
  await form.getByRole('button', { name: 'Save value' }).click();
  await expect(form.getByText('OCPP 1.6 keys have no component')).toBeVisible();

  await form.getByLabel('Key').fill('MeterValueSampleInterval');
  await form.getByRole('button', { name: 'Save value' }).click();
  const overrides = page.getByRole('region', { name: 'Overrides of Sacramento Capitol Mall' });
  await expect(overrides.getByTestId('default-row')).toContainText('30');
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'settings-configuration');

  await overrides.getByRole('button', { name: 'Remove MeterValueSampleInterval' }).click();
  await page
    .getByRole('dialog', { name: 'Remove this default?' })
    .getByRole('button', { name: 'Remove' })
    .click();
  await expect(overrides.getByText('None.')).toBeVisible();
});
