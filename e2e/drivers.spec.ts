import { expect, test } from '@playwright/test';
import { connectCharger } from './charger';
import { demoManager, demoPassword, expectNoSidewaysScroll, signIn } from './helpers';
import { screenshot, screenshotAs } from './screenshots';

test('a manager gives a driver a card, blocks it, and the next Authorize is refused and logged with the reason', async ({
  page,
  baseURL,
}) => {
  await signIn(page, demoManager, demoPassword);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Drivers' }).click();
  await expect(page.getByTestId('driver-row').first()).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'drivers');

  // A new driver: a missing name is pointed out, then the driver's page opens.
  await page.getByRole('button', { name: 'Add driver' }).click();
  const add = page.getByRole('dialog', { name: 'Add driver' });
  await add.getByRole('button', { name: 'Add driver' }).click();
  await expect(add.getByText(/name/i).last()).toBeVisible();
  await add.getByLabel('Name').fill('Erin Test');
  await add.getByLabel('Email (optional)').fill('erin@example.com');
  await add.getByRole('button', { name: 'Add driver' }).click();
  await expect(page.getByRole('heading', { name: 'Erin Test' })).toBeVisible();

  await page.getByRole('button', { name: 'Add token' }).click();
  const token = page.getByRole('dialog', { name: 'Add token' });
  await token.getByLabel('Token value').fill('04E2E0000001');
  await token.getByRole('button', { name: 'Add token' }).click();
  const row = page.locator('[data-testid="token-row"][data-token="04E2E0000001"]');
  await expect(row).toContainText('active');
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'driver');

  const charger = await connectCharger(baseURL!, 'DEN-L2-04');
  try {
    await charger.call('BootNotification', { chargePointVendor: 'Wallbox', chargePointModel: 'Commander 2' });
    expect(await charger.call('Authorize', { idTag: '04E2E0000001' })).toMatchObject({
      idTagInfo: { status: 'Accepted' },
    });

    await row.getByRole('button', { name: 'Block 04E2E0000001' }).click();
    const block = page.getByRole('dialog', { name: 'Block 04E2E0000001?' });
    await block.getByRole('button', { name: 'Block token' }).click();
    await expect(block.getByText(/reason/i).last()).toBeVisible();
    await block.getByLabel('Reason').fill('Lost card');
    await block.getByRole('button', { name: 'Block token' }).click();
    await expect(row).toContainText('blocked');
    await expect(row).toContainText('Lost card');

    expect(await charger.call('Authorize', { idTag: '04E2E0000001' })).toMatchObject({
      idTagInfo: { status: 'Blocked' },
    });
  } finally {
    await charger.close();
  }

  // Tokens page: edit the card's label, and export every token as CSV.
  await page.getByRole('navigation', { name: 'Drivers' }).getByRole('link', { name: 'Tokens' }).click();
  const listed = page.locator('[data-testid="token-row"][data-token="04E2E0000001"]');
  // The driver page lists the same row: wait for the tokens page, whose edit dialog can move the card.
  await expect(page).toHaveURL(/\/drivers\/tokens$/);
  const edit = page.getByRole('dialog', { name: 'Edit 04E2E0000001' });
  await listed.getByRole('button', { name: 'Edit 04E2E0000001' }).click();
  await expect(edit.getByLabel('Driver')).toHaveValue(/.+/);
  await edit.getByLabel('Label (optional)').fill('Blue badge');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(listed).toContainText('Blue badge');
  await expect(listed).toContainText('Erin Test');
  const csv = await page.request.get('/api/drivers/tokens.csv');
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain('04E2E0000001,rfid,ISO14443,blocked,Lost card,,,Blue badge,Erin Test');
  // The drivers page exports its drivers the same way, with their tokens.
  const driversLink = page.getByRole('link', { name: 'Export CSV' });
  await page.getByRole('navigation', { name: 'Drivers' }).getByRole('link', { name: 'Drivers' }).click();
  await expect(driversLink).toHaveAttribute('href', '/api/drivers/drivers.csv');
  const drivers = await page.request.get('/api/drivers/drivers.csv');
  expect(drivers.status()).toBe(200);
  expect(await drivers.text()).toContain('Erin Test,erin@example.com,,,,04E2E0000001');
  await page.getByRole('navigation', { name: 'Drivers' }).getByRole('link', { name: 'Tokens' }).click();
  await expect(page).toHaveURL(/\/drivers\/tokens$/);

  // Import: a file with a bad row is refused row by row; the corrected file is imported.
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const importDialog = page.getByRole('dialog', { name: /Import/ });
  const file = (text: string) => ({ name: 'tokens.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await importDialog
    .locator('input[type="file"]')
    .setInputFiles(
      file('id_token,kind,driver\n04E2E0000010,rfid,Dana Fleet\n04E2E0000011,laser,Dana Fleet\n'),
    );
  await expect(importDialog.getByText('kind: Choose RFID card, app or key fob')).toBeVisible();
  await expect(importDialog.getByRole('button', { name: /Import \d+ token/ })).toBeDisabled();
  await importDialog
    .locator('input[type="file"]')
    .setInputFiles(
      file('id_token,kind,driver\n04E2E0000010,rfid,Dana Fleet\n04E2E0000011,key_fob,Dana Fleet\n'),
    );
  await importDialog.getByRole('button', { name: 'Import 2 tokens' }).click();
  await expect(importDialog.getByText(/2 tokens added/)).toBeVisible();
  await screenshot(page, 'token-import');
  await importDialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(page.locator('[data-testid="token-row"][data-token="04E2E0000011"]')).toContainText(
    'Dana Fleet',
  );

  // The log answers "why was this card refused?".
  await page
    .getByRole('navigation', { name: 'Drivers' })
    .getByRole('link', { name: 'Authorisation log' })
    .click();
  await expect(page).toHaveURL(/\/drivers\/log/);
  await page.getByLabel('Token', { exact: true }).fill('04e2e0000001');
  await page.getByRole('button', { name: 'Filter' }).click();
  const attempts = page.getByTestId('attempt-row');
  await expect(attempts).toHaveCount(2);
  await expect(attempts.first()).toHaveAttribute('data-status', 'Blocked');
  await expect(attempts.first()).toContainText('Lost card');
  await expect(attempts.first()).toContainText('Erin Test');
  await expect(attempts.nth(1)).toHaveAttribute('data-status', 'Accepted');
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'authorization-log');

  // The card turns up again: unblocking asks for a reason too.
  await page.getByRole('navigation', { name: 'Drivers' }).getByRole('link', { name: 'Tokens' }).click();
  const found = page.locator('[data-testid="token-row"][data-token="04E2E0000001"]');
  await found.getByRole('button', { name: 'Unblock 04E2E0000001' }).click();
  const unblock = page.getByRole('dialog', { name: 'Unblock 04E2E0000001?' });
  await unblock.getByRole('button', { name: 'Unblock token' }).click();
  await expect(unblock.getByText('Say why it may charge again')).toBeVisible();
  await unblock.getByLabel('Reason').fill('Found in the car');
  await unblock.getByRole('button', { name: 'Unblock token' }).click();
  await expect(unblock).toBeHidden();
  await expect(found).toContainText('active');

  // Erin leaves the company: every card of theirs is blocked at once, from their page.
  await page.getByRole('navigation', { name: 'Drivers' }).getByRole('link', { name: 'Drivers' }).click();
  await page.getByRole('link', { name: 'Erin Test' }).click();
  await expect(page.getByRole('heading', { name: 'Erin Test' })).toBeVisible();
  await page.getByRole('button', { name: 'Block all cards of Erin Test' }).click();
  const blockAll = page.getByRole('dialog', { name: 'Block all cards of Erin Test?' });
  await blockAll.getByLabel('Reason').fill('Left the company');
  await blockAll.getByRole('button', { name: 'Block all cards' }).click();
  await expect(blockAll).toBeHidden();
  const erinsCard = page.locator('[data-testid="token-row"][data-token="04E2E0000001"]');
  await expect(erinsCard).toContainText('blocked');
  await expect(erinsCard).toContainText('Left the company');
  await expect(page.getByRole('button', { name: 'Block all cards of Erin Test' })).toHaveCount(0);
});

