// DOM and formatting helpers shared by every page (no framework: a tiny hyperscript).
import { label } from './sop.js';
import { formatDuration, describeDue, indonesianDateTime, createSlaClock } from './domain.js';

/**
 * h('a', { href: '/x', class: 'b', onclick: fn }, 'text', child) → element.
 * Event handlers are attached with addEventListener (CSP forbids inline handlers).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value' || key === 'checked' || key === 'selected') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined && value !== null) el.setAttribute(key, String(value));
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Empties `el`, then appends `children` as `h` does (null, undefined and false leave nothing). */
export function clear(el, ...children) {
  while (el.firstChild) el.removeChild(el.firstChild);
  append(el, children);
  return el;
}

export function notice(kind, ...content) {
  return h('div', { class: `notice ${kind}`, role: kind === 'bad' ? 'alert' : 'status' }, ...content);
}

const TZ = 'Asia/Jakarta';
const dateFmt = new Intl.DateTimeFormat('id-ID', { timeZone: TZ, dateStyle: 'long' });

export function toMs(value) {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return value;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/**
 * For a view whose list reloads as filters change: each load takes a ticket, and an answer is shown
 * only while its ticket is the latest, so a slow earlier answer never replaces a newer one.
 * `const ticket = latestWins();` then in the loader `const current = ticket(); …await…; if (!current()) return;`
 */
export function latestWins() {
  let latest = 0;
  return () => {
    const mine = ++latest;
    return () => mine === latest;
  };
}

/** "3 Desember 2026 08.12 WIB" (domain/indonesian-date.ts). */
export function fmtDateTime(value) {
  const t = toMs(value);
  return t === null ? '–' : indonesianDateTime(t);
}
export function fmtDate(value) {
  const t = toMs(value);
  return t === null ? '–' : dateFmt.format(t);
}

/**
 * The SLA clock the console counts on (GET /api/control/clock: kind, name, holidays), set once after
 * login by staff.js. Until then (or if it cannot load) the office clock with the built-in holidays.
 */
let slaClock = createSlaClock('office');
let slaClockInfo = { kind: 'office', name: 'Jam kerja kantor', unit: 'jam kerja', explain: '' };
export function setSlaClock(info) {
  slaClockInfo = info;
  slaClock = createSlaClock(info.kind, { holidays: info.holidays });
}
export function currentSlaClock() {
  return { clock: slaClock, info: slaClockInfo };
}

/** Counted minutes in words on the SLA clock: "2 jam 5 menit jam kerja", "14 menit" (wall). */
export function fmtMinutes(minutes, opts = {}) {
  return formatDuration(minutes === null || minutes === undefined ? null : Number(minutes), { clock: slaClock.kind, ...opts });
}

/** Time left or late to a due time on the SLA clock: "sisa 2 jam 5 menit jam kerja", "terlambat 14 menit jam kerja". */
export function fmtCountdown(dueMs, now = Date.now()) {
  const d = describeDue(dueMs, now, slaClock);
  return `${d.text}${d.pausedNote}`;
}

/** A live countdown element; startCountdowns() ticks every element made here. */
export function countdown(due) {
  const t = toMs(due);
  if (t === null) return h('span', { class: 'muted' }, '–');
  const d = describeDue(t, Date.now(), slaClock);
  return h('span', { class: d.late ? 'countdown late' : 'countdown', dataset: { due: String(t) }, 'aria-live': 'off' }, `${d.text}${d.pausedNote}`);
}

let ticker = null;
export function startCountdowns() {
  const tick = () => {
    const now = Date.now();
    for (const el of document.querySelectorAll('.countdown[data-due]')) {
      const d = describeDue(Number(el.dataset.due), now, slaClock);
      el.textContent = `${d.text}${d.pausedNote}`;
      el.classList.toggle('late', d.late);
    }
  };
  // New elements are worded at once (on the clock loaded since they were made); then every 15 s.
  tick();
  ticker ??= setInterval(tick, 15_000);
}

/** Reads a nested value by one of several candidate paths ("subject.nik", "subjectNik"). */
export function pick(obj, ...paths) {
  for (const path of paths) {
    let cur = obj;
    for (const part of path.split('.')) {
      if (cur === null || cur === undefined) break;
      cur = cur[part];
    }
    if (cur !== undefined && cur !== null) return cur;
  }
  return undefined;
}

export function statusBadge(status) {
  const kind = { COMPLETED: 'ok', REJECTED: 'bad', CANCELLED: 'bad', AWAITING_RESUBMISSION: 'warn' }[status] || '';
  return h('span', { class: `badge ${kind}` }, label('status', status));
}
