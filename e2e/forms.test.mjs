// A form with bad input shows the error next to the field: with the page script
// (the form posts in the background and the page's main part is swapped) and
// without JavaScript (a plain form post).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, newContext, shot, signIn, startCordon } from './lib/cordon.mjs';

let server;
let browser;
before(async () => {
  server = await startCordon();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function badReport(page) {
  await page.locator('input[name=person_id]').first().check();
  await page.getByLabel('Temperature (°C)').fill('50');
  await page.getByRole('button', { name: 'Send the report' }).click();
  const error = page.locator('#temperature_c-error');
  await error.waitFor();
  assert.match(await error.innerText(), /between 30 and 45/);
  assert.equal(await page.getByLabel('Temperature (°C)').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('Temperature (°C)').getAttribute('aria-describedby'), 'temperature_c-error');
}

test('a bad temperature is shown next to its field (with the page script)', async () => {
  const context = await newContext(browser, server.base, { phone: true });
  const page = await signIn(context, 'head.n11-01');
  await badReport(page);
  assert.equal(new URL(page.url()).pathname, '/report');
  await shot(page, 'form-error');
  await context.close();
});

test('the same form works without JavaScript', async () => {
  const context = await newContext(browser, server.base, { phone: true, javaScriptEnabled: false });
  const page = await signIn(context, 'head.n11-01');
  await badReport(page);
  await page.getByLabel('Temperature (°C)').fill('37.2');
  await page.getByLabel('Cough').check();
  await page.getByRole('button', { name: 'Send the report' }).click();
  await page.waitForURL(/\/reports\?sent=/);
  await page.getByText('Report sent. Its status is shown below.').waitFor();
  await context.close();
});

test('a case definition with a bad rule shows the error at the rule', async () => {
  const context = await newContext(browser, server.base);
  const page = await signIn(context, 'admin');
  await page.goto('/admin/definitions/suspected');
  await page.getByLabel('Rule (JSON)').fill('{"kind": "at_least", "count": 5, "symptoms": ["cough"]}');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('#rule-error').getByText(/rule\.count/).waitFor();
  await shot(page, 'admin-definition-error');
  await context.close();
});
