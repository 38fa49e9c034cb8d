import { expect, test } from '@playwright/test';
import { connectCharger } from './charger';
import { demoManager, demoPassword, expectNoSidewaysScroll, signIn } from './helpers';
import { screenshot, screenshotAs } from './screenshots';

// A charger that started a session with a token ChargeOps refused (offline, or from its own list):
// the energy is kept, the session is flagged, and a manager reviews it from the Sessions list.
test('a session started with a refused token is flagged, explained and reviewed by a manager', async ({
  page,
  baseURL,
}) => {
  const unknownCard = 'E2E-NOT-A-CARD';
  const charger = await connectCharger(baseURL!, 'DEN-L2-04');
  try {
    await charger.call('BootNotification', { chargePointVendor: 'Wallbox', chargePointModel: 'Commander 2' });
    const startedAt = new Date(Date.now() - 30 * 60_000);
    const start = (await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: unknownCard,
      meterStart: 1000,
      timestamp: startedAt.toISOString(),
    })) as { transactionId: number; idTagInfo: { status: string } };
    expect(start.idTagInfo.status).toBe('Invalid');
    await charger.call('StopTransaction', {
      transactionId: start.transactionId,
      meterStop: 4200,
      timestamp: new Date().toISOString(),
      reason: 'Local',
    });
  } finally {
    await charger.close();
  }

  await signIn(page, demoManager, demoPassword);
  await page.goto('/sessions');
  await page.getByLabel('Review').selectOption('open');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/review=open/);
  const row = page
    .getByTestId('session-row')
    .filter({ hasText: 'DEN-L2-04' })
    .filter({ hasText: unknownCard });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('review');
  await row.getByRole('link').first().click();

  const review = page.getByRole('region', { name: 'Review' });
  await expect(review).toContainText('For review');
  await expect(review).toContainText(
    'The token was refused when the session started (Invalid: Unknown id token)',
  );
  // The session's own authorisation decision, with its reason, without leaving the page.
  const attempt = page.getByTestId('session-attempt');
  await expect(attempt).toHaveCount(1);
  await expect(attempt).toContainText('Invalid');
  await expect(attempt).toContainText('Unknown id token');
  await expect(attempt).toContainText('StartTransaction');
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'session-review');

  // A review needs a note; with one it closes, and the session leaves the list awaiting review.
  await review.getByRole('button', { name: 'Mark reviewed' }).click();
  await expect(review.getByText(/Say what you found or did/)).toBeVisible();
  await review.getByLabel('Review note').fill('Visitor without a card; charged by the site office');
  await review.getByRole('button', { name: 'Mark reviewed' }).click();
  await expect(review).toContainText('Reviewed');
  await expect(review).toContainText('Visitor without a card; charged by the site office');
  await expect(review.getByRole('button', { name: 'Mark reviewed' })).toHaveCount(0);

  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await screenshotAs(page, 'phone', 'session-review');

  // The log shows this session's attempts only, one click from the session.
  await page.getByRole('link', { name: 'In the authorisation log' }).click();
  await expect(page).toHaveURL(/transactionId=/);
  await expect(page.getByTestId('attempt-row')).toHaveCount(1);
  await expectNoSidewaysScroll(page);
  await screenshotAs(page, 'phone', 'authorization-log-session');

  await page.goto('/sessions?review=open');
  await expect(
    page.getByTestId('session-row').filter({ hasText: 'DEN-L2-04' }).filter({ hasText: unknownCard }),
  ).toHaveCount(0);
});
