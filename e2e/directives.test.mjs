// Directives, live: a command officer issues a directive through the page; a
// unit head whose report form is already open sees it appear without a reload
// and acknowledges it; the officer's board, also already open, shows the
// acknowledgement move without a reload. Screenshots of the directives page
// and of the unit head's panel, in English and Korean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, signIn, useCordon } from './lib/cordon.mjs';

const cordon = useCordon();

/** Marks a page so that a reload would show: the mark lives in the page's window only. */
async function markNoReload(page) {
  await page.evaluate(() => { window.cordonNoReload = true; });
}

async function notReloaded(page) {
  return page.evaluate(() => window.cordonNoReload === true);
}

test('a directive reaches an open unit head page live, and the board sees the acknowledgement live', async () => {
  const stamp = Date.now() % 100000;
  const english = `No gatherings of more than 8 people indoors (${stamp}).`;
  const korean = `실내에서 8명 넘게 모이지 마십시오 (${stamp}).`;

  // The unit head's home page is open before anything is issued.
  const headContext = await cordon.context({ phone: true });
  const head = await signIn(headContext, cordon.accounts.reporter.username);
  assert.equal(new URL(head.url()).pathname, '/report');
  await head.locator('#inbox[data-live]').waitFor({ state: 'attached' });

  const officerContext = await cordon.context();
  const officer = await signIn(officerContext, cordon.accounts.command.username);
  await officer.goto('/directives');
  await officer.getByRole('heading', { name: 'Issue a directive' }).waitFor();
  // Only the chosen kind's fieldset shows (the page script hides the others).
  assert.equal(await officer.locator('fieldset[data-kind="hygiene"]').isHidden(), true);
  await officer.getByLabel('Kind of measure').selectOption('hygiene');
  assert.equal(await officer.locator('fieldset[data-kind="hygiene"]').isVisible(), true);
  await officer.getByLabel('Kind of measure').selectOption('gathering_limit');
  await officer.getByLabel('Most people allowed').fill('8');
  await officer.getByLabel('Where', { exact: true }).selectOption('indoor');
  await officer.getByLabel('Text in English').fill(english);
  await officer.getByLabel('Text in Korean').fill(korean);
  await officer.getByLabel('What prompted it').fill('A cluster after a wedding in the district.');
  await officer.getByRole('button', { name: 'Issue the directive' }).click();
  await officer.waitForURL(/\/directives\/[0-9a-f-]{36}\?done=issued$/);
  const id = new URL(officer.url()).pathname.split('/').pop();
  await officer.locator('#coverage-table').waitFor();
  await shot(officer, 'directive');

  // The officer's board is open before the unit head acknowledges.
  const board = await officerContext.newPage();
  await board.goto('/board');
  const line = (reach) => board.locator(`#board-directives li[data-reach^="${reach}/"]:has(a[href="/directives/${id}"])`);
  await line('0').waitFor();
  await markNoReload(board);

  // The unit head's page shows the directive without a reload.
  await markNoReload(head);
  const card = head.locator(`#inbox [data-directive="${id}"]`);
  await card.getByText(english).waitFor();
  assert.equal(await notReloaded(head), true, 'the panel updated in place');
  await card.scrollIntoViewIfNeeded();
  await shot(head, 'directive-inbox');

  await officer.goto('/directives');
  await officer.locator(`#directives a[href="/directives/${id}"]`).waitFor();
  await shot(officer, 'directives');

  // In Korean: the unit head's panel, then the acknowledgement.
  await head.getByRole('button', { name: '한국어' }).click();
  await head.getByRole('heading', { name: '확인할 방역 지시' }).waitFor();
  await head.locator(`#inbox [data-directive="${id}"]`).getByText(korean).waitFor();
  await shot(head, 'directive-inbox-ko');
  await head.locator(`#inbox [data-directive="${id}"] button[type=submit]`).click();
  await head.waitForURL((url) => url.pathname === '/report');
  await head.locator(`#inbox [data-directive="${id}"]`).waitFor({ state: 'detached' });

  // The board counts the acknowledgement without a reload.
  await line('1').waitFor();
  assert.equal(await notReloaded(board), true, 'the board updated in place');
  await shot(board, 'directive-board');

  await officer.getByRole('button', { name: '한국어' }).click();
  await officer.getByRole('heading', { name: /방역 지시/, level: 1 }).waitFor();
  await shot(officer, 'directives-ko');

  await headContext.close();
  await officerContext.close();
});
