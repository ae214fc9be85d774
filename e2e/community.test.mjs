// The command's side of the community measures. A unit head logs what
// residents say on a phone; the command reads it among the most heard this
// week and answers it with a counter-message in each language. The command
// reads the rules' recommended alert level with its reasons, sets the level
// with a note, and the board shows it. Screenshots of each page, the alert
// level also in Korean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, signIn, useCordon } from './lib/cordon.mjs';

const cordon = useCordon();

const SAID = 'Garlic soup keeps the fever away (browser test)';

test('a unit head logs what residents say and the command answers it', async () => {
  const headContext = await cordon.context({ phone: true });
  const head = await signIn(headContext, cordon.accounts.reporter.username);
  await head.goto('/rumours');
  await head.locator('#text').fill(SAID);
  await head.locator('#category').selectOption('false_remedy');
  await head.locator('#people').fill('6');
  await Promise.all([head.waitForURL(/\/rumours\?done=logged$/), head.getByRole('button', { name: 'Log it' }).click()]);
  await head.locator('#most-heard').getByText(SAID).waitFor();
  await headContext.close();

  const context = await cordon.context();
  const page = await signIn(context, cordon.accounts.command.username);
  await page.goto('/rumours');
  await page.locator('#rumours-by-area').waitFor();
  await shot(page, 'rumours');
  await Promise.all([page.waitForURL(/\/rumours\/[0-9a-f-]{36}$/), page.locator('#most-heard').getByRole('link', { name: SAID }).click()]);
  await page.locator('#en').fill('Garlic does not cure the fever: see the health worker and keep apart.');
  await page.locator('#ko').fill('마늘은 열을 낫게 하지 못합니다. 보건 요원을 만나고 거리를 두세요.');
  await Promise.all([page.waitForURL(/\?done=answered$/), page.getByRole('button', { name: 'Attach the counter-message' }).click()]);
  assert.match(await page.locator('#counter-message').innerText(), /마늘은 열을 낫게 하지 못합니다/);
  assert.match(await page.locator('#schedule-lecture').getAttribute('href'), /^\/lectures\?topic=Garlic\+soup/);
  await shot(page, 'rumour-answered');
  await context.close();
});

test('the command sets the alert level against the recommendation and the board shows it', async () => {
  const context = await cordon.context();
  const page = await signIn(context, cordon.accounts.command.username);
  await page.goto('/alert-levels');
  const reasons = page.locator('#level-recommendation .reasons li');
  assert.ok((await reasons.count()) > 0, 'the recommendation says why');
  await page.locator('#level').selectOption('2');
  await page.locator('#note').fill('Browser test: clusters at weddings in two provinces.');
  await Promise.all([page.waitForURL(/done=set$/), page.getByRole('button', { name: 'Set the level' }).click()]);
  assert.match(await page.locator('#level-current').innerText(), /2 · Alert/);
  assert.match(await page.locator('#level-history').innerText(), /clusters at weddings/);
  await shot(page, 'alert-level');

  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '한국어' }).click()]);
  await page.locator('#level-current').getByText('2 · 경계').waitFor();
  await shot(page, 'alert-level-ko');
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'English' }).click()]);

  await page.goto('/board');
  await page.locator('#board-level').getByText('2 · Alert').waitFor();
  await shot(page, 'board-community');
  await context.close();
});
