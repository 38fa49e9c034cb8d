import { expect, test, type Page } from '@playwright/test';
import { connectCharger } from './charger';
import { demoManager, demoPassword, expectNoSidewaysScroll, signIn } from './helpers';
import { screenshot } from './screenshots';

// The demo manager looks after Chicago (4 stations) and Denver (5); Sacramento is not theirs.
const chicago = 'Chicago Union Station Garage';
const denver = 'Denver Tech Center Workplace';

const siteCluster = (page: Page, siteName: string) =>
  page.locator(`[data-testid="site-cluster"][data-site-name="${siteName}"]`);
const stationMarker = (page: Page, identity: string) =>
  page.locator(`[data-testid="station-marker"][data-identity="${identity}"]`);
const listItem = (page: Page, identity: string) =>
  page.locator(`[data-testid="map-list-item"][data-identity="${identity}"]`);

type MarkedWindow = Window & { mapNotReloaded?: boolean };

test('the manager sees their sites on the map and a charger changes state live, without reloading', async ({
  page,
  baseURL,
}) => {
  await signIn(page, demoManager, demoPassword);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Map', exact: true })
    .click();
  await expect(page).toHaveURL(/\/map$/);
  await expect(page.getByRole('heading', { name: 'Map', level: 1 })).toBeVisible();
  await expect(page.locator('[data-live-status="live"]').first()).toBeVisible();

  // Zoomed out: one cluster per site, coloured by its most pressing state; no single stations yet.
  await expect(page.getByTestId('site-cluster')).toHaveCount(2);
  await expect(siteCluster(page, denver)).toHaveAttribute('data-count', '5');
  await expect(siteCluster(page, denver)).toHaveAttribute('data-state', 'offline');
  await expect(siteCluster(page, chicago)).toHaveAttribute('data-count', '4');
  await expect(page.getByTestId('station-marker')).toHaveCount(0);
  await expect(page.getByTestId('map-list-item')).toHaveCount(9);
  await expect(listItem(page, 'DEN-L2-01')).toContainText('Offline');
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'map');

  // A mark that a page reload would wipe.
  await page.evaluate(() => {
    (window as MarkedWindow).mapNotReloaded = true;
  });

  const charger = await connectCharger(baseURL!, 'DEN-L2-01');
  try {
    const boot = (await charger.call('BootNotification', {
      chargePointVendor: 'Wallbox',
      chargePointModel: 'Commander 2',
    })) as { status: string };
    expect(boot.status).toBe('Accepted');
    await charger.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });

    await expect(listItem(page, 'DEN-L2-01')).toContainText('Available');
    // Four Denver stations are still offline: offline outranks available on the cluster.
    await expect(siteCluster(page, denver)).toHaveAttribute('data-state', 'offline');

    // Clicking the cluster zooms in to the site: each station gets its own marker.
    await siteCluster(page, denver).click();
    const marker = stationMarker(page, 'DEN-L2-01');
    await expect(marker).toHaveAttribute('data-state', 'available');
    await expect(page.getByTestId('site-cluster')).toHaveCount(0);
    for (const identity of ['DEN-L2-02', 'DEN-L2-03', 'DEN-L2-04', 'DEN-L2-05']) {
      await expect(stationMarker(page, identity)).toHaveAttribute('data-state', 'offline');
    }

    await marker.click();
    const popup = page.getByTestId('station-popup');
    await expect(popup).toContainText('DEN-L2-01');
    await expect(popup).toContainText(denver);
    await expect(popup).toContainText('#1 J1772 · 11.5 kW');
    // The price a driver without a group pays there now (the demo's Public AC, peak on weekday evenings).
    await expect(popup.getByTestId('station-price')).toContainText(
      /\$0\.(35|45)\/kWh, \$0\.10\/min idle after 15 min/,
    );
    // Last seen in the site's time zone (Denver: MST or MDT).
    await expect(popup).toContainText(/Last seen .*M[SD]T/);
    await expect(popup.getByRole('link', { name: 'Open station' })).toHaveAttribute(
      'href',
      /^\/stations\/[^/]+$/,
    );
    await expect(marker).toHaveAttribute('data-selected', 'true');

    await charger.call('StatusNotification', {
      connectorId: 1,
      errorCode: 'GroundFailure',
      status: 'Faulted',
    });
    await expect(marker).toHaveAttribute('data-state', 'faulted');
    // The open popup, the zoom and the selection survive the live update.
    await expect(popup).toContainText('Faulted');
    await expect(marker).toHaveAttribute('data-selected', 'true');
    await expect(page.getByTestId('site-cluster')).toHaveCount(0);
    await expect(listItem(page, 'DEN-L2-01')).toContainText('Faulted');
    await screenshot(page, 'map-denver');
  } finally {
    await charger.close();
  }

  await expect(stationMarker(page, 'DEN-L2-01')).toHaveAttribute('data-state', 'offline');
  await expect(listItem(page, 'DEN-L2-01')).toContainText('Offline');
  expect(await page.evaluate(() => (window as MarkedWindow).mapNotReloaded)).toBe(true);
});

