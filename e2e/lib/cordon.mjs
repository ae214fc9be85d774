// Shared helpers for the browser tests: start the built cordon binary on a fresh
// SQLite demo (loopback, a free port), launch Debian's Chromium through
// playwright-core (never a downloaded browser), sign in, and save screenshots
// under docs/screenshots/.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = resolve(here, '..', '..', 'docs', 'screenshots');
export const PASSWORD = 'cordon-demo';
const BIN = process.env.CORDON_BIN || resolve(here, '..', '..', 'target', 'debug', 'cordon');

/** Starts `cordon demo` on a fresh SQLite file; resolves with { base, stop }. */
export async function startCordon() {
  const dir = mkdtempSync(join(tmpdir(), 'cordon-e2e-'));
  const child = spawn(BIN, ['demo', '--database', `sqlite://${join(dir, 'd.db')}`, '--listen', '127.0.0.1:0', '--force'], {
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn', CORDON_LOG_JSON: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const base = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`cordon did not start within 120 s:\n${log}`)), 120_000);
    child.stderr.on('data', (chunk) => {
      log += chunk.toString();
      // Wait for the whole line: a chunk may end in the middle of the port.
      const m = log.match(/cordon is listening on (http:\/\/\S+)\r?\n/);
      if (m) { clearTimeout(timer); resolvePromise(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`cordon exited with ${code} before listening:\n${log}`)); });
    child.on('error', (e) => { clearTimeout(timer); reject(new Error(`cannot run ${BIN}: ${e.message}`)); });
  });
  child.removeAllListeners('exit');
  const stop = async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  return { base, stop, log: () => log };
}

/** Launches headless Chromium from /usr/bin/chromium. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A phone-sized context (360 px wide) or a desktop one. */
export async function newContext(browser, base, { phone = false, locale = 'en-GB', javaScriptEnabled = true } = {}) {
  const size = phone ? { viewport: { width: 360, height: 760 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { viewport: { width: 1280, height: 900 } };
  const context = await browser.newContext({ baseURL: base, locale, javaScriptEnabled, ...size });
  // The machine may be busy compiling: give each step more time than the default 30 s.
  context.setDefaultTimeout(60_000);
  return context;
}

/** Signs in through the form and returns the page on the role's home. */
export async function signIn(context, username) {
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/sign-in')), page.getByRole('button', { name: 'Sign in' }).click()]);
  return page;
}

/** Saves a full-page screenshot as docs/screenshots/NAME.png. */
export async function shot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The user name of the health worker a task about `personName` went to (read through the API as the signed-in command). */
export async function assigneeOf(page, personName) {
  const persons = await (await page.request.get(`/api/v1/persons?q=${encodeURIComponent(personName)}`)).json();
  const person = persons[0];
  const tasks = await (await page.request.get('/api/v1/tasks?open=true&limit=1000')).json();
  const task = tasks.find((t) => t.person_id === person.id);
  const users = await (await page.request.get('/api/v1/users?role=health_worker')).json();
  return { task, worker: users.find((u) => u.id === task.assignee_id) };
}
