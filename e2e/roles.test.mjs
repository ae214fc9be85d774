// Each role signs in and lands on its own home page; the command drills down
// from the nation to a unit, and sees the curve, the map, the roster, the
// situation report and the situation abroad; the report form renders in Korean. Every test saves a
// screenshot. Accounts come from what the demo prints, so the tests follow
// the demo's country.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, signIn, useCordon } from './lib/cordon.mjs';

const cordon = useCordon();

test('a unit head lands on the report form, made for a 360 px phone', async () => {
  const context = await cordon.context({ phone: true });
  const page = await signIn(context, cordon.accounts.reporter.username);
  assert.equal(new URL(page.url()).pathname, '/report');
  await page.getByRole('group', { name: 'Symptoms' }).waitFor();
  assert.equal(await page.locator('.box input[type=checkbox]').count(), 12);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no sideways scrolling at 360 px (page is ${width} px wide)`);
  await shot(page, 'reporter-form');
  await page.getByRole('button', { name: '한국어' }).click();
  await page.getByRole('heading', { name: '증상 신고' }).waitFor();
  await shot(page, 'reporter-form-ko');
  await context.close();
});

test('a health worker lands on their tasks', async () => {
  const context = await cordon.context({ phone: true });
  const page = await signIn(context, cordon.accounts.worker.username);
  assert.equal(new URL(page.url()).pathname, '/tasks');
  await page.getByRole('heading', { name: 'My tasks' }).waitFor();
  await shot(page, 'worker-tasks');
  await context.close();
});

test('a command officer lands on the board and drills down to a unit', async () => {
  const context = await cordon.context();
  const page = await signIn(context, cordon.accounts.command.username);
  assert.equal(new URL(page.url()).pathname, '/board');
  await page.locator('[data-tile="reports-today"]').waitFor();
  await shot(page, 'command-board');
  let depth = 0;
  while (await page.getByRole('heading', { name: 'Go down a level' }).count()) {
    const link = page.locator('section.panel table a').first();
    const code = (await link.innerText()).trim();
    await link.click();
    await page.waitForURL((url) => url.searchParams.get('node') === code);
    await page.locator('[data-tile="reports-today"]').waitFor();
    depth += 1;
  }
  assert.ok(depth >= 3, `drilled down ${depth} levels to a unit`);
  await context.close();
});

test('the command sees the epidemic curve, the map and the roster', async () => {
  const context = await cordon.context();
  const page = await signIn(context, cordon.accounts.command.username);
  await page.goto('/curve?days=28');
  await page.locator('figure.chart svg').first().waitFor();
  await shot(page, 'epidemic-curve');
  await page.goto('/map');
  const regions = await page.locator('figure.map a.region').count();
  assert.ok(regions > 0 && regions === (await page.locator('table tbody tr').count()), 'one shape per child');
  await page.locator('figure.map a.region').first().click();
  await page.waitForURL(/node=/);
  await page.locator('figure.map svg').waitFor();
  await shot(page, 'map');
  await page.goto('/roster');
  await page.getByRole('heading', { name: /Gaps in 24\/7 coverage/ }).waitFor();
  await page.locator('ul.chips a').first().click();
  await page.getByRole('heading', { name: /Gaps in 24\/7 coverage/ }).waitFor();
  await shot(page, 'roster');
  await context.close();
});

test('the command reads the situation report, prints it, and opens its public version', async () => {
  const context = await cordon.context();
  const page = await signIn(context, cordon.accounts.command.username);
  await page.goto('/sitrep');
  await page.getByRole('heading', { name: /^Situation report: /, level: 1 }).waitFor();
  await page.locator('[data-section="curve"] svg').first().waitFor();
  assert.ok((await page.locator('[data-figure]').count()) > 50, 'a report full of labelled figures');
  await shot(page, 'situation-report');
  await page.getByRole('link', { name: 'Print (A4)' }).click();
  await page.locator('article.sitrep-print').waitFor();
  await page.goto('/sitrep');
  await page.getByRole('link', { name: 'Public version' }).click();
  await page.locator('[data-public-note]').waitFor();
  await shot(page, 'situation-report-public');
  await page.goto('/curve?days=56');
  await page.locator('section[data-rt] h2').waitFor();
  await context.close();
});

test('the command reads the situation abroad: the watched neighbours with their figures and the alerts', async () => {
  const context = await cordon.context();
  const page = await signIn(context, cordon.accounts.command.username);
  await page.getByRole('link', { name: 'Abroad', exact: true }).click();
  await page.getByRole('heading', { name: 'The situation abroad', level: 1 }).waitFor();
  const japan = page.locator('section[data-location="Japan"]');
  await japan.locator('[data-crossed]').waitFor();
  await japan.locator('figure.abroad-line svg path').waitFor();
  assert.match(await japan.innerText(), /Latest data: 2021-01-07/);
  assert.equal(await page.locator('section.abroad-location').count(), 3, 'Japan, Mongolia and South Korea are watched');
  await page.locator('#abroad-alerts li').first().waitFor();
  await shot(page, 'abroad');
  await context.close();
});

test('an administrator lands on the users and can open every admin page', async () => {
  const context = await cordon.context();
  const page = await signIn(context, cordon.accounts.admin.username);
  assert.equal(new URL(page.url()).pathname, '/admin/users');
  await shot(page, 'admin-users');
  for (const [path, heading] of [['/admin/jurisdictions', 'Jurisdictions'], ['/admin/definitions', 'Case definitions'], ['/admin/settings', 'Settings'], ['/admin/abroad', 'Situation abroad: files and watch list']]) {
    await page.goto(path);
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  }
  await page.goto('/admin/definitions');
  await page.locator('table a').first().click();
  await page.getByLabel('Rule (JSON)').waitFor();
  await shot(page, 'admin-case-definition');
  await context.close();
});
