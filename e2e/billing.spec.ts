import { expect, test } from '@playwright/test';
import { connectCharger, demoCards } from './charger';
import { demoManager, demoPassword, expectNoSidewaysScroll, signIn } from './helpers';
import { screenshot, screenshotAs } from './screenshots';

// Alex Rivera (card 04A1B2C3D4E501) is in the demo's Fleet group, which pays the Fleet tariff
// everywhere; a manager gives the fleet its own price at the Denver site.
const fleetCard = demoCards[0]!;

test('a manager creates a group tariff and the next session of a group member is billed with it', async ({
  page,
  baseURL,
}) => {
  await signIn(page, demoManager, demoPassword);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
  await expect(page.getByRole('list', { name: 'Tariffs' })).toContainText('Public AC');
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'tariffs');

  // The editor: a tariff without a name is refused next to the field; the preview prices an example.
  await page.getByRole('button', { name: 'New tariff' }).click();
  await page.getByLabel('Energy (USD per kWh)').fill('0.15');
  await expect(page.getByTestId('preview-total')).toHaveText(/\$\d+\.\d\d/);
  await page.getByRole('button', { name: 'Create tariff' }).click();
  await expect(page.getByText('Enter a name')).toBeVisible();
  await page.getByLabel('Name').fill('Fleet Denver');
  await screenshot(page, 'tariff-editor');
  await page.getByRole('button', { name: 'Create tariff' }).click();
  await expect(page.getByRole('heading', { name: 'Fleet Denver' })).toBeVisible();

  const assign = page.getByRole('form', { name: 'Assign Fleet Denver' });
  await assign.getByLabel('Where').selectOption({ label: 'Site Denver Tech Center Workplace' });
  await assign.getByLabel('Who').selectOption({ label: 'Group Fleet' });
  await assign.getByRole('button', { name: 'Assign' }).click();
  await expect(assign.getByText('Tariff assigned')).toBeVisible();
  await expect(page.getByText('Fleet at site Denver Tech Center Workplace')).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'tariff');

  // A Fleet member charges 10 kWh at a Denver station (OCPP 1.6, a real WebSocket).
  const charger = await connectCharger(baseURL!, 'DEN-L2-02');
  let transactionId: number;
  try {
    await charger.call('BootNotification', { chargePointVendor: 'Wallbox', chargePointModel: 'Commander 2' });
    // Sessions are priced with the versions in force when they start: this one starts now, after the
    // new tariff's first version began.
    const started = new Date();
    const result = (await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: fleetCard,
      meterStart: 20_000,
      timestamp: started.toISOString(),
    })) as { transactionId: number; idTagInfo: { status: string } };
    expect(result.idTagInfo.status).toBe('Accepted');
    transactionId = result.transactionId;
    await charger.call('StopTransaction', {
      transactionId,
      meterStop: 30_000,
      timestamp: new Date(started.getTime() + 40 * 60_000).toISOString(),
      reason: 'EVDisconnected',
    });
  } finally {
    await charger.close();
  }

  // The session's bill: the group's new tariff at this site, 10 kWh x $0.15.
  await page.goto('/sessions');
  // The newest session of this card at this station (its link is its start time).
  await page
    .getByTestId('session-row')
    .filter({ hasText: 'DEN-L2-02' })
    .filter({ hasText: fleetCard })
    .first()
    .getByRole('link')
    .click();
  const cost = page.getByRole('region', { name: 'Cost' });
  await expect(cost).toContainText('Fleet Denver');
  await expect(cost).toContainText('Fleet at site Denver Tech Center Workplace');
  await expect(page.getByTestId('session-cost')).toHaveText('$1.50');
  await expect(cost).toContainText('10.000 kWh');
  await screenshot(page, 'session-cost');

  // Its charge detail record, and the list with totals.
  await page.getByRole('link', { name: /^Record \d+$/ }).click();
  await expect(page.getByRole('heading', { name: /CDR-\d{6}/ })).toContainText('$1.50');
  await screenshot(page, 'cdr');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
  await page.getByRole('link', { name: 'Charge records' }).first().click();
  await expect(page.getByTestId('cdr-row').first()).toContainText('Fleet Denver');
  // The page says which of the matching records it shows; the totals cover all of them.
  await expect(page.getByTestId('cdr-count')).toContainText(/are shown|is shown|Showing records/);
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'cdrs');
  await page.getByTestId('cdr-row').first().getByRole('link').click();
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await screenshotAs(page, 'phone', 'cdr');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Alex is billed on account: the driver page shows what he owes; a payment settles it.
  await page.getByRole('link', { name: 'Alex Rivera' }).click();
  await expect(page.getByText('Owes $1.50')).toBeVisible();
  await page.getByRole('button', { name: 'Record payment' }).click();
  const payment = page.getByRole('dialog', { name: 'Payment from Alex Rivera' });
  await payment.getByLabel('Amount (USD)').fill('1.50');
  await payment.getByRole('button', { name: 'Continue' }).click();
  await payment.getByRole('button', { name: 'Record payment' }).click();
  await expect(page.getByText('Nothing owed')).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'driver-billing');
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await screenshotAs(page, 'phone', 'driver-billing');
});

