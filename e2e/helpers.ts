import { expect, type Page } from '@playwright/test';

export const adminEmail = 'admin@e2e.test';
export const adminPassword = 'e2e-admin-password';
export const demoPassword = 'chargeops-demo';
export const demoManager = 'manager@demo.chargeops.local';
export const demoTechnician = 'tech@demo.chargeops.local';

/** Signs in through the login form and waits to leave it. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Signs out from the shell (opening the phone menu first when the sidebar is hidden). */
export async function signOut(page: Page): Promise<void> {
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('button', { name: 'Sign out' }).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/login/);
}

/** Fails when the page is wider than the window (sideways scrolling). */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}
