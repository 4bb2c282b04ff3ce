/**
 * Durations and due times as people read them, on the one SLA clock, named.
 *
 * "2 jam 5 menit jam kerja", "terlambat 14 menit jam kerja", "1 hari kerja 3 jam", "Senin 07.30
 * WIB" (dates in full: domain/indonesian-date.ts). Used by the API (reports) and, through `domain/browser.ts`, by every console screen,
 * so the console never shows "sisa 7:52:40" or "0 d / 6 d" again.
 *
 * Pure: no Intl, no current time (callers pass `now`), no I/O.
 */
import type { SlaClock, SlaClockKind } from './calendar.js';
import { INDONESIAN_WEEKDAYS, indonesianDateTime } from './indonesian-date.js';

/** Office minutes in one office day (Perpres 21/2023: 37.5 hours over five days). */
export const OFFICE_DAY_MINUTES = 450;

/** The SLA clock, named as staff read it (reports say which clock their minutes are on). */
export const SLA_CLOCK_LABELS: Readonly<Record<SlaClockKind, { name: string; unit: string; explain: string }>> = {
  office: {
    name: 'Jam kerja kantor',
    unit: 'jam kerja',
    explain: 'Waktu dihitung hanya pada jam kerja: Senin–Kamis 07.30–16.00 (istirahat 12.00–13.00), Jumat 07.30–16.30 (istirahat 11.30–13.00), tanpa hari libur nasional dan cuti bersama.',
  },
  wall: {
    name: 'Waktu kalender',
    unit: '',
    explain: 'Waktu dihitung terus-menerus, 24 jam sehari, termasuk malam, akhir pekan dan hari libur.',
  },
};

const JAKARTA_OFFSET_MS = 7 * 60 * 60 * 1000;
const pad2 = (n: number) => String(n).padStart(2, '0');

function jakartaParts(t: number | Date | string) {
  const ms = typeof t === 'number' ? t : new Date(t).getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid time: ${String(t)}`);
  const j = new Date(ms + JAKARTA_OFFSET_MS);
  return { y: j.getUTCFullYear(), m: j.getUTCMonth(), d: j.getUTCDate(), wd: j.getUTCDay(), hh: j.getUTCHours(), mm: j.getUTCMinutes() };
}

/** "Senin 07.30 WIB" when `t` is within the coming week of `now`, else "3 Desember 2026 07.30 WIB". */
export function formatNearTime(t: number, now: number): string {
  const p = jakartaParts(t);
  const q = jakartaParts(now);
  const sameDay = p.y === q.y && p.m === q.m && p.d === q.d;
  if (sameDay) return `pukul ${pad2(p.hh)}.${pad2(p.mm)} WIB`;
  if (t > now && t - now < 6 * 24 * 3600_000) return `${INDONESIAN_WEEKDAYS[p.wd]} ${pad2(p.hh)}.${pad2(p.mm)} WIB`;
  return indonesianDateTime(t);
}

export interface DurationOptions {
  /** The clock the minutes were counted on (default 'wall'). Office minutes say "jam kerja" / "hari kerja". */
  clock?: SlaClockKind;
  /** Office clock only: add "jam kerja" after hours and minutes (default true). */
  unit?: boolean;
}

/**
 * Minutes as words: "45 detik", "14 menit", "2 jam 5 menit", "3 hari 2 jam" (wall) or
 * "2 jam 5 menit jam kerja", "1 hari kerja 3 jam" (office; a day of office time is 7.5 hours).
 * Null or not a number → "–".
 */
export function formatDuration(minutes: number | null | undefined, opts: DurationOptions = {}): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(Number(minutes))) return '–';
  const clock = opts.clock ?? 'wall';
  const m = Math.max(0, Number(minutes));
  const suffix = clock === 'office' && opts.unit !== false ? ' jam kerja' : '';
  if (m < 1) {
    const s = Math.round(m * 60);
    return s === 0 ? `0 menit${suffix}` : `${s} detik${suffix}`;
  }
  const dayMinutes = clock === 'office' ? OFFICE_DAY_MINUTES : 24 * 60;
  const total = Math.round(m);
  if (total >= dayMinutes) {
    const days = Math.floor(total / dayMinutes);
    const hours = Math.round((total - days * dayMinutes) / 60);
    const dayWord = clock === 'office' ? 'hari kerja' : 'hari';
    // Hours that round up to a full day are shown as the next day.
    if (hours * 60 >= dayMinutes) return `${days + 1} ${dayWord}`;
    return hours > 0 ? `${days} ${dayWord} ${hours} jam` : `${days} ${dayWord}`;
  }
  const hours = Math.floor(total / 60);
  const rest = total - hours * 60;
  const text = hours > 0 ? (rest > 0 ? `${hours} jam ${rest} menit` : `${hours} jam`) : `${rest} menit`;
  return `${text}${suffix}`;
}

export interface DueState {
  /** "sisa 2 jam 5 menit jam kerja", "terlambat 14 menit jam kerja", "jatuh tempo sekarang". */
  text: string;
  late: boolean;
  /** Counted minutes left (>= 0) or late (> 0). */
  minutes: number;
  /** The office clock is not counting now (night, weekend, holiday): when it counts again. */
  resumesAt: number | null;
  /** " · dihitung lagi Senin 07.30 WIB" when paused, else ''. */
  pausedNote: string;
}

/**
 * How a due time stands at `now`, counted on the SLA clock: the time left or how late, in words.
 * Office time stops at night, so a step due at 08.00 tomorrow is "sisa 30 menit jam kerja" at
 * 23.40, and a step that was due at 15.55 is "terlambat 5 menit jam kerja" until 07.30 next day.
 */
export function describeDue(dueMs: number, now: number, clock: SlaClock): DueState {
  const late = now > dueMs;
  const minutes = late ? clock.minutesBetween(dueMs, now) : clock.minutesBetween(now, dueMs);
  const paused = clock.kind === 'office' && !clock.isCounting(now);
  const resumesAt = paused ? clock.nextCounting(now) : null;
  const pausedNote = resumesAt !== null ? ` · dihitung lagi ${formatNearTime(resumesAt, now)}` : '';
  const opts: DurationOptions = { clock: clock.kind };
  let text: string;
  if (late) text = minutes < 1 ? `terlambat kurang dari 1 menit${clock.kind === 'office' ? ' jam kerja' : ''}` : `terlambat ${formatDuration(Math.floor(minutes), opts)}`;
  else if (minutes < 1 / 60) text = 'jatuh tempo sekarang';
  else text = `sisa ${formatDuration(Math.max(1, Math.ceil(minutes)), opts)}`;
  return { text, late, minutes, resumesAt, pausedNote };
}

/** "Tingkat 2 (Kepala Bidang)" */
export function escalationText(level: number, roleLabel: string | null): string {
  return roleLabel ? `Tingkat ${level} (${roleLabel})` : `Tingkat ${level}`;
}
