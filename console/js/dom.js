// DOM and formatting helpers shared by every page (no framework: a tiny hyperscript).
import { label } from './sop.js';

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

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function notice(kind, ...content) {
  return h('div', { class: `notice ${kind}`, role: kind === 'bad' ? 'alert' : 'status' }, ...content);
}

const TZ = 'Asia/Jakarta';
const dateTimeFmt = new Intl.DateTimeFormat('id-ID', { timeZone: TZ, dateStyle: 'medium', timeStyle: 'short' });
const dateFmt = new Intl.DateTimeFormat('id-ID', { timeZone: TZ, dateStyle: 'long' });

export function toMs(value) {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return value;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** "23 Nov 2026, 10.15 WIB" */
export function fmtDateTime(value) {
  const t = toMs(value);
  return t === null ? '–' : `${dateTimeFmt.format(t)} WIB`;
}
export function fmtDate(value) {
  const t = toMs(value);
  return t === null ? '–' : dateFmt.format(t);
}

/** Minutes as "1 j 5 m" / "3 m" / "45 d" (j = jam, m = menit, d = detik). */
export function fmtMinutes(minutes) {
  if (minutes === null || minutes === undefined || Number.isNaN(Number(minutes))) return '–';
  const m = Number(minutes);
  if (m < 1) return `${Math.round(m * 60)} d`;
  const hours = Math.floor(m / 60);
  const rest = Math.round(m - hours * 60);
  if (hours >= 24) {
    const days = Math.floor(hours / 24);
    return `${days} hr ${hours % 24} j`;
  }
  return hours > 0 ? `${hours} j ${rest} m` : `${rest} m`;
}

/** Signed countdown text to a due time: "sisa 04:12" or "terlambat 01:02:03". */
export function fmtCountdown(dueMs, now = Date.now()) {
  const diff = dueMs - now;
  const abs = Math.abs(diff);
  const s = Math.floor(abs / 1000);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const pad = (n) => String(n).padStart(2, '0');
  const text = hh > 0 ? `${hh}:${pad(mm)}:${pad(ss)}` : `${pad(mm)}:${pad(ss)}`;
  return diff >= 0 ? `sisa ${text}` : `terlambat ${text}`;
}

/** A live countdown element; startCountdowns() ticks every element made here. */
export function countdown(due) {
  const t = toMs(due);
  if (t === null) return h('span', { class: 'muted' }, '–');
  return h('span', { class: 'countdown', dataset: { due: String(t) }, 'aria-live': 'off' }, fmtCountdown(t));
}

let ticker = null;
export function startCountdowns() {
  if (ticker) return;
  const tick = () => {
    const now = Date.now();
    for (const el of document.querySelectorAll('.countdown[data-due]')) {
      const due = Number(el.dataset.due);
      el.textContent = fmtCountdown(due, now);
      el.classList.toggle('late', due < now);
    }
  };
  tick();
  ticker = setInterval(tick, 1000);
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
