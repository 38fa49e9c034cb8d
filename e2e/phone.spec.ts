import { expect, test } from '@playwright/test';
import {
  adminEmail,
  adminPassword,
  demoPassword,
  demoTechnician,
  signIn,
  signOut,
  expectNoSidewaysScroll,
} from './helpers';
import { screenshot } from './screenshots';

test('on a phone the admin reaches every page through the menu without sideways scrolling', async ({
  page,
}) => {
  await page.goto('/login');
  await screenshot(page, 'login');
  await signIn(page, adminEmail, adminPassword);
  await expect(page.getByRole('heading', { name: 'Stations' })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'stations');

  await page.getByTestId('station-row').first().getByRole('link').first().click();
  await expect(page.getByTestId('station-state')).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'station-page');
  for (const [tab, name] of [
    ['Commands', 'station-commands'],
    ['Configuration', 'station-configuration'],
    ['Access', 'station-access'],
    ['Firmware & files', 'station-files'],
    ['Log', 'station-log'],
  ] as const) {
    await page.getByRole('navigation', { name: 'Station' }).getByRole('link', { name: tab }).click();
    await expect(
      page.getByRole('navigation', { name: 'Station' }).getByRole('link', { name: tab }),
    ).toHaveAttribute('aria-current', 'page');
    await expectNoSidewaysScroll(page);
    await screenshot(page, name);
  }

  for (const [path, name] of [
    ['/drivers', 'drivers'],
    ['/drivers/tokens', 'driver-tokens'],
    ['/drivers/groups', 'driver-groups'],
    ['/drivers/access', 'access-rules'],
    ['/drivers/local-lists', 'local-lists'],
    ['/drivers/log', 'authorization-log'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('navigation', { name: 'Drivers' })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await screenshot(page, name);
  }

  for (const [path, name] of [
    ['/maintenance', 'work-orders'],
    ['/maintenance/incidents', 'incidents'],
    ['/maintenance/outages', 'outages'],
    ['/maintenance/nevi', 'nevi-reports'],
    ['/maintenance/technicians', 'technicians'],
    ['/maintenance/parts', 'parts'],
    ['/maintenance/schedules', 'schedules'],
    ['/maintenance/settings', 'maintenance-settings'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('navigation', { name: 'Maintenance' })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await screenshot(page, name);
  }
  // The work order the maintenance spec completed, with its evidence.
  await page.goto('/maintenance?view=all');
  await page.getByTestId('work-order-row').first().getByRole('link').first().click();
  await expect(page.getByRole('region', { name: 'Timeline' })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'work-order');

  await page.goto('/sessions');
  await expect(page.getByRole('heading', { name: 'Sessions' })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'sessions');
  await page.goto('/stations');

  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/settings\/users$/);
  await expect(page.getByTestId('user-row').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'settings-users');

  await page.getByRole('link', { name: 'Sites' }).click();
  await expect(page.getByTestId('site-row').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'settings-sites');
  await page.getByRole('button', { name: 'Add site' }).click();
  await expect(page.getByTestId('pin-picker')).toBeVisible();
  await screenshot(page, 'settings-sites-add');
  await page.keyboard.press('Escape');

  await page.getByRole('link', { name: 'Charger configuration' }).click();
  await expect(page.getByTestId('default-row').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'settings-configuration');

  await page.goto('/settings/audit');
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'settings-audit');

  await page.goto('/account');
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'account');
  await signOut(page);
});

test('on a phone the technician lands on their work orders, sees their account, and the 403 page reads well', async ({
  page,
}) => {
  await signIn(page, demoTechnician, demoPassword);
  await expect(page.getByRole('heading', { name: 'My work orders' })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await page.getByRole('link', { name: 'Map' }).click();
  await expect(page).toHaveURL(/view=map/);
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'tech-map');
  await page.goto('/account');
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expectNoSidewaysScroll(page);
  const response = await page.goto('/settings/users');
  expect(response?.status()).toBe(403);
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'forbidden');
});
