import { expect, test } from '@playwright/test';
import { adminEmail, adminPassword, signIn } from './helpers';

test('an admin adds a site on the map, fixing the fields it points out, and other tabs see it live', async ({
  page,
  context,
}) => {
  await signIn(page, adminEmail, adminPassword);
  await page.goto('/settings/sites');
  const rows = page.getByTestId('site-row');
  const before = await rows.count();
  expect(before).toBeGreaterThanOrEqual(3);

  // A second tab of the same manager stays open and must update by itself.
  const watcher = await context.newPage();
  await watcher.goto('/settings/sites');
  await expect(watcher.locator('[data-live-status="live"]').first()).toBeVisible();

  await page.getByRole('button', { name: 'Add site' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add site' });
  await dialog.getByRole('button', { name: 'Create site' }).click();
  await expect(dialog.getByText('Enter a name')).toBeVisible();
  await expect(dialog.getByText('Enter a latitude')).toBeVisible();

  await dialog.getByLabel('Name', { exact: true }).fill('Austin Fleet Depot');
  // Clicking the map places the pin and fills the coordinates.
  await dialog.getByTestId('pin-picker').click({ position: { x: 120, y: 120 } });
  await expect(dialog.getByLabel('Latitude')).not.toHaveValue('');
  await expect(dialog.getByLabel('Longitude')).not.toHaveValue('');
  // Typing exact coordinates wins.
  await dialog.getByLabel('Latitude').fill('30.2672');
  await dialog.getByLabel('Longitude').fill('-97.7431');
  await dialog.getByLabel('Time zone').selectOption('America/Chicago');
  await dialog.getByLabel('Grid connection capacity (kW)').fill('-5');
  await dialog.getByRole('button', { name: 'Create site' }).click();
  await expect(dialog.getByText('Capacity must be above 0 kW')).toBeVisible();
  // The other fields kept what was typed.
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('Austin Fleet Depot');
  await dialog.getByLabel('Grid connection capacity (kW)').fill('250');
  await dialog.getByRole('button', { name: 'Create site' }).click();

  await expect(dialog).toBeHidden();
  await expect(rows).toHaveCount(before + 1);
  const created = rows.filter({ hasText: 'Austin Fleet Depot' });
  await expect(created).toContainText('250 kW');
  await expect(created).toContainText('30.2672, -97.7431');
  await expect(watcher.getByTestId('site-row').filter({ hasText: 'Austin Fleet Depot' })).toBeVisible();

  // Editing keeps the values and saves the change.
  await created.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit site' });
  await expect(edit.getByLabel('Latitude')).toHaveValue('30.2672');
  await edit.getByLabel('Name', { exact: true }).fill('Austin North Depot');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();
  await expect(rows.filter({ hasText: 'Austin North Depot' })).toHaveCount(1);
});

test('a new technician must choose a password, and is signed out when deactivated', async ({
  page,
  browser,
}) => {
  await signIn(page, adminEmail, adminPassword);
  await page.goto('/settings/users');
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add user' });
  await dialog.getByLabel('Name').fill('Tina Field');
  await dialog.getByLabel('Email').fill('tina@e2e.test');
  await dialog.getByLabel('Role').selectOption({ label: 'Technician' });
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog.getByText('Choose at least one site for a manager or technician')).toBeVisible();
  await dialog.getByLabel('Denver Tech Center Workplace').check();
  await dialog.getByRole('button', { name: 'Create user' }).click();
  const initialPassword = (await dialog.getByTestId('one-time-password').textContent())?.trim() ?? '';
  expect(initialPassword).toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/);
  await dialog.getByRole('button', { name: 'Done' }).click();
  const row = page.getByTestId('user-row').filter({ hasText: 'tina@e2e.test' });
  await expect(row).toContainText('Technician');

  // The technician signs in elsewhere and is sent to choose a password first.
  const tinaContext = await browser.newContext();
  const tina = await tinaContext.newPage();
  await signIn(tina, 'tina@e2e.test', initialPassword);
  await expect(tina).toHaveURL(/\/account$/);
  await expect(tina.getByText('Choose your own password to continue')).toBeVisible();
  await tina.getByLabel('Current password').fill(initialPassword);
  await tina.getByLabel('New password', { exact: true }).fill('tina-chose-this-one');
  await tina.getByLabel('Repeat new password').fill('tina-chose-that-one');
  await tina.getByRole('button', { name: 'Change password' }).click();
  await expect(tina.getByText('The passwords do not match')).toBeVisible();
  await tina.getByLabel('Current password').fill(initialPassword);
  await tina.getByLabel('New password', { exact: true }).fill('tina-chose-this-one');
  await tina.getByLabel('Repeat new password').fill('tina-chose-this-one');
  await tina.getByRole('button', { name: 'Change password' }).click();
  await expect(tina.getByText('Password changed.')).toBeVisible();
  await tina.reload();
  await expect(tina.getByText('Choose your own password to continue')).toHaveCount(0);
  await expect(tina.getByText('Denver Tech Center Workplace')).toBeVisible();

  // The admin deactivates the account: the technician's open session ends.
  await page.reload();
  await row.getByRole('button', { name: 'Deactivate' }).click();
  await page
    .getByRole('dialog', { name: 'Deactivate account' })
    .getByRole('button', { name: 'Deactivate' })
    .click();
  await expect(row).toContainText('Deactivated');
  await tina.goto('/account');
  await expect(tina).toHaveURL(/\/login/);
  await tina.getByLabel('Email').fill('tina@e2e.test');
  await tina.getByLabel('Password').fill('tina-chose-this-one');
  await tina.getByRole('button', { name: 'Sign in' }).click();
  await expect(tina.getByText('Wrong email or password')).toBeVisible();
  await tinaContext.close();

  // Each step is in the audit log, newest first, with who did it.
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Audit log' }).click();
  const audit = page.getByTestId('audit-row');
  await expect(audit.nth(0)).toContainText('Deactivated user');
  await expect(audit.nth(0)).toContainText(adminEmail);
  await expect(audit.nth(1)).toContainText('Changed own password');
  await expect(audit.nth(1)).toContainText('tina@e2e.test');
  await expect(audit.filter({ hasText: 'Created user' }).filter({ hasText: 'tina@e2e.test' })).toHaveCount(1);
});
