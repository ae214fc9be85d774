// cordon's page script: progressive enhancement only; every page works without it.
// - live sections ([data-live]) reload their fragment when the event stream reports something;
// - a directive form shows only the fieldset of the kind chosen;
// - forms post in the background and swap the page's <main> (partial update), keeping focus on the first error;
// - the report form keeps reports made offline in this browser (localStorage, with their client UUID)
//   and sends them to POST /api/v1/reports when the connection returns; the UUID makes a retry safe.
'use strict';
(function () {
  const QUEUE_KEY = 'cordon.report-queue';

  // ---- offline queue -------------------------------------------------------
  function readQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || '[]'); } catch (e) { return []; }
  }
  function writeQueue(items) { localStorage.setItem(QUEUE_KEY, JSON.stringify(items)); }

  function showQueue(note) {
    const items = readQueue();
    const waiting = items.filter((i) => !i.refused).length;
    const refused = items.filter((i) => i.refused);
    document.querySelectorAll('[data-queue]').forEach((el) => {
      const parts = [];
      if (note) parts.push(note);
      if (waiting > 0) parts.push(el.dataset.textWaiting.replace('{}', String(waiting)));
      refused.forEach((i) => parts.push(el.dataset.textRefused.replace('{}', i.refused)));
      el.textContent = parts.join(' ');
      el.hidden = parts.length === 0;
      el.dataset.waiting = String(waiting);
    });
  }

  function text(key) {
    const q = document.querySelector('[data-queue]');
    return q ? q.dataset[key] : '';
  }

  function reportFromForm(form) {
    const data = new FormData(form);
    const value = (name) => (data.get(name) || '').toString().trim();
    const temperature = value('temperature_c').replace(',', '.');
    const item = {
      id: crypto.randomUUID(),
      saved_at: new Date().toISOString(),
      person: null,
      report: {
        person_id: value('person_id'),
        unit_code: value('unit_code'),
        symptoms: data.getAll('symptoms').map(String),
        temperature_c: temperature === '' ? null : Number(temperature),
        onset_date: value('onset_date') || null,
        note: value('note') || null,
      },
    };
    if (item.report.person_id === 'new') {
      item.person = {
        full_name: value('full_name'),
        sex: value('sex') || 'other',
        birth_year: Number(value('birth_year')),
        unit_code: item.report.unit_code,
        phone: value('phone') || null,
        address: value('address') || null,
        confirm_new: false,
      };
      item.report.person_id = '';
    }
    item.report.id = item.id;
    return item;
  }

  async function postJson(url, body) {
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(body),
    });
    let json = null;
    try { json = await r.json(); } catch (e) { json = null; }
    return { status: r.status, json };
  }

  let flushing = false;
  async function flushQueue() {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    let sent = 0;
    try {
      for (const item of readQueue()) {
        if (item.refused) continue;
        if (item.person && !item.report.person_id) {
          const p = await postJson('/api/v1/persons', item.person);
          if (p.status === 201 && p.json) item.report.person_id = p.json.id;
          else if (p.status === 409 && p.json && p.json.existing && p.json.existing.length) item.report.person_id = p.json.existing[0].id;
          else if (p.status === 401 || p.status >= 500) break;
          else { markRefused(item.id, p.json && p.json.detail); continue; }
          updateItem(item);
        }
        const r = await postJson('/api/v1/reports', item.report);
        if (r.status === 200 || r.status === 201) { removeItem(item.id); sent += 1; }
        else if (r.status === 401 || r.status >= 500) break;
        else markRefused(item.id, (r.json && r.json.detail) || String(r.status));
      }
    } catch (e) {
      // The connection went away again; the rest waits for the next try.
    } finally {
      flushing = false;
    }
    const left = readQueue().filter((i) => !i.refused).length;
    showQueue(sent > 0 && left === 0 ? text('textSent') : '');
    if (sent > 0) refreshLive();
  }
  function updateItem(item) { writeQueue(readQueue().map((i) => (i.id === item.id ? item : i))); }
  function removeItem(id) { writeQueue(readQueue().filter((i) => i.id !== id)); }
  function markRefused(id, reason) { writeQueue(readQueue().map((i) => (i.id === id ? Object.assign(i, { refused: reason || '?' }) : i))); }

  // ---- forms: background posts and partial updates ---------------------------
  function swapMain(html) {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const fresh = doc.querySelector('main');
    const main = document.querySelector('main');
    if (!fresh || !main) { document.open(); document.write(html); document.close(); return; }
    main.replaceWith(fresh);
    document.title = doc.title;
    const invalid = fresh.querySelector('[aria-invalid="true"]') || fresh.querySelector('[role="alert"]');
    if (invalid) { invalid.setAttribute('tabindex', invalid.getAttribute('tabindex') || '-1'); invalid.focus(); }
    showQueue();
    startLive();
    startKindFieldsets();
  }

  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.hasAttribute('data-sign-out')) {
      // Pages kept for offline use hold personal data: drop them (queued reports stay).
      if ('caches' in window) {
        event.preventDefault();
        caches.keys().then((ks) => Promise.all(ks.map((k) => caches.delete(k)))).finally(() => form.submit());
      }
      return;
    }
    if (form.method.toLowerCase() !== 'post' || form.enctype === 'multipart/form-data' || form.action.endsWith('/lang')) return;
    const offlineReport = form.hasAttribute('data-offline-report');
    if (offlineReport && !navigator.onLine) {
      event.preventDefault();
      const item = reportFromForm(form);
      if (!item.report.person_id && !item.person) { showQueue(text('textRefused').replace('{}', '—')); return; }
      writeQueue(readQueue().concat([item]));
      form.reset();
      showQueue(text('textSaved'));
      window.scrollTo(0, 0);
      return;
    }
    event.preventDefault();
    const submitter = event.submitter;
    const body = new URLSearchParams(new FormData(form, submitter && submitter.name ? submitter : undefined));
    try {
      const r = await fetch(form.action, { method: 'POST', body, credentials: 'same-origin', headers: { accept: 'text/html' } });
      if (r.redirected) { window.location.assign(r.url); return; }
      swapMain(await r.text());
    } catch (e) {
      if (offlineReport) {
        const item = reportFromForm(form);
        writeQueue(readQueue().concat([item]));
        form.reset();
        showQueue(text('textSaved'));
      } else {
        form.submit();
      }
    }
  });

  // ---- live sections -----------------------------------------------------------
  let source = null;
  let timer = null;
  function refreshLive() {
    document.querySelectorAll('[data-live]').forEach(async (el) => {
      try {
        const r = await fetch(el.dataset.live, { credentials: 'same-origin', headers: { accept: 'text/html' } });
        if (r.ok && !r.redirected) el.innerHTML = await r.text();
      } catch (e) { /* offline: keep what is shown */ }
    });
  }
  function soon() { clearTimeout(timer); timer = setTimeout(refreshLive, 250); }
  function liveStatus(on) {
    document.querySelectorAll('[data-live-status]').forEach((el) => { el.textContent = on ? el.dataset.textLive : el.dataset.textOffline; });
  }
  function startLive() {
    if (source || !document.querySelector('[data-live]') || !('EventSource' in window)) return;
    source = new EventSource('/api/v1/events/stream');
    const kinds = ['report_received', 'daily_report_filed', 'case_opened', 'case_classified', 'task_assigned', 'task_acknowledged', 'task_completed', 'escalated', 'alert_raised', 'alert_reviewed'];
    kinds.forEach((k) => source.addEventListener(k, soon));
    // Directives: issued or changed for the viewer's area, acknowledged below it.
    ['directive_issued', 'directive_changed', 'directive_acknowledged'].forEach((k) => source.addEventListener(k, soon));
    // The watch abroad: an alert raised, the watch list changed.
    ['abroad_alert_raised', 'watch_changed'].forEach((k) => source.addEventListener(k, soon));
    source.onmessage = soon;
    source.onopen = () => { liveStatus(true); soon(); };
    source.onerror = () => liveStatus(false);
  }

  // ---- unit lookup: a field marked data-unit-search offers units by name -------
  // Without JavaScript the field still takes a unit's code as typed.
  function startUnitSearch() {
    document.querySelectorAll('input[data-unit-search]').forEach((input) => {
      const list = document.getElementById(input.getAttribute('list'));
      if (!list) return;
      let wait;
      let asked = '';
      input.addEventListener('input', () => {
        clearTimeout(wait);
        const q = input.value.trim();
        if (q.length < 2 || q === asked) return;
        wait = setTimeout(() => {
          asked = q;
          fetch('/api/v1/units?limit=20&search=' + encodeURIComponent(q), { credentials: 'same-origin' })
            .then((r) => (r.ok ? r.json() : { items: [] }))
            .then((page) => {
              list.replaceChildren(...page.items.map((u) => {
                const option = document.createElement('option');
                option.value = u.code;
                option.label = u.name;
                option.textContent = u.code + ' \u2014 ' + u.name;
                return option;
              }));
            })
            .catch(() => {});
        }, 200);
      });
    });
  }

  // ---- directive forms: show only the fieldset of the kind chosen ---------------
  // Without JavaScript every kind's fieldset shows; the server reads the chosen one.
  function startKindFieldsets() {
    document.querySelectorAll('select[data-kind-select]').forEach((select) => {
      const form = select.form;
      if (!form) return;
      const show = () => form.querySelectorAll('fieldset[data-kind]').forEach((set) => { set.hidden = set.dataset.kind !== select.value; });
      select.addEventListener('change', show);
      show();
    });
  }

  // ---- start -------------------------------------------------------------------
  function start() {
    if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
    showQueue();
    startLive();
    startUnitSearch();
    startKindFieldsets();
    flushQueue();
    window.addEventListener('online', () => { flushQueue(); if (source && source.readyState === 2) { source = null; startLive(); } });
    setInterval(flushQueue, 30000);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
