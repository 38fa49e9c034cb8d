import { expect, test } from '@playwright/test';
import {
  adminEmail,
  adminPassword,
  demoManager,
  demoPassword,
  signIn,
  expectNoSidewaysScroll,
} from './helpers';
import { screenshot } from './screenshots';

test('a site manager sees only the stations of their sites and no settings', async ({ page }) => {
  await signIn(page, demoManager, demoPassword);
  await expect(page).toHaveURL(/\/stations$/);
  // The demo manager looks after Chicago and Denver: 4 + 5 stations, not Sacramento's.
  await expect(page.getByTestId('station-row')).toHaveCount(9);
  await expect(page.getByRole('region', { name: 'Sacramento Capitol Mall' })).toHaveCount(0);
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }),
  ).toHaveCount(0);
  expect((await page.goto('/settings/sites'))?.status()).toBe(403);
});

test('desktop screenshots of every page, none wider than the window', async ({ page }) => {
  await page.goto('/login');
  await screenshot(page, 'login');
  await signIn(page, adminEmail, adminPassword);
  await expect(page.getByTestId('station-row').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'stations');
  await page.goto('/settings/users');
  await expect(page.getByTestId('user-row').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'settings-users');
  await page.getByRole('button', { name: 'Add user' }).click();
  await screenshot(page, 'settings-users-add');
  await page.keyboard.press('Escape');
  await page.goto('/settings/sites');
  await expect(page.getByTestId('site-row').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'settings-sites');
  await page.getByRole('button', { name: 'Add site' }).click();
  await expect(page.getByTestId('pin-picker')).toBeVisible();
  await screenshot(page, 'settings-sites-add');
  await page.keyboard.press('Escape');
  await page.goto('/settings/audit');
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'settings-audit');
  // NEVI quarterly reports: every port of the network, with the three uptime windows of the quarter
  // (this one: the demo's ports came into service today, so an earlier quarter has none).
  const today = new Date();
  await page.goto(
    `/maintenance/nevi?quarter=${today.getUTCFullYear()}-Q${Math.floor(today.getUTCMonth() / 3) + 1}`,
  );
  await expect(page.getByTestId('nevi-port-row').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'nevi-reports');
  await page.goto('/account');
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'account');
});
