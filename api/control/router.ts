/**
 * The supervisors' control room ("Ruang kendali"): `GET /api/control/board` (step × kecamatan),
 * `GET /api/control/cases` (the cases behind a cell), `GET /api/control/escalations` and its
 * `/count` (the nav badge), `GET /api/control/clock` (the SLA clock, named, with its holidays for
 * the console's countdowns) and the SLA report `GET /api/reports/sla` for any period, per step,
 * kecamatan or officer. Semantics: see ./service.ts.
 */
import type { Router } from 'express';
import type { RouteContext } from '../context.js';
import { ApiError } from '../errors.js';
import { requireRole } from '../auth.js';
import { parseQuery } from '../routes-public.js';
import { GROBOGAN_DISTRICTS } from '../../domain/citizen.js';
import { ROLE_LABELS, SOP_STEPS, SUPERVISOR_ROLES, sopStep, type Role, type StepKey } from '../../domain/sop.js';
import { createSlaClock } from '../../domain/calendar.js';
import { stepSlaSummary } from '../../db/repositories/reports.js';
import { describeDue, SLA_CLOCK_LABELS } from '../../domain/human-time.js';
import {
  boardResponseSchema,
  clockSchema,
  controlCasesQuerySchema,
  controlCasesResponseSchema,
  escalationCountSchema,
  escalationsQuerySchema,
  escalationsResponseSchema,
  slaQuerySchema,
  slaResponseSchema,
} from './schemas.js';
import {
  boardCells,
  controlCases,
  escalationCountFor,
  escalationsFor,
  officerNames,
  slaGroups,
  withinStandardShare,
  type ControlCaseRow,
  type SlaGroupRow,
} from './service.js';

const READERS: readonly Role[] = SUPERVISOR_ROLES;
const MAX_REPORT_DAYS = 731;
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const round2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

function encodeCursor(row: ControlCaseRow): string {
  return Buffer.from(JSON.stringify([iso(row.step_due_at), row.registration_number])).toString('base64url');
}
function decodeCursor(cursor: string): { due: Date | null; reg: string } {
  try {
    const [due, reg] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string | null, string];
    if (typeof reg !== 'string' || (due !== null && Number.isNaN(Date.parse(due)))) throw new Error('bad');
    return { due: due === null ? null : new Date(due), reg };
  } catch {
    throw ApiError.validation([{ path: 'cursor', message: 'Kursor tidak valid' }], 'Parameter tidak valid.');
  }
}

