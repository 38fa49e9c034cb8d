import { readFile } from 'node:fs/promises';
import { devices, expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { simulatedDemoStation } from './charger';
import { demoManager, demoPassword, demoTechnician, expectNoSidewaysScroll, signIn } from './helpers';
import { screenshot, screenshotAs } from './screenshots';

type MarkedWindow = Window & { notReloaded?: boolean };

/** Marks the page so a test can tell a live update from a reload. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as MarkedWindow).notReloaded = true;
  });
}

test('a faulted charger becomes a work order that a technician completes on a phone; the manager sees it live and downloads the audit packet', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const errors: unknown[] = [];
  const station = simulatedDemoStation(baseURL!, 'DEN-L2-03', errors, {
    protocol: 'ocpp1.6',
    vendor: 'Wallbox',
    model: 'Commander 2',
    connectors: 1,
    autoSessions: false,
  });
  const phone = await browser.newContext({
    ...devices['Pixel 7'],
    viewport: { width: 390, height: 844 },
  });
  const tech = await phone.newPage();
  await station.start();
  try {
    // The technician's phone is open on their (empty) list before anything happens.
    await signIn(tech, demoTechnician, demoPassword);
    await expect(tech).toHaveURL(/\/tech$/);
    await expect(tech.getByRole('heading', { name: 'My work orders' })).toBeVisible();
    await expect(tech.locator('[data-live-status="live"]').filter({ visible: true })).toBeVisible();
    await markPage(tech);

    // The connector faults: ChargeOps opens an incident and its work order by itself.
    await station.setFaulted(1, true);
    await signIn(page, demoManager, demoPassword);
    // The network map flags the station and names the problem.
    await page.goto('/map');
    await expect(page.locator('[data-testid="map-list-item"][data-identity="DEN-L2-03"]')).toContainText(
      'Connector 1 faulted: GroundFailure',
    );
    await page.goto('/maintenance');
    const row = page.getByTestId('work-order-row').filter({ hasText: 'DEN-L2-03' });
    await expect(row).toContainText('New');
    await expect(row).toContainText('High');
    await row.getByRole('link', { name: /^WO-\d+$/ }).click();
    await expect(page.getByRole('heading', { name: /EVSE 1 faulted|Connector 1 faulted/ })).toBeVisible();
    await expect(page.getByTestId('evse-1-status')).toContainText('Faulted');

    // Dispatch: the EVITP-certified demo technician ranks first, with the reasons shown.
    const candidate = page.getByTestId('candidate').filter({ hasText: 'Theo Technician' });
    await expect(candidate).toContainText('#1');
    await expect(candidate).toContainText('EVITP');
    await screenshot(page, 'work-order-dispatch');
    await candidate.getByRole('button', { name: 'Assign to Theo Technician' }).click();
    await expect(page.getByTestId('candidate').filter({ hasText: 'Theo Technician' })).toContainText(
      'Assigned',
    );
    await markPage(page);

    // The assignment reaches the phone without a reload.
    const card = tech.getByTestId('my-work-order').filter({ hasText: 'DEN-L2-03' });
    await expect(card).toBeVisible({ timeout: 10_000 });
    expect(await tech.evaluate(() => (window as MarkedWindow).notReloaded)).toBe(true);
    await expectNoSidewaysScroll(tech);
    await screenshotAs(tech, 'phone', 'tech-work-orders');
    // The same orders on a map: one numbered pin per order.
    await tech.getByRole('link', { name: 'Map' }).click();
    await expect(tech.locator('.leaflet-marker-icon[title^="WO-"]')).toHaveCount(1);
    await screenshotAs(tech, 'phone', 'tech-map-orders');
    await tech.getByRole('link', { name: 'List' }).click();
    await card.click();

    await tech.getByRole('button', { name: 'Accept' }).click();
    await expect(tech.getByText('Accepted', { exact: true }).first()).toBeVisible();
    await tech.getByRole('button', { name: 'Arrived on site' }).click();
    // Work cannot start before every safety step is confirmed.
    const start = tech.getByRole('button', { name: 'Start work' });
    await expect(start).toBeDisabled();
    const steps = tech.getByRole('button', { name: /^Confirm: / });
    const count = await steps.count();
    expect(count).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < count; i++) {
      await steps.first().click();
      await expect(tech.getByText(`${i + 1} of ${count} steps confirmed`)).toBeVisible();
    }
    await expect(start).toBeEnabled();
    await start.click();
    await expect(tech.getByText('In progress', { exact: true }).first()).toBeVisible();
    // The manager's page follows along, live.
    await expect(page.getByText('In progress', { exact: true }).first()).toBeVisible();

    // A part from the van.
    const partSelect = tech.getByLabel('Part from your van');
    const rcd = await partSelect.locator('option', { hasText: 'RCD-B-30MA' }).getAttribute('value');
    await partSelect.selectOption(rcd!);
    await tech.getByRole('button', { name: 'Record part' }).click();
    await expect(tech.getByRole('region', { name: 'Parts used' })).toContainText('1 × RCD type B 30 mA');

    // A photo from the camera, uploaded with progress and compressed by the server.
    const photo = await sharp({
      create: { width: 2400, height: 1800, channels: 3, background: { r: 120, g: 140, b: 160 } },
    })
      .jpeg({ quality: 95 })
      .toBuffer();
    await tech.getByRole('radio', { name: 'after' }).click();
    await tech
      .getByLabel('Photo', { exact: true })
      .setInputFiles({ name: 'after.jpg', mimeType: 'image/jpeg', buffer: photo });
    await tech.getByLabel('Caption (optional)').fill('New RCD fitted');
    await tech.getByRole('button', { name: 'Upload photo' }).click();
    await expect(tech.getByText('Photo saved.')).toBeVisible();
    await expect(tech.getByRole('img', { name: 'after photo: New RCD fitted' })).toBeVisible();

    // A note typed without signal is kept on screen, and saved once the signal is back.
    const noteText = 'Replaced the RCD; the old one tripped at 12 mA.';
    // (After the live refresh the photo caused: one cut off mid-way is the browser's business.)
    await tech.waitForLoadState('networkidle');
    await phone.setOffline(true);
    const note = tech.getByLabel('Add a note');
    await note.fill(noteText);
    await tech.getByRole('button', { name: 'Add note' }).click();
    await expect(tech.getByText(/could not be reached/)).toBeVisible();
    await expect(note).toHaveValue(noteText);
    await phone.setOffline(false);
    // Even a reload (a tab the phone killed) keeps the draft.
    await tech.reload();
    await expect(tech.getByLabel('Add a note')).toHaveValue(noteText);
    await tech.getByRole('button', { name: 'Add note' }).click();
    await expect(tech.getByRole('region', { name: 'Notes' })).toContainText(noteText);
    await expect(note).toHaveValue('');

    // The site contact signs on the phone.
    await tech.getByLabel('Name of the person signing').fill('Sam Site-Contact');
    const pad = tech.locator('canvas');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await tech.mouse.move(box.x + 30, box.y + box.height * 0.6);
    await tech.mouse.down();
    for (let x = 30; x <= box.width - 30; x += 20)
      await tech.mouse.move(box.x + x, box.y + box.height * (0.4 + 0.2 * Math.sin(x / 25)));
    await tech.mouse.up();
    await tech.getByRole('button', { name: 'Save signature' }).click();
    await expect(tech.getByText('Signed by Sam Site-Contact').first()).toBeVisible();

    // The fault is fixed; the technician resolves, and the charger's own report verifies it.
    await station.setFaulted(1, false);
    await tech.getByRole('button', { name: 'Mark resolved' }).click();
    await expect(tech.getByText('Verified', { exact: true }).first()).toBeVisible({ timeout: 15_000 });
    await expectNoSidewaysScroll(tech);
    await screenshotAs(tech, 'phone', 'tech-work-order');

    // The manager saw every step arrive without reloading, and downloads the audit packet.
    await expect(page.getByText('Verified', { exact: true }).first()).toBeVisible({ timeout: 15_000 });
    expect(await page.evaluate(() => (window as MarkedWindow).notReloaded)).toBe(true);
    await expect(page.getByRole('img', { name: 'Signature of Sam Site-Contact' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Parts used' })).toContainText('RCD-B-30MA');
    await screenshot(page, 'work-order');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download audit packet (PDF)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^WO-\d+-audit-packet\.pdf$/);
    const pdf = await readFile((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // The photo and the signature are in it.
    expect(pdf.length).toBeGreaterThan(20_000);

    // The outage of the port is listed with its work order, and the incident with its timeline.
    await page.goto('/maintenance/outages');
    const outage = page.getByTestId('outage-row').filter({ hasText: 'DEN-L2-03' });
    await expect(outage).toContainText('EVSE 1');
    await expect(outage.getByRole('link', { name: /^WO-\d+$/ })).toBeVisible();
    // A utility cut is outside the operator's control: excluded with its evidence, which shows.
    await outage.getByRole('button', { name: 'Exclude…' }).click();
    const exclusion = page.getByRole('dialog', { name: 'Uptime exclusion: DEN-L2-03 EVSE 1' });
    await exclusion.getByLabel('Cause').selectOption({ label: 'Utility power interruption' });
    await exclusion.getByRole('button', { name: 'Save' }).click();
    await expect(exclusion.getByText(/Say what shows it was outside your control/)).toBeVisible();
    await exclusion.getByLabel('Evidence').fill('Xcel outage notice 4411');
    await exclusion.getByRole('button', { name: 'Save' }).click();
    await expect(exclusion).toBeHidden();
    await expect(outage).toContainText('Excluded: Utility power interruption');
    await expect(outage).toContainText('Xcel outage notice 4411');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'outages');
    await page.goto('/maintenance/incidents?state=all');
    await page
      .getByTestId('incident-row')
      .filter({ hasText: 'DEN-L2-03' })
      .getByRole('link', { name: /faulted/ })
      .click();
    await expect(page.getByText('EVSE 1 reported Available').first()).toBeVisible();
    await screenshot(page, 'incident');

    // A half-yearly inspection of the station, planned with the skills its orders will ask for.
    await page.goto('/maintenance/schedules');
    await page.getByRole('button', { name: 'Add schedule' }).click();
    const plan = page.getByRole('dialog', { name: 'Add a preventive schedule' });
    await plan.getByLabel('Station').selectOption({ label: 'DEN-L2-03 · Denver Tech Center Workplace' });
    await plan.getByLabel('Title').fill('Half-yearly inspection');
    await plan.getByLabel('Every (months)').fill('6');
    await plan.getByLabel('Required skills').fill('RCD testing, Wallbox');
    await plan.getByRole('button', { name: 'Add schedule' }).click();
    await expect(plan.getByText('Enter the date of the first visit')).toBeVisible();
    await plan.getByLabel('First visit due').fill('2027-06-01');
    await plan.getByRole('button', { name: 'Add schedule' }).click();
    await expect(plan).toBeHidden();
    const planned = page.getByTestId('schedule-row').filter({ hasText: 'Half-yearly inspection' });
    await expect(planned).toContainText('DEN-L2-03');
    await expect(planned).toContainText('RCD testing');
    await expect(planned).toContainText('Wallbox');
    for (const [path, name] of [
      ['/maintenance/incidents?state=all', 'incidents'],
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
    // The van gave up the part used on the repair.
    await page.goto('/maintenance/parts');
    await page.getByRole('link', { name: 'RCD type B 30 mA' }).first().click();
    await expect(page.getByText(/Used on WO-\d+/).first()).toBeVisible();
    await screenshot(page, 'part');
    expect(errors).toEqual([]);
  } finally {
    await station.stop();
    await phone.close();
  }
});
