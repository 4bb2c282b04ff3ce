// The SOP as served by this instance (GET /api/sop): step titles, roles and standard times are
// never re-typed in the console, so an office's overrides show up here as-is.
import { api } from './api.js';
import { REASON_LABELS } from './dom.js';

let cached = null;

/** Accepts the shapes a step table can reasonably be served in (array, or { steps, ... }). */
function normalise(raw) {
  const steps = (Array.isArray(raw) ? raw : raw.steps || []).map((s, i) => ({
    number: s.number ?? i + 1,
    key: s.key,
    title: s.title || s.activity || s.name || s.key,
    actor: s.actor ?? s.role ?? null,
    responsibleRole: s.responsibleRole ?? s.role ?? null,
    standardMinutes: s.standardMinutes ?? s.standardTimeMinutes ?? null,
    output: s.output ?? '',
  }));
  const roleLabels = {};
  const roles = raw.roleLabels || raw.roles || {};
  if (Array.isArray(roles)) {
    for (const r of roles) if (r && typeof r === 'object') roleLabels[r.key || r.role || r.name] = r.label || r.title || r.key;
  } else Object.assign(roleLabels, roles);
  const documentTypeLabels = { ...(raw.documentTypeLabels || raw.documentTypes || {}) };
  const reasonLabels = { ...(raw.reasonLabels || raw.requestReasonLabels || raw.reasons || {}) };
  return { steps, roleLabels, documentTypeLabels: flatLabels(documentTypeLabels), reasonLabels: flatLabels(reasonLabels), raw };
}

/** { KTP_EL: 'KTP-el' } stays; [{ key, label }] becomes { key: label }. */
function flatLabels(v) {
  if (!Array.isArray(v)) return v;
  const out = {};
  for (const x of v) if (x && typeof x === 'object') out[x.key || x.value] = x.label || x.title || x.key;
  return out;
}

export function loadSop() {
  if (!cached) {
    cached = api.get('/api/sop').then(normalise);
    cached.catch(() => (cached = null));
  }
  return cached;
}

export function stepTitle(sop, key) {
  if (!key) return '–';
  const s = sop.steps.find((x) => x.key === key);
  return s ? `${s.number}. ${s.title}` : key;
}
export function roleLabel(sop, role) {
  if (!role) return '–';
  // Role keys are Indonesian words already (operator, kabid, ekspedisi): capitalised when unlabeled.
  if (sop.roleLabels[role]) return sop.roleLabels[role];
  // Step actors that are not staff roles.
  if (role === 'applicant') return 'Pemohon';
  if (role === 'system') return 'Sistem';
  return role.charAt(0).toUpperCase() + role.slice(1);
}
export function documentTypeLabel(sop, type) {
  return sop.documentTypeLabels[type] || (type === 'KTP_EL' ? 'KTP-el' : type) || '–';
}
export function reasonLabel(sop, reason) {
  return sop.reasonLabels[reason] || REASON_LABELS[reason] || reason || '–';
}
/** Roles that own a step in the SOP (they have a task queue). */
export function sopRoles(sop) {
  const roles = new Set();
  for (const s of sop.steps) {
    if (s.responsibleRole && s.actor !== 'system') roles.add(s.responsibleRole);
  }
  return roles;
}
