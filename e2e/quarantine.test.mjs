// Quarantine command in the browser: a command officer opens the orders list
// (paged, with its count), opens an order, extends it with a reason and sees
// the new last day and the history line; a border officer registers a
// symptomatic arrival and sees the decision. Accounts and places come from
// what the demo prints, so the test follows the demo's country.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, signIn, useCordon } from './lib/cordon.mjs';

const cordon = useCordon();

/** The day `days` after a `YYYY-MM-DD` day. */
function addDays(day, days) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

test('a command officer extends an order with a reason and sees the new end in its history', async () => {
  const context = await cordon.context();
  const page = await signIn(context, cordon.accounts.command.username);
  await page.getByRole('navigation').getByRole('link', { name: 'Orders', exact: true }).first().click();
  await page.waitForURL((url) => url.pathname === '/orders');
  const rows = page.locator('#orders tbody tr');
  await rows.first().waitFor();
  assert.ok((await rows.count()) <= 50, 'one page of at most 50 orders');
  const range = (await page.locator('[data-range]').innerText()).trim();
  assert.match(range, /^1–\d+ of [\d,]+$/, `the count is shown: ${range}`);
  await shot(page, 'orders');

  // The last order of the first page: in force, and not ending today.
  const link = rows.last().locator('a').first();
  const person = (await link.innerText()).trim();
  await link.click();
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: new RegExp(person) }).waitFor();
  const end = (await page.locator('[data-ends-on]').innerText()).trim();
  const newEnd = addDays(end, 7);
  await page.locator('#extend-ends_on').fill(newEnd);
  await page.locator('#extend-reason').fill('Household member tested positive on day 10');
  await Promise.all([page.waitForURL(/done=extended/), page.getByRole('button', { name: 'Extend', exact: true }).click()]);
  await page.getByText('The order was extended.').waitFor();
  assert.equal((await page.locator('[data-ends-on]').innerText()).trim(), newEnd);
  const line = page.locator('#history tbody tr', { hasText: 'Household member tested positive on day 10' });
  await line.waitFor();
  const cells = await line.locator('td').allInnerTexts();
  assert.equal(cells[1].trim(), 'Extended');
  assert.equal(cells[3].trim(), newEnd);
  await shot(page, 'order');
  await context.close();
});

test('a border officer registers a feverish arrival and sees the decision', async () => {
  const context = await cordon.context();
  const page = await signIn(context, cordon.accounts.border.username);
  assert.equal(new URL(page.url()).pathname, '/arrivals');
  const entry = page.getByLabel('Point of entry');
  const options = await entry.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(options.length > 0, 'the officer has a point of entry');
  await entry.selectOption(options[0]);
  await page.getByLabel('Full name').fill('Tanaka Hiroshi');
  await page.getByLabel('Travel document').fill('TK4455667');
  await page.getByLabel('Sex').selectOption('male');
  await page.getByLabel('Year of birth').fill('1976');
  // Typing part of a unit's code (or name) offers the units that match.
  const unit = cordon.accounts.reporter.node;
  const stay = page.getByLabel('Unit where they will stay');
  await stay.pressSequentially(unit.slice(0, -1));
  await page.locator(`#unit-options option[value="${unit}"]`).waitFor({ state: 'attached' });
  await stay.fill(unit);
  await page.getByLabel('Origin country (ISO code, e.g. RU)').fill('JP');
  await page.getByLabel('Temperature (°C)').fill('38.6');
  await page.getByLabel('Fever').check();
  await Promise.all([page.waitForURL(/registered=/), page.getByRole('button', { name: 'Register the arrival' }).click()]);
  const decision = page.locator('#decision');
  await decision.waitFor();
  const text = await decision.innerText();
  assert.match(text, /Tanaka Hiroshi/);
  assert.match(text, /until \d{4}-\d{2}-\d{2}|No quarantine/, `the quarantine decision is shown: ${text}`);
  assert.match(text, /Report filed/, `the screening filed a report: ${text}`);
  await page.locator('#arrivals tr[aria-current="true"]').waitFor();
  await shot(page, 'arrival');
  await context.close();
});
