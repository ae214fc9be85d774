// Shared helpers for the browser tests: start the built cordon binary on a fresh
// SQLite demo (loopback, a free port), launch Debian's Chromium through
// playwright-core (never a downloaded browser), both around a test file's tests
// (useCordon), sign in, and save screenshots under docs/screenshots/.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = resolve(here, '..', '..', 'docs', 'screenshots');
export const PASSWORD = 'cordon-demo';
const BIN = process.env.CORDON_BIN || resolve(here, '..', '..', 'target', 'debug', 'cordon');

/** Whether the binary's demo takes `--scale` (then the small country is used, which builds in seconds). */
function demoArgs(database) {
  const help = spawnSync(BIN, ['demo', '--help'], { encoding: 'utf8' });
  const args = ['demo', '--database', database, '--listen', '127.0.0.1:0', '--force'];
  if (/--scale/.test(`${help.stdout}${help.stderr}`)) args.push('--scale', 'small');
  return args;
}

/** The demo accounts the binary printed: `  username  role  at NODE ...`. */
function parseAccounts(text) {
  const accounts = [];
  for (const m of text.matchAll(/^\s+(\S+)\s+(reporter|health_worker|border_officer|command_officer|administrator)\s+at\s+(\S+)/gm)) {
    accounts.push({ username: m[1], role: m[2], node: m[3] });
  }
  return accounts;
}

/** Starts `cordon demo` on a fresh SQLite file; resolves with { base, stop, accounts }. */
export async function startCordon() {
  const dir = mkdtempSync(join(tmpdir(), 'cordon-e2e-'));
  const child = spawn(BIN, demoArgs(`sqlite://${join(dir, 'd.db')}`), {
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn', CORDON_LOG_FORMAT: 'text' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  let out = '';
  child.stdout.on('data', (chunk) => { out += chunk.toString(); });
  const base = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`cordon did not start within 300 s:\n${log}`)), 300_000);
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
  // The accounts go to stdout before the listening line goes to stderr, but the
  // two pipes are read independently: give stdout a moment to catch up.
  for (let waited = 0; waited < 10_000 && !parseAccounts(out).some((a) => a.role === 'reporter'); waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const all = parseAccounts(out);
  const first = (role, prefer) => all.find((a) => a.role === role && a.username === prefer) || all.find((a) => a.role === role);
  const accounts = {
    reporter: first('reporter'),
    worker: first('health_worker'),
    command: first('command_officer', 'command'),
    admin: first('administrator', 'admin'),
    border: first('border_officer'),
  };
  for (const [role, account] of Object.entries(accounts)) {
    if (!account) throw new Error(`the demo printed no ${role} account:\n${out}`);
  }
  const stop = async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  return { base, stop, accounts, log: () => log };
}

/** Launches headless Chromium from /usr/bin/chromium. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Starts a demo server and Chromium before the calling file's tests and stops
 * both after them. Returns what the tests use once they run: the demo's
 * `accounts` and `context(options)`, a new browser context on the server
 * (options as for newContext).
 */
export function useCordon() {
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
  return {
    get accounts() { return server.accounts; },
    context: (options) => newContext(browser, server.base, options),
  };
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

/** The task about `personName` in `unit` and the health worker it went to (read through the API as the signed-in command). */
export async function assigneeOf(page, personName, unit) {
  const under = encodeURIComponent(unit);
  const { items: persons } = await (await page.request.get(`/api/v1/persons?q=${encodeURIComponent(personName)}&under=${under}`)).json();
  const person = persons[0];
  const { items: tasks } = await (await page.request.get(`/api/v1/tasks?under=${under}&limit=500`)).json();
  const task = tasks.find((t) => t.person_id === person.id);
  const worker = task && task.assignee_id ? (await (await page.request.get(`/api/v1/users?role=health_worker&limit=500`)).json()).items : [];
  return { task, worker: worker.find((u) => u.id === task.assignee_id) };
}
