import { expect, test } from '@playwright/test';
import { adminEmail, adminPassword, demoPassword, demoTechnician, signIn, signOut } from './helpers';

test('an admin signs in, sees the shell with live updates connected, and signs out', async ({ page }) => {
  await page.goto('/stations');
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fstations/);
  await page.getByLabel('Email').fill(adminEmail);
  await page.getByLabel('Password').fill(adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(/\/stations$/);
  await expect(page.getByRole('heading', { name: 'Stations' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Stations' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Settings' })).toBeVisible();
  // Menu entries of features that do not exist yet are not shown.
  await expect(nav.getByRole('link', { name: 'Tariffs' })).toHaveCount(0);
  // The demo network is listed from the database: 12 stations on 3 sites.
  await expect(page.getByTestId('station-row')).toHaveCount(12);
  // socket.io accepted the session cookie.
  await expect(page.locator('[data-live-status="live"]').first()).toBeVisible();

  await signOut(page);
  await page.goto('/stations');
  await expect(page).toHaveURL(/\/login/);
});

test('a wrong password shows an error and signs nobody in', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(adminEmail);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toHaveText('Wrong email or password');
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/stations');
  await expect(page).toHaveURL(/\/login/);
});

test('an empty form gets a message next to each field', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Enter your email', { exact: true })).toBeVisible();
  await expect(page.getByText('Enter your password', { exact: true })).toBeVisible();
});

test('a technician is refused manager and admin pages with 403', async ({ page }) => {
  await signIn(page, demoTechnician, demoPassword);
  await expect(page).toHaveURL(/\/tech$/);
  await expect(page.getByRole('heading', { name: 'My work orders' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'My work orders' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Stations' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Maintenance' })).toHaveCount(0);

  for (const path of [
    '/stations',
    '/maintenance',
    '/maintenance/parts',
    '/settings/users',
    '/settings/sites',
    '/settings/audit',
  ]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole('heading', { name: 'You do not have access to this page' })).toBeVisible();
  }
});

test('API routes answer 401 without a session, not a sign-in page', async ({ request }) => {
  const response = await request.get('/api/stations');
  expect(response.status()).toBe(401);
  expect(await response.json()).toEqual({ error: 'Sign in first' });
});

test('the health check answers without a session and names the database', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'ok', database: { kind: 'pglite', ok: true } });
});
