import { expect, test } from '@playwright/test';
import { simulatedDemoStation } from './charger';
import { demoManager, demoPassword, expectNoSidewaysScroll, signIn } from './helpers';
import { screenshot } from './screenshots';

test('a charger gets its local list at boot, a new card and then its blocking reach it within seconds, and the lists page says it is in sync', async ({
  page,
  baseURL,
}) => {
  const errors: unknown[] = [];
  const station = simulatedDemoStation(baseURL!, 'CHI-L2-01', errors, {
    protocol: 'ocpp1.6',
    vendor: 'Wallbox',
    model: 'Commander 2',
    connectors: 1,
    autoSessions: false,
  });
  const onCharger = (card: string) => station.localAuthList?.lookup(card, new Date())?.status;

  await signIn(page, demoManager, demoPassword);
  await page.goto('/stations?q=CHI-L2-01');
  await page
    .getByTestId('station-row')
    .filter({ hasText: 'CHI-L2-01' })
    .getByRole('link', { name: 'CHI-L2-01' })
    .click();
  await page.getByRole('navigation', { name: 'Station' }).getByRole('link', { name: 'Access' }).click();
  const panel = page.getByTestId('local-list');
  await expect(panel).toHaveAttribute('data-state', 'none');
  const accessUrl = page.url();

  await station.start();
  try {
    // The demo sites are public: every demo driver's card goes on the list after the boot.
    await expect(panel).toHaveAttribute('data-state', 'in_sync', { timeout: 15_000 });
    await expect(page.getByTestId('local-list-entry').first()).toHaveAttribute('data-status', 'Accepted');
    expect(onCharger('04A1B2C3D4E501')).toBe('Accepted');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'station-access');

    // A manager registers a new card: it is on the charger within seconds.
    await page.goto('/drivers/tokens');
    await page.getByRole('button', { name: 'Add token' }).click();
    const add = page.getByRole('dialog', { name: 'Add token' });
    await add.getByLabel('Token value').fill('04LIST000001');
    await add.getByRole('button', { name: 'Add token' }).click();
    const row = page.locator('[data-testid="token-row"][data-token="04LIST000001"]');
    await expect(row).toContainText('active');
    await expect.poll(() => onCharger('04LIST000001'), { timeout: 10_000 }).toBe('Accepted');

    // ... and blocked: the charger holds it as Blocked, so it refuses it even offline.
    await row.getByRole('button', { name: 'Block 04LIST000001' }).click();
    const block = page.getByRole('dialog', { name: 'Block 04LIST000001?' });
    await block.getByLabel('Reason').fill('Lost card');
    await block.getByRole('button', { name: 'Block token' }).click();
    await expect(row).toContainText('blocked');
    await expect.poll(() => onCharger('04LIST000001'), { timeout: 10_000 }).toBe('Blocked');

    await page.goto(accessUrl);
    await expect(panel).toHaveAttribute('data-state', 'in_sync');
    await expect(page.locator('[data-testid="local-list-entry"][data-token="04LIST000001"]')).toHaveAttribute(
      'data-status',
      'Blocked',
    );

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Drivers' }).click();
    await page
      .getByRole('navigation', { name: 'Drivers' })
      .getByRole('link', { name: 'Local lists' })
      .click();
    const listed = page.getByTestId('local-list-row').filter({ hasText: 'CHI-L2-01' });
    await expect(listed).toHaveAttribute('data-state', 'in_sync');
    await expect(page.getByTestId('local-list-summary')).toContainText('1 in sync');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'local-lists');

    // Asking for the whole list again sends it again, and it stays in sync.
    await listed.getByRole('link', { name: 'CHI-L2-01' }).click();
    const version = station.localAuthList?.version ?? 0;
    await page.getByRole('button', { name: 'Send the full list again' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The whole list goes out' })).toBeVisible();
    await expect.poll(() => station.localAuthList?.version, { timeout: 10_000 }).toBeGreaterThan(version);
    await expect(panel).toHaveAttribute('data-state', 'in_sync');
  } finally {
    await station.stop();
  }
  expect(errors).toEqual([]);
});