test('the map list searches, filters markers and flies to a station', async ({ page }) => {
  await signIn(page, demoManager, demoPassword);
  await page.goto('/map');
  const items = page.getByTestId('map-list-item');
  await expect(items).toHaveCount(9);

  // The search filters the list and the markers.
  await page.getByLabel('Search stations').fill('chi-dc');
  await expect(items).toHaveCount(2);
  await expect(siteCluster(page, chicago)).toHaveAttribute('data-count', '2');
  await expect(siteCluster(page, denver)).toHaveCount(0);
  await page.getByLabel('Search stations').fill('');
  await expect(items).toHaveCount(9);

  const siteFilter = page.getByLabel('Site', { exact: true });
  const denverValue = await siteFilter.locator('option', { hasText: denver }).getAttribute('value');
  await siteFilter.selectOption(denverValue!);
  await expect(items).toHaveCount(5);
  await expect(page.getByText('Showing 5 of 9 stations')).toBeVisible();

  // No station is charging: nothing matches, on the list or the map.
  await page.getByLabel('State', { exact: true }).selectOption('charging');
  await expect(page.getByText('No stations match')).toBeVisible();
  await expect(items).toHaveCount(0);
  await expect(page.getByTestId('station-marker')).toHaveCount(0);
  await expect(page.getByTestId('site-cluster')).toHaveCount(0);

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(items).toHaveCount(9);

  // Choosing a station in the list flies the map to it and opens its popup.
  await listItem(page, 'CHI-L2-02').getByRole('button').click();
  await expect(page.getByTestId('station-popup')).toContainText('CHI-L2-02');
  await expect(page.getByTestId('station-popup')).toContainText(chicago);
  await expect(stationMarker(page, 'CHI-L2-02')).toHaveAttribute('data-selected', 'true');
  await expect(listItem(page, 'CHI-L2-02').getByRole('button')).toHaveAttribute('aria-current', 'true');
  await screenshot(page, 'map-list');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the map sits above the list, without sideways scrolling', async ({ page }) => {
    await signIn(page, demoManager, demoPassword);
    await page.goto('/map');
    const map = page.getByTestId('network-map');
    await expect(map).toBeVisible();
    await expect(page.getByTestId('site-cluster')).toHaveCount(2);
    const mapBox = await map.boundingBox();
    const listBox = await page.getByRole('region', { name: 'Station list' }).boundingBox();
    expect(mapBox).not.toBeNull();
    expect(listBox).not.toBeNull();
    expect(listBox!.y).toBeGreaterThanOrEqual(mapBox!.y + mapBox!.height);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'map-phone');

    // A station chosen below the map brings the map back into view with its popup open.
    await listItem(page, 'DEN-L2-03').getByRole('button').click();
    await expect(page.getByTestId('station-popup')).toContainText('DEN-L2-03');
    await expect(page.getByTestId('station-popup')).toBeInViewport();
    await expectNoSidewaysScroll(page);
  });
});
