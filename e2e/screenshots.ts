import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { test } from '@playwright/test';

/**
 * Saves a full-page screenshot to e2e/screenshots/<project>-<name>.png (git-ignored) so that people
 * can look at every page at desktop and phone sizes after a run.
 */
export async function screenshot(page: Page, name: string, info: TestInfo = test.info()): Promise<void> {
  await page.screenshot({
    path: path.join(import.meta.dirname, 'screenshots', `${info.project.name}-${name}.png`),
    fullPage: true,
  });
}

/** A screenshot named for another viewport than the test's project (a phone context in a desktop test). */
export async function screenshotAs(page: Page, project: 'desktop' | 'phone', name: string): Promise<void> {
  await page.screenshot({
    path: path.join(import.meta.dirname, 'screenshots', `${project}-${name}.png`),
    fullPage: true,
  });
}
