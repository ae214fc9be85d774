// The spine in the browser: a unit head reports while offline, the report is kept
// in the browser and sent when the connection returns; the command board shows it
// without a reload; the on-call worker acknowledges and the board shows that too;
// the worker then records the investigation, which confirms the case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assigneeOf, shot, signIn, useCordon } from './lib/cordon.mjs';

const cordon = useCordon();

test('a report made offline reaches the live board, and so does the acknowledgement', async () => {
  const person = `Offline Resident ${Date.now() % 100000}`;
  const commandContext = await cordon.context();
  const { reporter, command } = cordon.accounts;
  const board = await signIn(commandContext, command.username);
  await board.goto(`/board?node=${encodeURIComponent(reporter.node)}`);
  await board.getByText('Live: this board updates by itself.').waitFor({ timeout: 15_000 });
  await board.evaluate(() => { window.__notReloaded = true; });

  const phone = await cordon.context({ phone: true });
  const form = await signIn(phone, reporter.username);
  await form.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, { timeout: 15_000 }).catch(async () => {
    await form.reload();
    await form.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
  });

  await phone.setOffline(true);
  await form.reload();
  await form.getByRole('heading', { name: 'Report symptoms' }).waitFor();
  await form.getByLabel('A resident not in the list: add them').check();
  await form.getByLabel('Full name').fill(person);
  await form.getByLabel('Sex').selectOption('female');
  await form.getByLabel('Year of birth').fill('1979');
  await form.getByLabel('Fever').check();
  await form.getByLabel('Cough').check();
  await form.getByLabel('Temperature (°C)').fill('38.7');
  await form.getByRole('button', { name: 'Send the report' }).click();
  const queue = form.locator('[data-queue]');
  await assert.doesNotReject(queue.getByText('1 report(s) wait to be sent.').waitFor());
  await shot(form, 'reporter-offline-queued');

  await phone.setOffline(false);
  await form.evaluate(() => window.dispatchEvent(new Event('online')));
  await queue.getByText('All reports kept on this phone have been sent.').waitFor({ timeout: 20_000 });

  const line = board.locator('#board-reports li', { hasText: person });
  await line.waitFor({ timeout: 20_000 });
  assert.match(await line.innerText(), /Case opened|Worker on the way/);
  assert.equal(await board.evaluate(() => window.__notReloaded), true, 'the board was not reloaded');
  await shot(board, 'command-board-live-report');

  const { task, worker } = await assigneeOf(board, person, reporter.node);
  assert.ok(worker, `the task ${task?.id} went to an on-call worker`);
  const workerContext = await cordon.context({ phone: true });
  const tasks = await signIn(workerContext, worker.username);
  const card = tasks.locator(`[data-task="${task.id}"]`);
  const acknowledge = card.getByRole('button', { name: 'Acknowledge: I am on the way' });
  if (await acknowledge.count()) {
    await acknowledge.click();
    await tasks.getByText('Acknowledged. The unit sees that you are on the way.').waitFor();
  }
  await shot(tasks, 'worker-acknowledged');

  await board.locator('#board-reports li', { hasText: person }).filter({ hasText: 'Worker on the way' }).waitFor({ timeout: 20_000 });
  assert.equal(await board.evaluate(() => window.__notReloaded), true, 'still no reload');
  await shot(board, 'command-board-live-acknowledged');

  // The worker records the investigation: a positive result confirms the case.
  await tasks.locator(`[data-task="${task.id}"]`).getByRole('link', { name: 'Open the case' }).click();
  await tasks.getByRole('link', { name: 'Investigation record' }).click();
  await tasks.getByLabel('Exposure history: where and how the person may have been infected').fill('Family dinner on Saturday');
  await tasks.getByLabel('Kind of sample').selectOption('nasal_swab');
  await tasks.getByLabel('Taken on').fill(new Date().toISOString().slice(0, 10));
  await tasks.getByLabel('Laboratory result').selectOption('positive');
  await tasks.getByLabel('Where', { exact: true }).selectOption('home');
  await shot(tasks, 'worker-investigation');
  await tasks.getByRole('button', { name: 'Save' }).click();
  await tasks.getByText('The classification was saved').waitFor();
  assert.match(await tasks.locator('dl.facts').innerText(), /Confirmed/);

  await form.goto('/reports');
  await form.locator('#report-list li', { hasText: person }).filter({ hasText: 'Worker on the way' }).waitFor();
  await shot(form, 'reporter-reports');
  await Promise.all([commandContext.close(), phone.close(), workerContext.close()]);
});