test('the revenue page charts what was billed', async ({ page }) => {
  await signIn(page, demoManager, demoPassword);
  await page.goto('/billing/revenue?by=site');
  await expect(page.getByRole('heading', { name: 'Billing' })).toBeVisible();
  await expect(
    page.getByText('No charge records in this period').or(page.locator('.recharts-surface').first()),
  ).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'revenue');
});

test('the billing pages read on a phone, without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, demoManager, demoPassword);
  await page.goto('/billing/tariffs');
  await expect(page.getByRole('list', { name: 'Tariffs' })).toContainText('Public AC');
  await expectNoSidewaysScroll(page);
  await screenshotAs(page, 'phone', 'tariffs');

  await page.getByRole('link', { name: 'Public AC' }).click();
  await expect(page.getByRole('heading', { name: 'Public AC' })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshotAs(page, 'phone', 'tariff');
  await page.getByRole('button', { name: 'New version' }).click();
  await expect(page.getByTestId('price-preview')).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshotAs(page, 'phone', 'tariff-editor');

  await page.goto('/billing/cdrs');
  const cdrFilters = page.getByRole('form', { name: 'Filter charge records' });
  await expect(cdrFilters).toBeVisible();
  for (const label of ['Station', 'Driver group', 'Driver']) {
    await expect(cdrFilters.getByLabel(label, { exact: true })).toBeVisible();
  }
  await expectNoSidewaysScroll(page);
  await screenshotAs(page, 'phone', 'cdrs');

  await page.goto('/billing/revenue');
  await expect(page.getByRole('heading', { name: 'Billing' })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshotAs(page, 'phone', 'revenue');
});

test('the running cost follows the charger live, on the session page and in the map popup', async ({
  page,
  baseURL,
}) => {
  // Priya Natarajan's card: in no group, so the demo's Public AC tariff applies at Denver.
  const card = demoCards[2]!;
  await signIn(page, demoManager, demoPassword);
  const charger = await connectCharger(baseURL!, 'DEN-L2-04');
  try {
    await charger.call('BootNotification', { chargePointVendor: 'Wallbox', chargePointModel: 'Commander 2' });
    const { transactionId } = (await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: card,
      meterStart: 0,
      timestamp: new Date().toISOString(),
    })) as { transactionId: number };
    await charger.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });
    const meter = (wh: number) =>
      charger.call('MeterValues', {
        connectorId: 1,
        transactionId,
        meterValue: [
          {
            timestamp: new Date().toISOString(),
            sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
          },
        ],
      });
    await meter(2_000);

    await page.goto('/sessions');
    await page
      .getByTestId('session-row')
      .filter({ hasText: 'DEN-L2-04' })
      .filter({ hasText: card })
      .first()
      .getByRole('link')
      .click();
    await expect(page.getByRole('region', { name: 'Cost' })).toContainText('Running cost');
    const cost = page.getByTestId('session-cost');
    await expect(cost).toHaveText(/^\$\d+\.\d\d$/);
    const before = await cost.textContent();
    await page.evaluate(() => {
      (window as Window & { notReloaded?: boolean }).notReloaded = true;
    });
    // Ten more kWh: the page shows the new cost by itself.
    await meter(12_000);
    await expect(cost).not.toHaveText(before!);
    expect(await page.evaluate(() => (window as Window & { notReloaded?: boolean }).notReloaded)).toBe(true);

    // The map popup shows the session's cost too, and follows the next reading.
    await page.goto('/map');
    await page
      .locator('[data-testid="map-list-item"][data-identity="DEN-L2-04"]')
      .getByRole('button')
      .click();
    const popupCost = page.getByTestId('station-popup').getByTestId('session-cost');
    await expect(popupCost).toContainText(/\$\d+\.\d\d/);
    const shown = await popupCost.textContent();
    await meter(22_000);
    await expect(popupCost).not.toHaveText(shown!);
    await screenshot(page, 'map-running-cost');

    await charger.call('StopTransaction', {
      transactionId,
      meterStop: 22_000,
      timestamp: new Date().toISOString(),
      reason: 'EVDisconnected',
    });
  } finally {
    await charger.close();
  }
});
