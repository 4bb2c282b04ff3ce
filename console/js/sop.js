// The SOP as served by this instance (GET /api/sop): step titles, roles and standard times are
// never re-typed in the console, so an office's overrides show up here as-is.
import { api } from './api.js';

let cached = null;

/**
 * Labels of the API's enum values (status, waiting reason, relationship, attachment and document
 * kinds) as /api/sop serves them from the domain module; filled once the SOP has loaded. Every
 * page awaits loadSop() before it renders, so the helpers below see them.
 */
export const labels = { status: {}, waiting: {}, relationship: {}, attachment: {}, documentKind: {}, event: {} };
/** The /api/sop field each kind of label comes from. */
const LABEL_FIELDS = {
  status: 'statusLabels',
  waiting: 'waitingLabels',
  relationship: 'relationshipLabels',
  attachment: 'attachmentLabels',
  documentKind: 'documentKindLabels',
  event: 'eventLabels',
};

/** GET /api/sop as the console uses it (the shape is the API's `Sop` schema). */
function normalise(raw) {
  const steps = raw.steps.map((s) => ({
    number: s.number,
    key: s.key,
    title: s.title,
    actor: s.actor,
    responsibleRole: s.role,
    standardMinutes: s.standardMinutes,
    output: s.output,
  }));
  for (const kind of Object.keys(labels)) Object.assign(labels[kind], raw[LABEL_FIELDS[kind]]);
  return {
    steps,
    roleLabels: raw.roleLabels,
    supervisorRoles: raw.supervisorRoles,
    documentTypeLabels: raw.documentTypeLabels,
    reasonLabels: raw.reasonLabels,
    raw,
  };
}

export function loadSop() {
  if (!cached) {
    cached = api.get('/api/sop').then(normalise);
    cached.catch(() => (cached = null));
  }
  return cached;
}

/** The label of an enum value (`kind` is a key of `labels`), the raw value when unlabeled. */
export function label(kind, value) {
  if (value === null || value === undefined || value === '') return '–';
  return labels[kind][value] || value;
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
  return sop.documentTypeLabels[type] || type || '–';
}
export function reasonLabel(sop, reason) {
  return sop.reasonLabels[reason] || reason || '–';
}
/** Roles that own a step in the SOP (they have a task queue). */
export function sopRoles(sop) {
  const roles = new Set();
  for (const s of sop.steps) {
    if (s.responsibleRole && s.actor !== 'system') roles.add(s.responsibleRole);
  }
  return roles;
}
