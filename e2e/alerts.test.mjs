// Outbreak detection on the command board: the demo's server evaluates the
// days before it went live, so its simulated outbreak has raised alerts. The
// officer follows the board's "New alerts" tile to the list, opens an alert,
// sees its series drawn (observed, expected, bound, alarms), and takes it
// under review with a note. Each step saves a screenshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, signIn, useCordon } from './lib/cordon.mjs';

const cordon = useCordon();

/** The number on a board tile once it is above zero (the detection job runs as the server starts). */
async function tileValue(page, key) {
  const tile = page.locator(`[data-tile="${key}"] .tile-value`);
  for (let tries = 0; tries < 30; tries += 1) {
    const value = Number((await tile.innerText()).trim());
    if (value > 0) return value;
    await page.waitForTimeout(1000);
    await page.reload();
  }
  return Number((await tile.innerText()).trim());
}

test('a command officer follows the new-alerts tile, reads the chart and takes the alert under review', async () => {
  const context = await cordon.context();
  const page = await signIn(context, cordon.accounts.command.username);
  assert.equal(new URL(page.url()).pathname, '/board');
  const fresh = await tileValue(page, 'new-alerts');
  assert.ok(fresh > 0, 'the demo outbreak raised alerts');

  await page.locator('[data-tile="new-alerts"]').click();
  await page.waitForURL((url) => url.pathname === '/alerts' && url.searchParams.get('status') === 'new');
  const rows = page.locator('#alerts li[data-alert]');
  assert.equal(await rows.count(), fresh, 'the list holds what the tile counted');
  await shot(page, 'alerts');

  await rows.first().locator('a').click();
  await page.waitForURL(/\/alerts\/[0-9a-f-]{36}$/);
  const chart = page.locator('#alert-chart svg');
  await chart.waitFor();
  const svg = await chart.evaluate((node) => node.outerHTML);
  assert.match(svg, /Upper bound/, 'the legend names the bound');
  assert.match(svg, /Alarm/, 'the legend names the alarms');
  assert.ok((await page.locator('tr.alarm').count()) > 0, 'the series table marks the alarm periods');
  await shot(page, 'alert');

  // A note is required: an empty one is refused at the field and changes nothing.
  await page.getByRole('button', { name: 'Take under review' }).click();
  await page.locator('#review-note-error').waitFor();
  assert.equal((await page.locator('#alert-status').innerText()).trim(), 'New');

  await page.locator('#review-note').fill('Called the district: a school outbreak, samples taken.');
  await page.getByRole('button', { name: 'Take under review' }).click();
  await page.locator('#alert-history li').first().waitFor();
  assert.equal((await page.locator('#alert-status').innerText()).trim(), 'Under review');
  assert.match(await page.locator('#alert-history').innerText(), /school outbreak/);
  await page.getByRole('button', { name: 'Verify the alert' }).waitFor();
  await shot(page, 'alert-under-review');

  await page.goto('/board');
  const left = Number((await page.locator('[data-tile="new-alerts"] .tile-value').innerText()).trim());
  assert.equal(left, fresh - 1, 'the board counts one new alert fewer');
  await context.close();
});
