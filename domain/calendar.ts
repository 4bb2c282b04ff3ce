/**
 * Office calendar and SLA clock (SPEC §2).
 *
 * Office time: Monday–Friday from 07:30 Asia/Jakarta, 37.5 hours a week (Perpres 21/2023):
 * Mon–Thu 07:30–16:00 with a 12:00–13:00 break, Fri 07:30–16:30 with an 11:30–13:00 break,
 * minus national holidays and cuti bersama (a yearly configurable list of `YYYY-MM-DD`).
 * `SLA_CLOCK=wall` counts plain elapsed time instead.
 *
 * Pure and deterministic: imported by Temporal workflow code. No Node built-ins, no `Intl`,
 * no current time, no I/O. Asia/Jakarta is UTC+7 without DST, so local time is computed with
 * a fixed offset and the civil calendar with integer arithmetic. Instants are epoch
 * milliseconds (`number`); inputs may also be `Date` objects.
 *
 * Counted time is made of half-open office periods [open, close): 07:30 counts, 12:00 does not.
 */
import { DEFAULT_HOLIDAYS } from './holidays.js';

export type DateInput = number | Date;

/** One stretch of office time within a day, as local 'HH:MM' (end may be '24:00'). */
export interface OfficePeriod {
  start: string;
  end: string;
}

/** Office periods per weekday (0 = Sunday … 6 = Saturday), sorted, non-overlapping. */
export type WeekSchedule = Readonly<Record<0 | 1 | 2 | 3 | 4 | 5 | 6, readonly OfficePeriod[]>>;

export type SlaClockKind = 'office' | 'wall';

export interface OfficeClockOptions {
  /** `YYYY-MM-DD` dates without office time; default {@link DEFAULT_HOLIDAYS}. */
  holidays?: readonly string[];
  /** Default {@link DEFAULT_WEEK_SCHEDULE}. */
  schedule?: WeekSchedule;
}

export interface SlaClock {
  readonly kind: SlaClockKind;
  /**
   * The instant when `minutes` of counted time have elapsed after `start` (decimals allowed;
   * resolved to whole milliseconds). If start is outside office time, counting begins at the
   * next opening. It is the earliest such instant: a span that ends exactly at a closing time
   * (e.g. 12:00) returns that closing time, and `minutes = 0` returns `start` unchanged.
   */
  addMinutes(start: DateInput, minutes: number): number;
  /** Counted minutes between a and b (0 if b <= a); may be fractional. */
  minutesBetween(a: DateInput, b: DateInput): number;
  /** True if t is inside office time (always true for wall). */
  isCounting(t: DateInput): boolean;
  /** The first instant >= t at which the clock counts: t itself if counting (always t for wall). */
  nextCounting(t: DateInput): number;
}

export const JAKARTA_UTC_OFFSET_MS = 7 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Upper bound for a span given to addMinutes: 100 years of wall minutes. */
const MAX_MINUTES = 100 * 365 * 24 * 60;

const MON_THU: readonly OfficePeriod[] = Object.freeze([
  Object.freeze({ start: '07:30', end: '12:00' }),
  Object.freeze({ start: '13:00', end: '16:00' }),
]);
const FRIDAY: readonly OfficePeriod[] = Object.freeze([
  Object.freeze({ start: '07:30', end: '11:30' }),
  Object.freeze({ start: '13:00', end: '16:30' }),
]);
const CLOSED: readonly OfficePeriod[] = Object.freeze([]);

/** Perpres 21/2023 five-day week: 4 × 7.5 h + 7.5 h = 37.5 h. */
export const DEFAULT_WEEK_SCHEDULE: WeekSchedule = Object.freeze({
  0: CLOSED,
  1: MON_THU,
  2: MON_THU,
  3: MON_THU,
  4: MON_THU,
  5: FRIDAY,
  6: CLOSED,
});

// ─── civil calendar (proleptic Gregorian, integer arithmetic) ───────────────────────────

/** Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): { y: number; m: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d };
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number (days since 1970-01-01) of a real `YYYY-MM-DD` date, or an error message. */
function parseDay(value: unknown): number | string {
  if (typeof value !== 'string') return `expected a 'YYYY-MM-DD' string, got ${describe(value)}`;
  const match = DATE_RE.exec(value);
  if (!match) return `${describe(value)} is not in 'YYYY-MM-DD' format`;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12) return `${describe(value)} is not a real date (month ${match[2]} does not exist)`;
  const dim = daysInMonth(y, m);
  if (d < 1 || d > dim) {
    return `${describe(value)} is not a real date (${match[1]}-${match[2]} has ${dim} days)`;
  }
  return daysFromCivil(y, m, d);
}

