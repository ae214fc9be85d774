// A unit head registers planned gatherings on a phone. The command has issued
// a gathering limit of 10 to the unit (through the API, in the setup; any
// gathering limit the demo keeps there is revoked first, so that ours decides):
// a gathering of 12 is refused and the answer cites the directive it breaks
// (its text, version and limit, with a link to it), in English and in Korean;
// one of 8 is allowed. Screenshots of each answer and of the list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, signIn, useCordon } from './lib/cordon.mjs';

const cordon = useCordon();

/** A day `days` after today (UTC) as YYYY-MM-DD: the server's today is this day or the next. */
function day(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

const TEXT = 'No gatherings of more than 10 people in this unit (browser test)';

/** As the command: revokes the gathering limits in force at `unit` and issues one of 10 there; returns its id. */
async function limitOfTen(page, addressed, unit) {
  // A script with the browser's cookie says where it comes from, as fetch does.
  const headers = { origin: new URL(page.url()).origin };
  for (const { directive } of addressed) {
    const terms = directive.versions[directive.versions.length - 1].terms;
    if (terms.measure.kind !== 'gathering_limit' || directive.revoked) continue;
    const r = await page.request.post(`/api/v1/directives/${directive.id}/revoke`, { headers, data: { from: day(1), reason: 'superseded in the browser test' } });
    assert.ok(r.ok(), `revoke ${directive.id}: ${r.status()} ${await r.text()}`);
  }
  const issued = await page.request.post('/api/v1/directives', {
    headers,
    data: {
      id: crypto.randomUUID(),
      scope_code: unit,
      terms: {
        measure: { kind: 'gathering_limit', max_people: 10, setting: 'any' },
        starts_on: day(0),
        review_on: day(7),
        text: { en: TEXT, ko: '이 반에서 10명 넘는 집회 금지 (브라우저 시험)' },
      },
    },
  });
  assert.equal(issued.status(), 201, await issued.text());
  return (await issued.json()).directive.id;
}

/** Fills and sends the gathering form; resolves on the answer page. */
async function register(page, size) {
  await page.goto('/gatherings');
  await page.locator('#place').fill('Community hall');
  await page.locator('#starts_at').fill(`${day(2)}T18:00`);
  await page.locator('#expected_size').fill(String(size));
  await page.locator('#setting').selectOption('indoor');
  await page.locator('#purpose').fill('Wedding');
  await Promise.all([page.waitForURL(/\/gatherings\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Register and check' }).click()]);
}

test('a gathering of 12 under a limit of 10 is refused citing the directive; 8 is allowed', async () => {
  const { reporter, command } = cordon.accounts;
  const headContext = await cordon.context({ phone: true });
  const head = await signIn(headContext, reporter.username);
  const { items: addressed } = await (await head.request.get('/api/v1/directives/addressed')).json();
  const commandContext = await cordon.context();
  const officer = await signIn(commandContext, command.username);
  const directive = await limitOfTen(officer, addressed, reporter.node);

  await register(head, 12);
  const verdict = head.locator('#verdict');
  assert.equal(await verdict.getAttribute('data-verdict'), 'refused');
  assert.match(await verdict.innerText(), /REFUSED/);
  const citation = head.locator('#citation');
  assert.match(await citation.innerText(), new RegExp(TEXT.replace(/[()]/g, '\\$&')));
  assert.match(await citation.innerText(), /Version 1 · at most 10 people/);
  assert.equal(await citation.getByRole('link').getAttribute('href'), `/directives/${directive}`);
  await shot(head, 'gathering-refused');

  await Promise.all([head.waitForLoadState('load'), head.getByRole('button', { name: '한국어' }).click()]);
  await head.locator('#verdict').getByText('불허').first().waitFor();
  assert.match(await head.locator('#citation').innerText(), /이 반에서 10명 넘는 집회 금지/);
  await shot(head, 'gathering-refused-ko');
  await Promise.all([head.waitForLoadState('load'), head.getByRole('button', { name: 'English' }).click()]);
  await head.getByText('REFUSED').waitFor();

  await register(head, 8);
  assert.equal(await head.locator('#verdict').getAttribute('data-verdict'), 'allowed');
  assert.match(await head.locator('#citation').innerText(), /at most 10 people/);
  await shot(head, 'gathering-allowed');

  await head.goto('/gatherings');
  const rows = head.locator('#gatherings tr[data-gathering]');
  assert.ok((await rows.count()) >= 2);
  const ours = (await rows.filter({ hasText: 'Community hall' }).allInnerTexts()).join('\n');
  assert.ok(ours.includes('Refused') && ours.includes('Allowed'), ours);
  await shot(head, 'gatherings');
  await headContext.close();
  await commandContext.close();
});