test('a manager restricts a site to a group on weekdays, and sees the rule on the group', async ({
  page,
}) => {
  await signIn(page, demoManager, demoPassword);
  await page.goto('/drivers/groups');
  await page.getByRole('button', { name: 'Add group' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add group' });
  await dialog.getByLabel('Name').fill('Employees');
  await dialog.getByRole('button', { name: 'Add group' }).click();
  await expect(page.getByRole('heading', { name: 'Employees' })).toBeVisible();
  await page.getByLabel('Member: Priya Natarajan').check();
  await page.getByRole('button', { name: 'Save members' }).click();
  await expect(page.getByText('Members (1)')).toBeVisible();

  await page.getByRole('navigation', { name: 'Drivers' }).getByRole('link', { name: 'Access rules' }).click();
  const denver = page.getByRole('region', { name: 'Denver Tech Center Workplace' });
  await denver.getByLabel('Only these groups').check();
  await denver.getByRole('button', { name: 'Add group' }).click();
  await denver.getByRole('combobox').first().selectOption({ label: 'Employees' });
  await denver.getByRole('button', { name: 'Add time window' }).click();
  await denver.getByLabel('Power cap of Employees').fill('abc');
  await denver.getByRole('button', { name: 'Save rules' }).click();
  await expect(denver.getByText('must be a number of kW')).toBeVisible();
  await denver.getByLabel('Power cap of Employees').fill('7.4');
  await denver.getByRole('button', { name: 'Save rules' }).click();
  await expect(denver.getByRole('status')).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'access-rules');

  await page.getByRole('navigation', { name: 'Drivers' }).getByRole('link', { name: 'Groups' }).click();
  const group = page.getByTestId('group-row').filter({ hasText: 'Employees' });
  await expect(group).toContainText('Denver Tech Center Workplace');
  await expect(group).toContainText('Mon–Fri 07:00–19:00');
  await expect(group).toContainText('7.4 kW');

  // Put the site back as it was for the other specs.
  await page.goto('/drivers/access');
  await page
    .getByRole('region', { name: 'Denver Tech Center Workplace' })
    .getByLabel('Anyone with a valid token (public)')
    .check();
  await page
    .getByRole('region', { name: 'Denver Tech Center Workplace' })
    .getByRole('button', { name: 'Save rules' })
    .click();
  await expect(
    page.getByRole('region', { name: 'Denver Tech Center Workplace' }).getByRole('status'),
  ).toBeVisible();
});

test('a manager imports drivers from CSV: a row naming an unknown group is shown, the fixed file is imported', async ({
  page,
}) => {
  await signIn(page, demoManager, demoPassword);
  await page.goto('/drivers');
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import drivers from CSV' });
  const file = (groupsOfKim: string) => ({
    name: 'drivers.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      [
        'name,email,phone,company,groups',
        'Robin Import,robin.import@example.com,+1 555 0142,Union Logistics,Fleet',
        `Kim Import,kim.import@example.com,,,${groupsOfKim}`,
        // A demo driver, found by email: only the phone changes.
        'Jordan Blake,jordan.blake@example.com,+1 555 0104,,',
      ].join('\n'),
    ),
  });

  // Nothing is written while a row has an error; the preview says which row and why.
  await dialog.getByLabel('CSV file').setInputFiles(file('Fleet; Night Owls'));
  await expect(dialog.getByTestId('import-summary')).toHaveText('1 to create, 1 to update, 1 error');
  const bad = dialog.locator('[data-testid="import-row"][data-line="3"]');
  await expect(bad).toHaveAttribute('data-action', 'error');
  await expect(bad).toContainText('groups: there is no group “Night Owls”; add it under Groups first');
  await expect(dialog.locator('[data-testid="import-row"][data-line="4"]')).toHaveAttribute(
    'data-action',
    'update',
  );
  await expect(dialog.getByRole('button', { name: /^Import \d+ drivers?$/ })).toBeDisabled();
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'driver-import');
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(bad).toBeVisible();
  await expectNoSidewaysScroll(page);
  await screenshotAs(page, 'phone', 'driver-import');
  await page.setViewportSize({ width: 1280, height: 720 });

  // The corrected file imports in one go.
  await dialog.getByLabel('CSV file').setInputFiles(file('Fleet'));
  await expect(dialog.getByTestId('import-summary')).toHaveText('2 to create, 1 to update, no errors');
  await dialog.getByRole('button', { name: 'Import 3 drivers' }).click();
  await expect(
    dialog.getByText('Imported: 2 drivers added, 1 updated, 2 group memberships added'),
  ).toBeVisible();
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(dialog).toBeHidden();

  const robin = page.getByTestId('driver-row').filter({ hasText: 'Robin Import' });
  await expect(robin).toContainText('robin.import@example.com · Union Logistics');
  await expect(robin).toContainText('Fleet');
  await expect(page.getByTestId('driver-row').filter({ hasText: 'Kim Import' })).toContainText('Fleet');
  await page.getByTestId('driver-row').filter({ hasText: 'Jordan Blake' }).getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Jordan Blake' })).toBeVisible();
  await expect(page.getByText('+1 555 0104')).toBeVisible();
});