function dayOf(date: string, what = 'date'): number {
  const day = parseDay(date);
  if (typeof day === 'string') throw new RangeError(`Invalid ${what}: ${day}`);
  return day;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function formatDay(day: number): string {
  const { y, m, d } = civilFromDays(day);
  const yyyy = y >= 0 && y < 10000 ? String(y).padStart(4, '0') : String(y);
  return `${yyyy}-${pad2(m)}-${pad2(d)}`;
}

/** Jakarta-local day number of an instant. */
function dayNumber(ms: number): number {
  return Math.floor((ms + JAKARTA_UTC_OFFSET_MS) / DAY_MS);
}

/** Epoch ms of 00:00 Asia/Jakarta on a day number. */
function dayStart(day: number): number {
  return day * DAY_MS - JAKARTA_UTC_OFFSET_MS;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function toMs(t: DateInput, what: string): number {
  let ms: number;
  if (typeof t === 'number') ms = t;
  else if (t instanceof Date) ms = t.getTime();
  else throw new TypeError(`Invalid ${what}: expected epoch milliseconds or a Date, got ${describe(t)}`);
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid ${what}: ${String(t)} is not a valid instant`);
  return ms;
}

function minutesToMs(minutes: number): number {
  if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`Invalid minutes: expected a finite number >= 0, got ${describe(minutes)}`);
  }
  if (minutes > MAX_MINUTES) throw new RangeError(`Invalid minutes: ${minutes} is more than 100 years`);
  return Math.round(minutes * MINUTE_MS);
}

// ─── public date helpers ─────────────────────────────────────────────────────────────────

/** 'YYYY-MM-DD' of an instant in Asia/Jakarta. */
export function jakartaDate(t: DateInput): string {
  return formatDay(dayNumber(toMs(t, 'time')));
}

/** 'YYYY-MM-DD HH:MM' of an instant in Asia/Jakarta (seconds truncated). */
export function jakartaDateTime(t: DateInput): string {
  const ms = toMs(t, 'time');
  const day = dayNumber(ms);
  const minuteOfDay = Math.floor((ms - dayStart(day)) / MINUTE_MS);
  return `${formatDay(day)} ${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`;
}

/** Epoch ms of a local Asia/Jakarta wall time, e.g. `jakartaInstant('2026-01-09', '15:58')`. */
export function jakartaInstant(date: string, time = '00:00'): number {
  const minute = parseClockTime(time, true);
  if (typeof minute === 'string') throw new RangeError(`Invalid time: ${minute}`);
  return dayStart(dayOf(date)) + minute * MINUTE_MS;
}

/** Weekday of a `YYYY-MM-DD` date: 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): 0 | 1 | 2 | 3 | 4 | 5 | 6 {
  return weekdayOf(dayOf(date)) as 0 | 1 | 2 | 3 | 4 | 5 | 6;
}

/**
 * Validates a list of holiday dates (config's `HOLIDAYS` override): an array of real
 * `YYYY-MM-DD` strings. Returns a sorted copy without duplicates; throws otherwise.
 */
export function parseHolidayList(input: unknown): string[] {
  if (!Array.isArray(input)) {
    throw new TypeError(`Holiday list must be an array of 'YYYY-MM-DD' dates, got ${describe(input)}`);
  }
  const out = new Set<string>();
  input.forEach((value: unknown, i) => {
    const day = parseDay(value);
    if (typeof day === 'string') throw new RangeError(`Holiday list entry #${i + 1}: ${day}`);
    out.add(value as string);
  });
  return [...out].sort();
}

// ─── week schedule ───────────────────────────────────────────────────────────────────────

/** Office periods of one weekday as [startMs, endMs) offsets from local midnight. */
type CompiledWeek = readonly (readonly (readonly [number, number])[])[];

const CLOCK_RE = /^(\d{2}):(\d{2})$/;

/** Minutes after midnight of 'HH:MM' (00:00–23:59, or 24:00 when allowed), or an error message. */
function parseClockTime(value: unknown, allowMidnightEnd: boolean): number | string {
  const match = typeof value === 'string' ? CLOCK_RE.exec(value) : null;
  if (!match) return `${describe(value)} is not an 'HH:MM' time`;
  const h = Number(match[1]);
  const m = Number(match[2]);
  if (h === 24 && m === 0 && allowMidnightEnd) return 24 * 60;
  if (h > 23 || m > 59) return `${describe(value)} is not a valid time of day`;
  return h * 60 + m;
}

const compiledSchedules = new WeakMap<object, CompiledWeek>();

function compileSchedule(schedule: WeekSchedule): CompiledWeek {
  if (typeof schedule !== 'object' || schedule === null) {
    throw new TypeError(`Invalid office schedule: expected an object keyed by weekday 0–6, got ${describe(schedule)}`);
  }
  const cached = compiledSchedules.get(schedule);
  if (cached) return cached;
  const week: (readonly [number, number])[][] = [];
  let total = 0;
  for (let wd = 0; wd < 7; wd++) {
    const periods: unknown = (schedule as Record<number, unknown>)[wd];
    if (!Array.isArray(periods)) throw new TypeError(`Invalid office schedule: weekday ${wd} must be an array of periods`);
    const compiled: (readonly [number, number])[] = [];
    let previousEnd = -1;
    for (const p of periods as unknown[]) {
      const period = (typeof p === 'object' && p !== null ? p : {}) as Partial<OfficePeriod>;
      const start = parseClockTime(period.start, false);
      const end = parseClockTime(period.end, true);
      if (typeof start === 'string') throw new RangeError(`Invalid office schedule (weekday ${wd}): start ${start}`);
      if (typeof end === 'string') throw new RangeError(`Invalid office schedule (weekday ${wd}): end ${end}`);
      if (end <= start) throw new RangeError(`Invalid office schedule (weekday ${wd}): period ${period.start}–${period.end} ends before it starts`);
      if (start < previousEnd) {
        throw new RangeError(`Invalid office schedule (weekday ${wd}): periods must be sorted and must not overlap (${period.start}–${period.end})`);
      }
      previousEnd = end;
      total += end - start;
      compiled.push(Object.freeze([start * MINUTE_MS, end * MINUTE_MS] as const));
    }
    week.push(compiled);
  }
  if (total === 0) throw new RangeError('Invalid office schedule: it has no office time at all');
  const frozen = Object.freeze(week.map((d) => Object.freeze(d)));
  compiledSchedules.set(schedule, frozen);
  return frozen;
}

/** Office minutes in a normal week (no holidays): 2250 (37.5 h) for the default schedule. */
export function weeklyOfficeMinutes(schedule: WeekSchedule = DEFAULT_WEEK_SCHEDULE): number {
  let ms = 0;
  for (const day of compileSchedule(schedule)) for (const [s, e] of day) ms += e - s;
  return ms / MINUTE_MS;
}

/**
 * Whether a `YYYY-MM-DD` date has office time: a weekday with office periods that is not
 * in the holiday list.
 */
export function isOfficeDay(
  date: string,
  holidays: readonly string[] = DEFAULT_HOLIDAYS,
  schedule: WeekSchedule = DEFAULT_WEEK_SCHEDULE,
): boolean {
  const day = dayOf(date);
  return compileSchedule(schedule)[weekdayOf(day)].length > 0 && !holidays.includes(date);
}

/** Epoch ms of the day's opening time; null if there is no office that weekday (holidays ignored). */
export function officeDayStart(date: string, schedule: WeekSchedule = DEFAULT_WEEK_SCHEDULE): number | null {
  const day = dayOf(date);
  const periods = compileSchedule(schedule)[weekdayOf(day)];
  return periods.length === 0 ? null : dayStart(day) + periods[0][0];
}

/** Epoch ms of the day's closing time; null if there is no office that weekday (holidays ignored). */
export function officeDayEnd(date: string, schedule: WeekSchedule = DEFAULT_WEEK_SCHEDULE): number | null {
  const day = dayOf(date);
  const periods = compileSchedule(schedule)[weekdayOf(day)];
  return periods.length === 0 ? null : dayStart(day) + periods[periods.length - 1][1];
}

/**
 * When the next office day after the one of `t` opens (Asia/Jakarta), skipping weekends and
 * `holidays`: a failed delivery is tried again then.
 */
export function nextOfficeDayStart(t: DateInput, holidays: readonly string[] = DEFAULT_HOLIDAYS, schedule: WeekSchedule = DEFAULT_WEEK_SCHEDULE): number {
  let date = jakartaDate(t);
  for (let i = 0; i < 60; i++) {
    date = jakartaDate(jakartaInstant(date, '12:00') + 24 * 60 * 60 * 1000);
    const start = officeDayStart(date, schedule);
    if (start !== null && isOfficeDay(date, holidays, schedule)) return start;
  }
  throw new Error('no office day within 60 days');
}

/** The first instant >= t inside office time (t itself if the office is open at t). */
export function nextOfficeOpen(t: DateInput, opts?: OfficeClockOptions): number {
  return (opts ? createOfficeClock(opts) : defaultOfficeClock()).nextCounting(t);
}

// ─── clocks ──────────────────────────────────────────────────────────────────────────────

let cachedDefaultOfficeClock: SlaClock | undefined;
function defaultOfficeClock(): SlaClock {
  cachedDefaultOfficeClock ??= createOfficeClock();
  return cachedDefaultOfficeClock;
}

/** Office-time clock: counts only office periods on non-holiday days. Costs O(calendar days spanned). */
export function createOfficeClock(opts: OfficeClockOptions = {}): SlaClock {
  const week = compileSchedule(opts.schedule ?? DEFAULT_WEEK_SCHEDULE);
  const holidays = new Set(parseHolidayList(opts.holidays ?? DEFAULT_HOLIDAYS).map((d) => dayOf(d)));

  const periodsOn = (day: number): readonly (readonly [number, number])[] =>
    holidays.has(day) ? [] : week[weekdayOf(day)];

  return Object.freeze({
    kind: 'office' as const,

    addMinutes(start: DateInput, minutes: number): number {
      const t = toMs(start, 'start');
      let remaining = minutesToMs(minutes);
      if (remaining === 0) return t;
      // One iteration per calendar day; the schedule has office time every week and the
      // holiday list is finite, so this terminates.
      for (let day = dayNumber(t); ; day++) {
        const base = dayStart(day);
        for (const [s, e] of periodsOn(day)) {
          const close = base + e;
          if (close <= t) continue;
          const from = Math.max(base + s, t);
          const available = close - from;
          if (remaining <= available) return from + remaining;
          remaining -= available;
        }
      }
    },

    minutesBetween(a: DateInput, b: DateInput): number {
      const ta = toMs(a, 'start');
      const tb = toMs(b, 'end');
      if (tb <= ta) return 0;
      let counted = 0;
      const last = dayNumber(tb);
      for (let day = dayNumber(ta); day <= last; day++) {
        const base = dayStart(day);
        for (const [s, e] of periodsOn(day)) {
          const overlap = Math.min(base + e, tb) - Math.max(base + s, ta);
          if (overlap > 0) counted += overlap;
        }
      }
      return counted / MINUTE_MS;
    },

    isCounting(t: DateInput): boolean {
      const ms = toMs(t, 'time');
      const day = dayNumber(ms);
      const offset = ms - dayStart(day);
      return periodsOn(day).some(([s, e]) => offset >= s && offset < e);
    },

    nextCounting(t: DateInput): number {
      const ms = toMs(t, 'time');
      for (let day = dayNumber(ms); ; day++) {
        const base = dayStart(day);
        for (const [s, e] of periodsOn(day)) {
          if (base + e > ms) return Math.max(base + s, ms);
        }
      }
    },
  });
}

/** Wall clock: plain elapsed time, every instant counts. */
export function createWallClock(): SlaClock {
  return Object.freeze({
    kind: 'wall' as const,
    addMinutes(start: DateInput, minutes: number): number {
      return toMs(start, 'start') + minutesToMs(minutes);
    },
    minutesBetween(a: DateInput, b: DateInput): number {
      const ta = toMs(a, 'start');
      const tb = toMs(b, 'end');
      return tb <= ta ? 0 : (tb - ta) / MINUTE_MS;
    },
    isCounting(t: DateInput): boolean {
      toMs(t, 'time');
      return true;
    },
    nextCounting(t: DateInput): number {
      return toMs(t, 'time');
    },
  });
}

/** The clock named by `SLA_CLOCK` ('office' by default in config); options apply to 'office'. */
export function createSlaClock(kind: SlaClockKind, opts?: OfficeClockOptions): SlaClock {
  if (kind === 'office') return createOfficeClock(opts);
  if (kind === 'wall') return createWallClock();
  throw new RangeError(`Invalid SLA clock kind ${describe(kind)}: expected 'office' or 'wall'`);
}
