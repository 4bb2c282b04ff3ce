/** Request and response schemas of the control room (`/api/control/…`) and the SLA report. */
import { z } from 'zod';
import { DOCUMENT_TYPES, STEP_KEYS } from '../../domain/sop.js';
import { GROBOGAN_DISTRICTS } from '../../domain/citizen.js';
import { isoDate } from '../schemas.js';

const clockKind = z.enum(['office', 'wall']);
export const clockSchema = z
  .object({
    kind: clockKind,
    name: z.string().describe('Nama jam SLA, mis. "Jam kerja kantor"'),
    unit: z.string().describe('Satuan yang ditulis setelah durasi ("jam kerja"), kosong untuk waktu kalender'),
    explain: z.string(),
    holidays: z.array(z.string()).describe('Hari libur dan cuti bersama (YYYY-MM-DD) yang tidak dihitung jam kerja'),
  })
  .meta({ id: 'SlaClockInfo', title: 'Jam SLA yang berlaku' });

export const slaGroupingSchema = z.enum(['step', 'district', 'officer'], { error: 'Pengelompokan harus step, district atau officer' });
export const slaQuerySchema = z
  .object({
    from: isoDate,
    to: isoDate,
    by: slaGroupingSchema.default('step').meta({ description: 'step = per tahap, district = per kecamatan, officer = per petugas' }),
  })
  .strict();

const slaNumbers = {
  count: z.number().int().describe('Tahap selesai dalam periode (pembatalan tidak dihitung)'),
  withinStandard: z.number().int().describe('Selesai dalam waktu baku'),
  completedLate: z.number().int().describe('Selesai melewati waktu baku'),
  openOverdue: z.number().int().describe('Masih terbuka dan sudah lewat jatuh tempo pada akhir periode'),
  medianMinutes: z.number().nullable().describe('Median menit terhitung (jam SLA) dari tahap yang selesai'),
  p90Minutes: z.number().nullable(),
  withinStandardShare: z.number().nullable().describe('Selesai dalam waktu baku / (selesai yang punya waktu baku + masih terbuka dan terlambat)'),
};

export const slaResponseSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    until: z.string().describe('Akhir periode yang dihitung (dibatasi saat ini), ISO'),
    clock: clockKind,
    clockName: z.string(),
    clockExplain: z.string(),
    by: slaGroupingSchema,
    steps: z.array(z.object({ key: z.enum(STEP_KEYS), title: z.string(), role: z.string().nullable(), standardMinutes: z.number().nullable(), ...slaNumbers })),
    groups: z
      .array(
        z.object({
          key: z.enum(STEP_KEYS),
          title: z.string(),
          group: z.string().nullable(),
          groupLabel: z.string().describe('Nama kecamatan, nama petugas, atau "Belum diselesaikan (peran …)"'),
          ...slaNumbers,
        }),
      )
      .describe('Per tahap dan kecamatan atau petugas (kosong untuk by=step)'),
  })
  .meta({ id: 'SlaReport' });

export const boardResponseSchema = z
  .object({
    at: z.string(),
    districts: z.array(z.string()),
    awaitingResubmission: z.number().int(),
    totals: z.object({ open: z.number().int(), overdue: z.number().int(), escalated: z.number().int() }),
    cells: z.array(z.object({ step: z.enum(STEP_KEYS), district: z.string(), open: z.number().int(), overdue: z.number().int(), escalated: z.number().int() })),
  })
  .meta({ id: 'ControlBoard', title: 'Papan kendali: tahap × kecamatan' });

export const controlCasesQuerySchema = z
  .object({
    step: z.enum(STEP_KEYS, { error: 'Tahap tidak dikenal' }).optional(),
    district: z.enum(GROBOGAN_DISTRICTS, { error: 'Kecamatan tidak dikenal' }).optional(),
    filter: z.enum(['open', 'overdue', 'escalated'], { error: 'Saringan harus open, overdue atau escalated' }).default('open'),
    limit: z.coerce.number({ error: 'Batas harus berupa angka' }).int().min(1, { error: 'Batas minimal 1' }).max(200, { error: 'Batas maksimal 200' }).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

const caseItem = {
  registrationNumber: z.string(),
  documentType: z.enum(DOCUMENT_TYPES),
  district: z.string(),
  currentStep: z.enum(STEP_KEYS),
  stepStartedAt: z.string().nullable(),
  stepDueAt: z.string().nullable(),
  overdue: z.boolean(),
  escalationLevel: z.number().int(),
  waitingFor: z.string().nullable(),
  lateMinutes: z.number().nullable().describe('Menit terlambat pada jam SLA (null bila belum terlambat)'),
  lateText: z.string().describe('"terlambat 14 menit jam kerja" atau "sisa 2 jam jam kerja"'),
};

export const controlCasesResponseSchema = z
  .object({ items: z.array(z.object(caseItem)), nextCursor: z.string().nullable() })
  .meta({ id: 'ControlCases' });

export const escalationsQuerySchema = z
  .object({ limit: z.coerce.number({ error: 'Batas harus berupa angka' }).int().min(1).max(200).default(100) })
  .strict();

export const escalationsResponseSchema = z
  .object({
    role: z.string(),
    count: z.number().int(),
    items: z.array(z.object({ ...caseItem, level: z.number().int(), escalatedAt: z.string(), escalatedStep: z.enum(STEP_KEYS) })),
  })
  .meta({ id: 'MyEscalations', title: 'Eskalasi untuk saya' });

export const escalationCountSchema = z.object({ count: z.number().int() }).meta({ id: 'MyEscalationCount' });
