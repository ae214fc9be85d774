// A form with bad input shows the error next to the field: with the page script
// (the form posts in the background and the page's main part is swapped) and
// without JavaScript (a plain form post).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, signIn, useCordon } from './lib/cordon.mjs';

const cordon = useCordon();

async function badReport(page) {
  await page.getByLabel('A resident not in the list: add them').check();
  await page.getByLabel('Full name').fill(`Form Test ${Date.now() % 100000}`);
  await page.getByLabel('Sex').selectOption('male');
  await page.getByLabel('Year of birth').fill('1962');
  await page.getByLabel('Temperature (°C)').fill('50');
  await page.getByRole('button', { name: 'Send the report' }).click();
  const error = page.locator('#temperature_c-error');
  await error.waitFor();
  assert.match(await error.innerText(), /between 30 and 45/);
  assert.equal(await page.getByLabel('Temperature (°C)').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('Temperature (°C)').getAttribute('aria-describedby'), 'temperature_c-error');
}

test('a bad temperature is shown next to its field (with the page script)', async () => {
  const context = await cordon.context({ phone: true });
  const page = await signIn(context, cordon.accounts.reporter.username);
  await badReport(page);
  assert.equal(new URL(page.url()).pathname, '/report');
  await shot(page, 'form-error');
  await context.close();
});

test('the same form works without JavaScript', async () => {
  const context = await cordon.context({ phone: true, javaScriptEnabled: false });
  const page = await signIn(context, cordon.accounts.reporter.username);
  await badReport(page);
  await page.getByLabel('Temperature (°C)').fill('37.2');
  await page.getByLabel('Cough').check();
  await page.getByRole('button', { name: 'Send the report' }).click();
  await page.waitForURL(/\/reports\?sent=/);
  await page.getByText('Report sent. Its status is shown below.').waitFor();
  await context.close();
});

test('a case definition with a bad rule shows the error at the rule', async () => {
  const context = await cordon.context();
  const page = await signIn(context, cordon.accounts.admin.username);
  await page.goto('/admin/definitions');
  await page.locator('table a').first().click();
  await page.getByLabel('Rule (JSON)').fill('{"kind": "at_least", "count": 5, "symptoms": ["cough"]}');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('#rule-error').getByText(/rule\.count/).waitFor();
  await shot(page, 'admin-definition-error');
  await context.close();
});

test('the jurisdiction import names the bad line, and GeoJSON boundaries draw the map', async () => {
  const context = await cordon.context();
  const page = await signIn(context, cordon.accounts.admin.username);
  await page.goto('/admin/jurisdictions');
  const { items: [root] } = await (await page.request.get('/api/v1/nodes?level=0')).json();
  await page.getByLabel('…or paste the CSV here').fill(`code,name,parent_code,population\nWX,Western Province,${root.code},lots\n`);
  await page.getByRole('button', { name: 'Import' }).click();
  await page.locator('#csv-error').getByText('line 2, column 4 (population)').waitFor();
  const square = (x, y) => ({ type: 'Polygon', coordinates: [[[x, y], [x + 1, y], [x + 1, y + 0.8], [x, y + 0.8], [x, y]]] });
  const feature = (code, name, parent, population, geometry) => ({ type: 'Feature', properties: { code, name, parent_code: parent, population }, geometry });
  const collection = {
    type: 'FeatureCollection',
    features: [
      feature('WX', 'Western Province', root.code, 100000, null),
      feature('WX1', 'Lake County', 'WX', 60000, square(126, 37)),
      feature('WX2', 'Pine County', 'WX', 40000, square(127, 37.3)),
      feature('WX3', 'Reed County', 'WX', 30000, square(126.4, 37.8)),
    ],
  };
  await page.getByLabel('…or paste the CSV here').fill(JSON.stringify(collection));
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByText(/Import finished: 4 created/).waitFor();
  await page.goto('/map?node=WX');
  assert.equal(await page.locator('figure.map a.region').count(), 3);
  await shot(page, 'map-boundaries');
  await context.close();
});