export function registerControlRoutes(router: Router, ctx: RouteContext): void {
  const { registry, db, config } = ctx;
  const auth = requireRole(db, ctx.tokens, READERS);
  const clock = createSlaClock(config.policy.slaClock, { holidays: config.policy.holidays });
  const clockLabel = SLA_CLOCK_LABELS[config.policy.slaClock];

  const caseItem = (c: ControlCaseRow, now: number) => {
    const due = c.step_due_at ? new Date(c.step_due_at).getTime() : null;
    const d = due === null ? null : describeDue(due, now, clock);
    return {
      registrationNumber: c.registration_number,
      documentType: c.document_type,
      district: c.district,
      currentStep: c.current_step,
      stepStartedAt: iso(c.step_started_at),
      stepDueAt: iso(c.step_due_at),
      overdue: c.overdue,
      escalationLevel: c.escalation_level,
      waitingFor: c.waiting_for,
      lateMinutes: d && d.late ? round2(d.minutes) : null,
      lateText: d ? d.text : 'tanpa batas waktu',
    };
  };

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/control/clock',
      operationId: 'slaClockInfo',
      summary: 'Jam SLA yang berlaku (nama, penjelasan, hari libur) untuk hitung mundur di konsol',
      tags: ['laporan'],
      auth: 'any',
      responses: { 200: { description: 'Jam SLA', schema: clockSchema } },
    },
    requireRole(db, ctx.tokens, 'any'),
    (_req, res) => {
      res.setHeader('Cache-Control', 'private, max-age=300');
      res.json({ kind: config.policy.slaClock, name: clockLabel.name, unit: clockLabel.unit, explain: clockLabel.explain, holidays: [...config.policy.holidays] });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/control/board',
      operationId: 'controlBoard',
      summary: 'Papan kendali: permohonan dalam proses per tahap × kecamatan (terbuka, terlambat, tereskalasi)',
      tags: ['laporan'],
      auth: READERS,
      responses: { 200: { description: 'Papan', schema: boardResponseSchema } },
    },
    auth,
    async (_req, res) => {
      const { cells, awaitingResubmission } = await boardCells(db);
      const totals = cells.reduce((t, c) => ({ open: t.open + c.open, overdue: t.overdue + c.overdue, escalated: t.escalated + c.escalated }), { open: 0, overdue: 0, escalated: 0 });
      const districts = [...new Set([...GROBOGAN_DISTRICTS, ...cells.map((c) => c.district)])];
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        at: new Date(ctx.now()).toISOString(),
        districts,
        awaitingResubmission,
        totals,
        cells: cells.map((c) => ({ step: c.stepKey, district: c.district, open: c.open, overdue: c.overdue, escalated: c.escalated })),
      });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/control/cases',
      operationId: 'controlCases',
      summary: 'Permohonan dalam proses di balik satu sel papan (tahap, kecamatan, terlambat/tereskalasi), yang paling lama terlambat lebih dulu',
      description: 'Hanya fakta non-pribadi (nomor, tahap, kecamatan, jatuh tempo, eskalasi). Halaman berikutnya dengan `cursor` dari `nextCursor`.',
      tags: ['laporan'],
      auth: READERS,
      query: controlCasesQuerySchema,
      responses: { 200: { description: 'Permohonan', schema: controlCasesResponseSchema } },
    },
    auth,
    async (req, res) => {
      const q = parseQuery(controlCasesQuerySchema, req.query);
      const rows = await controlCases(db, { step: q.step, district: q.district, filter: q.filter, limit: q.limit + 1, after: q.cursor ? decodeCursor(q.cursor) : undefined });
      const page = rows.slice(0, q.limit);
      const now = ctx.now();
      res.setHeader('Cache-Control', 'no-store');
      res.json({ items: page.map((c) => caseItem(c, now)), nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]!) : null });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/control/escalations',
      operationId: 'myEscalations',
      summary: 'Eskalasi untuk saya: permohonan yang tahapnya terlambat dan dieskalasikan ke peran saya (masih terbuka)',
      tags: ['laporan'],
      auth: READERS,
      query: escalationsQuerySchema,
      responses: { 200: { description: 'Eskalasi', schema: escalationsResponseSchema } },
    },
    auth,
    async (req, res) => {
      const q = parseQuery(escalationsQuerySchema, req.query);
      const role = req.user!.role;
      const [rows, count] = await Promise.all([escalationsFor(db, role, q.limit), escalationCountFor(db, role)]);
      const now = ctx.now();
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        role,
        count,
        items: rows.map((r) => ({ ...caseItem(r, now), level: r.level, escalatedAt: iso(r.escalated_at)!, escalatedStep: r.step_key })),
      });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/control/escalations/count',
      operationId: 'myEscalationCount',
      summary: 'Jumlah eskalasi terbuka untuk peran saya (lencana di navigasi)',
      tags: ['laporan'],
      auth: READERS,
      responses: { 200: { description: 'Jumlah', schema: escalationCountSchema } },
    },
    auth,
    async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json({ count: await escalationCountFor(db, req.user!.role) });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/api/reports/sla',
      operationId: 'slaReport',
      summary: 'Laporan SLA untuk periode mana pun: per tahap, kecamatan atau petugas, termasuk tahap yang masih terbuka dan terlambat',
      description:
        'from dan to: tanggal Asia/Jakarta, inklusif (paling panjang 2 tahun). Menit dihitung pada jam SLA (`clock`, dinamai di `clockName`). ' +
        '"Selesai" = tahap yang selesai dalam periode (pembatalan tidak dihitung); median dan p90 dalam menit bulat (menit tiap tahap dibulatkan ke bawah). "openOverdue" = tahap yang pada akhir periode (paling lambat saat ini) ' +
        'sudah dimulai, belum selesai dan sudah lewat jatuh tempo. withinStandardShare = selesai dalam waktu baku / (selesai yang punya waktu baku + openOverdue).',
      tags: ['laporan'],
      auth: READERS,
      query: slaQuerySchema,
      responses: { 200: { description: 'Laporan', schema: slaResponseSchema } },
    },
    auth,
    async (req, res) => {
      const q = parseQuery(slaQuerySchema, req.query);
      if (q.from > q.to) throw ApiError.validation([{ path: 'to', message: 'Tanggal akhir tidak boleh sebelum tanggal awal' }], 'Parameter tidak valid.');
      // Jakarta dates → [from 00:00 WIB, day after `to` 00:00 WIB).
      const from = new Date(`${q.from}T00:00:00+07:00`);
      const to = new Date(new Date(`${q.to}T00:00:00+07:00`).getTime() + 24 * 3600_000);
      if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * 24 * 3600_000) throw ApiError.validation([{ path: 'to', message: 'Periode paling panjang 2 tahun' }], 'Parameter tidak valid.');
      const now = new Date(ctx.now());
      // Per step from the rollups (current: the trigger updates them in the completing transaction);
      // per kecamatan or officer from the runs themselves (same semantics, not precomputed).
      const stepRows: SlaGroupRow[] = (await stepSlaSummary(db, q.from, q.to, now)).map((r) => ({ ...r, group: null }));
      const groupRows = q.by === 'step' ? [] : await slaGroups(db, { from, to, now, by: q.by });
      const names: Map<string, { name: string; role: Role }> = q.by === 'officer' ? await officerNames(db, [...new Set(groupRows.map((g) => g.group).filter((g): g is string => !!g && !g.startsWith('role:')))]) : new Map();
      const numbers = (r: SlaGroupRow | undefined) => ({
        count: r?.count ?? 0,
        withinStandard: r?.withinStandard ?? 0,
        completedLate: r?.completedLate ?? 0,
        openOverdue: r?.openOverdue ?? 0,
        medianMinutes: round2(r?.medianMinutes ?? null),
        p90Minutes: round2(r?.p90Minutes ?? null),
        withinStandardShare: r ? withinStandardShare(r) : null,
      });
      const groupLabel = (g: string | null): string => {
        if (!g) return '–';
        if (q.by === 'officer') {
          if (g.startsWith('role:')) return `Belum diselesaikan (peran ${ROLE_LABELS[g.slice(5) as Role] ?? g.slice(5)})`;
          const n = names.get(g);
          return n ? `${n.name} (${ROLE_LABELS[n.role]})` : g;
        }
        return g;
      };
      const byStep = new Map(stepRows.map((r) => [r.stepKey, r]));
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        from: q.from,
        to: q.to,
        until: new Date(Math.min(to.getTime(), now.getTime())).toISOString(),
        clock: config.policy.slaClock,
        clockName: clockLabel.name,
        clockExplain: clockLabel.explain,
        by: q.by,
        steps: SOP_STEPS.filter((s) => s.standardMinutes !== null && s.key !== 'SUBMISSION').map((s) => ({
          key: s.key,
          title: s.title,
          role: s.responsibleRole,
          standardMinutes: config.policy.standardMinutes[s.key],
          ...numbers(byStep.get(s.key)),
        })),
        groups: groupRows
          .filter((g) => g.stepKey !== 'SUBMISSION')
          .map((g) => ({ key: g.stepKey, title: sopStep(g.stepKey as StepKey).title, group: g.group, groupLabel: groupLabel(g.group), ...numbers(g) })),
      });
    },
  );
}
