import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WEEK_SCHEDULE,
  JAKARTA_UTC_OFFSET_MS,
  createOfficeClock,
  createSlaClock,
  createWallClock,
  dayOfWeek,
  isOfficeDay,
  jakartaDate,
  jakartaDateTime,
  jakartaInstant,
  nextOfficeOpen,
  officeDayEnd,
  officeDayStart,
  parseHolidayList,
  weeklyOfficeMinutes,
  type WeekSchedule,
} from '../../domain/calendar.js';
import { DEFAULT_HOLIDAYS } from '../../domain/holidays.js';
import { seededRandom } from '../helpers/prng.js';

// Expected instants are written as ISO strings with the +07:00 offset and parsed by the
// platform, independently of the module under test.
const at = (date: string, time: string): number => {
  const ms = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}+07:00`);
  if (Number.isNaN(ms)) throw new Error(`bad test instant ${date} ${time}`);
  return ms;
};
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Readable failure messages: compare instants as Jakarta wall time. */
const local = (ms: number): string => new Date(ms + 7 * HOUR).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');

const office = createOfficeClock(); // DEFAULT_HOLIDAYS
const noHolidays = createOfficeClock({ holidays: [] });
const wall = createWallClock();

const rng = seededRandom;

/**
 * Independent brute-force reference: steps minute by minute, with the SPEC §2 rules hard-coded
 * and the weekday/date read through the platform's UTC getters shifted by +7 h.
 */
function referenceCounts(t: number, holidays: ReadonlySet<string>): boolean {
  const d = new Date(t + 7 * HOUR);
  if (holidays.has(d.toISOString().slice(0, 10))) return false;
  const wd = d.getUTCDay();
  const m = d.getUTCHours() * 60 + d.getUTCMinutes();
  if (wd >= 1 && wd <= 4) return (m >= 450 && m < 720) || (m >= 780 && m < 960);
  if (wd === 5) return (m >= 450 && m < 690) || (m >= 780 && m < 990);
  return false;
}
function referenceAddMinutes(start: number, minutes: number, holidays: ReadonlySet<string>): number {
  let t = start;
  let counted = 0;
  while (counted < minutes) {
    if (referenceCounts(t, holidays)) counted++;
    t += MIN;
  }
  return t;
}

describe('week schedule (Perpres 21/2023)', () => {
  it('default schedule: Mon–Thu 07:30–12:00 + 13:00–16:00, Fri 07:30–11:30 + 13:00–16:30, no weekend', () => {
    expect(DEFAULT_WEEK_SCHEDULE[0]).toEqual([]);
    for (const wd of [1, 2, 3, 4] as const) {
      expect(DEFAULT_WEEK_SCHEDULE[wd]).toEqual([
        { start: '07:30', end: '12:00' },
        { start: '13:00', end: '16:00' },
      ]);
    }
    expect(DEFAULT_WEEK_SCHEDULE[5]).toEqual([
      { start: '07:30', end: '11:30' },
      { start: '13:00', end: '16:30' },
    ]);
    expect(DEFAULT_WEEK_SCHEDULE[6]).toEqual([]);
    expect(Object.isFrozen(DEFAULT_WEEK_SCHEDULE)).toBe(true);
  });

  it('default schedule totals 37.5 h (2250 min) per week', () => {
    expect(weeklyOfficeMinutes()).toBe(2250);
    expect(weeklyOfficeMinutes(DEFAULT_WEEK_SCHEDULE)).toBe(37.5 * 60);
  });

  it('each weekday Mon–Fri counts exactly 7.5 h (450 min); Saturday and Sunday count 0', () => {
    // 2026-01-12 is a Monday; the week has no holiday.
    const days = ['2026-01-12', '2026-01-13', '2026-01-14', '2026-01-15', '2026-01-16', '2026-01-17', '2026-01-18'];
    const counted = days.map((d) => noHolidays.minutesBetween(at(d, '00:00'), at(d, '00:00') + DAY));
    expect(counted).toEqual([450, 450, 450, 450, 450, 0, 0]);
  });

  it('a normal week (Monday 00:00 → next Monday 00:00, no holiday) counts 37.5 h', () => {
    expect(office.minutesBetween(at('2026-01-19', '00:00'), at('2026-01-26', '00:00'))).toBe(2250);
    expect(office.minutesBetween(at('2025-10-06', '00:00'), at('2025-10-13', '00:00')) / 60).toBe(37.5);
  });

  it('any 7 × 24 h window without holidays counts 37.5 h, wherever it starts', () => {
    const rand = rng(7);
    for (let i = 0; i < 500; i++) {
      const s = at('2025-01-01', '00:00') + Math.floor(rand() * 3 * 365 * DAY);
      expect(noHolidays.minutesBetween(s, s + 7 * DAY)).toBe(2250);
    }
    // 2026-06-17 … 2026-08-16 has no national holiday or cuti bersama.
    for (let i = 0; i < 200; i++) {
      const s = at('2026-06-17', '00:00') + Math.floor(rand() * 53 * DAY);
      expect(office.minutesBetween(s, s + 7 * DAY)).toBe(2250);
    }
  });

  it('four consecutive normal weeks count 4 × 37.5 h = 150 h', () => {
    expect(office.minutesBetween(at('2026-07-06', '00:00'), at('2026-08-03', '00:00'))).toBe(150 * 60);
  });
});

describe('office clock addMinutes: start inside office time', () => {
  it('start inside the morning period: Mon 08:00 + 30 min → Mon 08:30', () => {
    expect(office.addMinutes(at('2026-01-12', '08:00'), 30)).toBe(at('2026-01-12', '08:30'));
  });

  it('start inside the afternoon period: Wed 14:10 + 45 min → Wed 14:55', () => {
    expect(office.addMinutes(at('2026-01-14', '14:10'), 45)).toBe(at('2026-01-14', '14:55'));
  });

  it('start exactly at opening 07:30 counts from the first millisecond: + 1 min → 07:31', () => {
    expect(office.addMinutes(at('2026-01-13', '07:30'), 1)).toBe(at('2026-01-13', '07:31'));
  });

  it('a span ending exactly at closing returns the closing instant: Mon 15:55 + 5 min → Mon 16:00', () => {
    expect(office.addMinutes(at('2026-01-12', '15:55'), 5)).toBe(at('2026-01-12', '16:00'));
  });

  it('a span ending exactly at the start of the break returns 12:00, not 13:00', () => {
    expect(office.addMinutes(at('2026-01-12', '11:50'), 10)).toBe(at('2026-01-12', '12:00'));
  });

  it('a span crossing closing continues next morning: Mon 15:50 + 30 min → Tue 07:50', () => {
    expect(office.addMinutes(at('2026-01-12', '15:50'), 30)).toBe(at('2026-01-13', '07:50'));
  });

  it('Mon–Thu step at 15:58 with 5 min → next day 07:33 (Thu 2026-01-08 → Fri 2026-01-09)', () => {
    expect(office.addMinutes(at('2026-01-08', '15:58'), 5)).toBe(at('2026-01-09', '07:33'));
  });

  it('a whole office day (450 min) from Tue 07:30 ends Tue 16:00', () => {
    expect(office.addMinutes(at('2026-01-13', '07:30'), 450)).toBe(at('2026-01-13', '16:00'));
  });

  it('accepts a Date as start and returns epoch milliseconds', () => {
    const due = office.addMinutes(new Date(at('2026-01-12', '08:00')), 15);
    expect(typeof due).toBe('number');
    expect(due).toBe(at('2026-01-12', '08:15'));
  });
});

describe('office clock addMinutes: start outside office time', () => {
  it('start in the evening counts from next morning 07:30: Mon 19:00 + 10 min → Tue 07:40', () => {
    expect(office.addMinutes(at('2026-01-12', '19:00'), 10)).toBe(at('2026-01-13', '07:40'));
  });

  it('start exactly at closing 16:00 (Mon–Thu) counts from next morning: + 1 min → 07:31', () => {
    expect(office.addMinutes(at('2026-01-12', '16:00'), 1)).toBe(at('2026-01-13', '07:31'));
  });

  it('start one second before midnight: Tue 23:59:59 + 5 min → Wed 07:35', () => {
    expect(office.addMinutes(at('2026-01-13', '23:59:59'), 5)).toBe(at('2026-01-14', '07:35'));
  });

  it('start early in the morning counts from 07:30 the same day: Mon 06:00 + 10 min → Mon 07:40', () => {
    expect(office.addMinutes(at('2026-01-12', '06:00'), 10)).toBe(at('2026-01-12', '07:40'));
  });

  it('start at local midnight (17:00 UTC of the previous day) counts from 07:30', () => {
    expect(office.addMinutes(Date.parse('2026-01-11T17:00:00Z'), 1)).toBe(at('2026-01-12', '07:31'));
  });
});

describe('office clock addMinutes: lunch break', () => {
  it('Mon–Thu: start during the 12:00–13:00 break counts from 13:00: Tue 12:15 + 10 min → 13:10', () => {
    expect(office.addMinutes(at('2026-01-13', '12:15'), 10)).toBe(at('2026-01-13', '13:10'));
  });

  it('Mon–Thu: start at exactly 12:00 counts from 13:00: Wed 12:00 + 1 min → 13:01', () => {
    expect(office.addMinutes(at('2026-01-14', '12:00'), 1)).toBe(at('2026-01-14', '13:01'));
  });

  it('Mon–Thu: a span crossing the break skips it: Tue 11:55 + 10 min → 13:05', () => {
    expect(office.addMinutes(at('2026-01-13', '11:55'), 10)).toBe(at('2026-01-13', '13:05'));
  });

  it('Mon–Thu: 11:40 is still office time: Thu 11:40 + 10 min → Thu 11:50', () => {
    expect(office.addMinutes(at('2026-01-15', '11:40'), 10)).toBe(at('2026-01-15', '11:50'));
  });

  it('Friday: the break starts at 11:30, so Fri 11:40 + 10 min → Fri 13:10', () => {
    expect(office.addMinutes(at('2026-01-09', '11:40'), 10)).toBe(at('2026-01-09', '13:10'));
  });

  it('Friday: a span crossing the 11:30–13:00 break skips 90 min: Fri 11:25 + 10 min → 13:05', () => {
    expect(office.addMinutes(at('2026-01-09', '11:25'), 10)).toBe(at('2026-01-09', '13:05'));
  });

  it('Friday: start at exactly 11:30 counts from 13:00; 12:59 + 2 min → 13:02', () => {
    expect(office.addMinutes(at('2026-01-09', '11:30'), 1)).toBe(at('2026-01-09', '13:01'));
    expect(office.addMinutes(at('2026-01-09', '12:59'), 2)).toBe(at('2026-01-09', '13:02'));
  });
});

describe('office clock addMinutes: Friday and weekend', () => {
  it('Friday closes at 16:30 (SPEC §2): a 5-min step started Fri 15:58 is due the same Friday 16:03', () => {
    expect(office.addMinutes(at('2026-01-09', '15:58'), 5)).toBe(at('2026-01-09', '16:03'));
  });

  it('a 5-min step started Fri 16:28 (2 min before closing) is due Monday 07:33 (Fri 2026-01-09 → Mon 2026-01-12)', () => {
    expect(isOfficeDay('2026-01-12')).toBe(true);
    expect(office.addMinutes(at('2026-01-09', '16:28'), 5)).toBe(at('2026-01-12', '07:33'));
  });

  it('start at Friday closing 16:30 + 1 min → Monday 07:31', () => {
    expect(office.addMinutes(at('2026-01-09', '16:30'), 1)).toBe(at('2026-01-12', '07:31'));
  });

  it('Friday 16:00 + 60 min counts 30 min on Friday and 30 on Monday → Mon 08:00', () => {
    expect(office.addMinutes(at('2026-01-09', '16:00'), 60)).toBe(at('2026-01-12', '08:00'));
  });

  it('start on Saturday counts from Monday 07:30: Sat 10:00 + 5 min → Mon 07:35', () => {
    expect(office.addMinutes(at('2026-01-10', '10:00'), 5)).toBe(at('2026-01-12', '07:35'));
  });

  it('start on Sunday 23:59 + 1 min → Monday 07:31', () => {
    expect(office.addMinutes(at('2026-01-11', '23:59'), 1)).toBe(at('2026-01-12', '07:31'));
  });

  it('a full week of office time (2250 min) from Mon 07:30 ends Fri 16:30', () => {
    expect(office.addMinutes(at('2026-01-19', '07:30'), 2250)).toBe(at('2026-01-23', '16:30'));
  });
});

describe('office clock addMinutes: holidays and cuti bersama (DEFAULT_HOLIDAYS)', () => {
  it('national holiday: Isra Mikraj Fri 2026-01-16 is skipped: Thu 15:58 + 5 min → Mon 2026-01-19 07:33', () => {
    expect(office.addMinutes(at('2026-01-15', '15:58'), 5)).toBe(at('2026-01-19', '07:33'));
  });

  it('cuti bersama Mon 2026-02-16 and Imlek Tue 2026-02-17 are skipped: Fri 2026-02-13 16:28 + 5 min → Wed 2026-02-18 07:33', () => {
    expect(office.addMinutes(at('2026-02-13', '16:28'), 5)).toBe(at('2026-02-18', '07:33'));
  });

  it('Nyepi + Idul Fitri 2026 (cuti bersama 18, 20, 23, 24 March; holidays 19, 21, 22): Tue 2026-03-17 15:58 + 5 min → Wed 2026-03-25 07:33', () => {
    expect(office.addMinutes(at('2026-03-17', '15:58'), 5)).toBe(at('2026-03-25', '07:33'));
  });

  it('cuti bersama HUT RI ke-80 Mon 2025-08-18: Fri 2025-08-15 16:28 + 5 min → Tue 2025-08-19 07:33', () => {
    expect(office.addMinutes(at('2025-08-15', '16:28'), 5)).toBe(at('2025-08-19', '07:33'));
  });

  it('start on a holiday counts from the next office day: Thu 2026-05-14 (Kenaikan) 09:00 + 5 → Mon 2026-05-18 07:35 (15 May is cuti bersama)', () => {
    expect(office.addMinutes(at('2026-05-14', '09:00'), 5)).toBe(at('2026-05-18', '07:35'));
  });

  it('a holiday on a weekend changes nothing: Paskah Sun 2026-04-05; Fri 2026-04-03 is Wafat Yesus Kristus', () => {
    expect(office.addMinutes(at('2026-04-02', '15:58'), 5)).toBe(at('2026-04-06', '07:33'));
  });

  it('a custom holiday list replaces the default one', () => {
    // Without holidays, Isra Mikraj (Fri 2026-01-16) is an ordinary Friday.
    expect(noHolidays.addMinutes(at('2026-01-15', '15:58'), 5)).toBe(at('2026-01-16', '07:33'));
    // A regional day off on Monday 2026-01-12.
    const regional = createOfficeClock({ holidays: ['2026-01-12'] });
    expect(regional.addMinutes(at('2026-01-09', '16:28'), 5)).toBe(at('2026-01-13', '07:33'));
    expect(regional.isCounting(at('2026-01-12', '09:00'))).toBe(false);
    expect(regional.isCounting(at('2026-01-16', '09:00'))).toBe(true);
  });
});

describe('office clock addMinutes: year end', () => {
  it('31 Dec 2025 (Wed) 15:58 + 5 min → first working day Fri 2026-01-02 07:33 (1 Jan is a holiday)', () => {
    expect(office.addMinutes(at('2025-12-31', '15:58'), 5)).toBe(at('2026-01-02', '07:33'));
  });

  it('31 Dec 2026 (Thu) 15:58 + 5 min → first working day Mon 2027-01-04 07:33', () => {
    expect(office.addMinutes(at('2026-12-31', '15:58'), 5)).toBe(at('2027-01-04', '07:33'));
  });

  it('31 Dec 2025 evening → Fri 2 Jan 2026 07:40 for 10 min', () => {
    expect(office.addMinutes(at('2025-12-31', '20:00'), 10)).toBe(at('2026-01-02', '07:40'));
  });

  it('Christmas 2025 (Thu 25 holiday, Fri 26 cuti bersama): Wed 2025-12-24 15:58 + 5 min → Mon 2025-12-29 07:33', () => {
    expect(office.addMinutes(at('2025-12-24', '15:58'), 5)).toBe(at('2025-12-29', '07:33'));
  });

  it('without holidays the year changes like any night: 31 Dec 2025 15:58 + 5 min → 1 Jan 2026 07:33', () => {
    expect(noHolidays.addMinutes(at('2025-12-31', '15:58'), 5)).toBe(at('2026-01-01', '07:33'));
  });
});

describe('office clock addMinutes: decimal minutes', () => {
  it('0.5 min is 30 s: Mon 08:00 + 0.5 → 08:00:30', () => {
    expect(office.addMinutes(at('2026-01-12', '08:00'), 0.5)).toBe(at('2026-01-12', '08:00:30'));
  });

  it('a decimal span crossing the break: Mon 11:59:45 + 0.5 → 13:00:15', () => {
    expect(office.addMinutes(at('2026-01-12', '11:59:45'), 0.5)).toBe(at('2026-01-12', '13:00:15'));
  });

  it('a decimal span crossing the weekend: Fri 16:29:30 + 1.5 → Mon 07:31:00', () => {
    expect(office.addMinutes(at('2026-01-09', '16:29:30'), 1.5)).toBe(at('2026-01-12', '07:31'));
  });

  it('1/3 min is 20 s and 2.25 min is 2 min 15 s', () => {
    expect(office.addMinutes(at('2026-01-12', '08:00'), 1 / 3)).toBe(at('2026-01-12', '08:00:20'));
    expect(office.addMinutes(at('2026-01-12', '08:00'), 2.25)).toBe(at('2026-01-12', '08:02:15'));
  });

  it('fractions are resolved to whole milliseconds (0.00001 min = 0.6 ms → 1 ms)', () => {
    const s = at('2026-01-12', '08:00');
    expect(office.addMinutes(s, 0.00001)).toBe(s + 1);
    expect(Number.isInteger(office.addMinutes(s, 0.123456789))).toBe(true);
  });
});

describe('office clock addMinutes: edge cases and validation', () => {
  it('0 minutes returns the start unchanged, inside or outside office time', () => {
    expect(office.addMinutes(at('2026-01-12', '08:00'), 0)).toBe(at('2026-01-12', '08:00'));
    expect(office.addMinutes(at('2026-01-10', '10:00'), 0)).toBe(at('2026-01-10', '10:00'));
  });

  it('rejects negative, NaN and infinite minutes with a RangeError', () => {
    const s = at('2026-01-12', '08:00');
    expect(() => office.addMinutes(s, -1)).toThrow(RangeError);
    expect(() => office.addMinutes(s, Number.NaN)).toThrow(/minutes/);
    expect(() => office.addMinutes(s, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => wall.addMinutes(s, -0.5)).toThrow(RangeError);
  });

  it('rejects an invalid start (NaN, Invalid Date, string)', () => {
    expect(() => office.addMinutes(Number.NaN, 1)).toThrow(RangeError);
    expect(() => office.addMinutes(new Date('nope'), 1)).toThrow(/not a valid instant/);
    expect(() => office.addMinutes('2026-01-12' as unknown as number, 1)).toThrow(TypeError);
  });

  it('14 days × 24 h of office minutes (20160) from Mon 07:30 without holidays → Fri of the 9th week 15:00', () => {
    // 20160 = 8 weeks × 2250 + 4 days × 450 + 360 (Fri 07:30–11:30 = 240, 13:00–15:00 = 120).
    expect(noHolidays.addMinutes(at('2026-01-05', '07:30'), 14 * 24 * 60)).toBe(at('2026-03-06', '15:00'));
  });

  it('large spans are computed per day, not per minute (1000 × 14-day spans, and 1e6 minutes, well under a second)', () => {
    const started = performance.now();
    let s = at('2025-01-01', '00:00');
    for (let i = 0; i < 1000; i++) {
      const due = office.addMinutes(s, 14 * 24 * 60);
      expect(due).toBeGreaterThan(s);
      s += 7 * HOUR + 13 * MIN;
    }
    const big = office.addMinutes(at('2025-01-01', '00:00'), 1_000_000);
    expect(office.minutesBetween(at('2025-01-01', '00:00'), big)).toBe(1_000_000);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('rejects spans above 100 years', () => {
    expect(() => office.addMinutes(0, 100 * 366 * 24 * 60)).toThrow(/100 years/);
  });
});

describe('office clock minutesBetween', () => {
  it('inside one period: Mon 08:00 → 09:15 = 75', () => {
    expect(office.minutesBetween(at('2026-01-12', '08:00'), at('2026-01-12', '09:15'))).toBe(75);
  });

  it('across the Mon–Thu lunch break: Tue 11:00 → 14:00 = 120 (the 12:00–13:00 break is not counted)', () => {
    expect(office.minutesBetween(at('2026-01-13', '11:00'), at('2026-01-13', '14:00'))).toBe(120);
  });

  it('across the Friday lunch break: Fri 11:00 → 14:00 = 90 (the 11:30–13:00 break is not counted)', () => {
    expect(office.minutesBetween(at('2026-01-09', '11:00'), at('2026-01-09', '14:00'))).toBe(90);
  });

  it('both ends inside a break count 0', () => {
    expect(office.minutesBetween(at('2026-01-13', '12:10'), at('2026-01-13', '12:50'))).toBe(0);
    expect(office.minutesBetween(at('2026-01-09', '11:35'), at('2026-01-09', '12:55'))).toBe(0);
  });

  it('across a night: Mon 15:00 → Tue 08:00 = 60 + 30 = 90', () => {
    expect(office.minutesBetween(at('2026-01-12', '15:00'), at('2026-01-13', '08:00'))).toBe(90);
  });

  it('inside one night counts 0: Mon 17:00 → Tue 07:00', () => {
    expect(office.minutesBetween(at('2026-01-12', '17:00'), at('2026-01-13', '07:00'))).toBe(0);
  });

  it('across a weekend: Fri 16:00 → Mon 08:00 = 30 + 30 = 60', () => {
    expect(office.minutesBetween(at('2026-01-09', '16:00'), at('2026-01-12', '08:00'))).toBe(60);
  });

  it('a whole weekend counts 0: Fri 16:30 → Mon 07:30', () => {
    expect(office.minutesBetween(at('2026-01-09', '16:30'), at('2026-01-12', '07:30'))).toBe(0);
  });

  it('across a holiday: Thu 2026-01-15 15:00 → Mon 2026-01-19 08:00 = 60 + 30 = 90 (Fri 16 Jan is Isra Mikraj)', () => {
    expect(office.minutesBetween(at('2026-01-15', '15:00'), at('2026-01-19', '08:00'))).toBe(90);
    expect(noHolidays.minutesBetween(at('2026-01-15', '15:00'), at('2026-01-19', '08:00'))).toBe(90 + 450);
  });

  it('across the year end: Wed 2025-12-31 15:00 → Fri 2026-01-02 08:00 = 60 + 30', () => {
    expect(office.minutesBetween(at('2025-12-31', '15:00'), at('2026-01-02', '08:00'))).toBe(90);
  });

  it('a holiday or cuti bersama counts 0 all day', () => {
    expect(office.minutesBetween(at('2026-01-16', '00:00'), at('2026-01-17', '00:00'))).toBe(0);
    expect(office.minutesBetween(at('2026-02-16', '00:00'), at('2026-02-17', '00:00'))).toBe(0);
  });

  it('fractional results: Mon 08:00:00 → 08:00:30 = 0.5', () => {
    expect(office.minutesBetween(at('2026-01-12', '08:00'), at('2026-01-12', '08:00:30'))).toBe(0.5);
  });

  it('returns 0 when b <= a', () => {
    const a = at('2026-01-12', '09:00');
    expect(office.minutesBetween(a, a)).toBe(0);
    expect(office.minutesBetween(a, a - HOUR)).toBe(0);
    expect(wall.minutesBetween(a, a - HOUR)).toBe(0);
  });

  it('accepts Date inputs', () => {
    expect(office.minutesBetween(new Date(at('2026-01-12', '08:00')), new Date(at('2026-01-12', '08:10')))).toBe(10);
  });

  it('is additive: (a, b) + (b, c) = (a, c) for random a <= b <= c', () => {
    const rand = rng(11);
    for (let i = 0; i < 500; i++) {
      const a = at('2025-01-01', '00:00') + Math.floor(rand() * 1000 * DAY);
      const b = a + Math.floor(rand() * 20 * DAY);
      const c = b + Math.floor(rand() * 20 * DAY);
      expect(office.minutesBetween(a, b) + office.minutesBetween(b, c)).toBeCloseTo(office.minutesBetween(a, c), 6);
    }
  });
});

describe('office clock isCounting and nextOfficeOpen', () => {
  const cases: [string, string, string, boolean][] = [
    ['Mon 07:29:59.999', '2026-01-12', '07:29:59.999', false],
    ['Mon 07:30 (opening)', '2026-01-12', '07:30', true],
    ['Mon 11:59:59.999', '2026-01-12', '11:59:59.999', true],
    ['Mon 12:00 (break)', '2026-01-12', '12:00', false],
    ['Mon 12:59:59.999', '2026-01-12', '12:59:59.999', false],
    ['Mon 13:00', '2026-01-12', '13:00', true],
    ['Mon 15:59:59.999', '2026-01-12', '15:59:59.999', true],
    ['Mon 16:00 (closing)', '2026-01-12', '16:00', false],
    ['Thu 11:45', '2026-01-15', '11:45', true],
    ['Fri 11:29:59.999', '2026-01-09', '11:29:59.999', true],
    ['Fri 11:30 (Friday break)', '2026-01-09', '11:30', false],
    ['Fri 12:30', '2026-01-09', '12:30', false],
    ['Fri 13:00', '2026-01-09', '13:00', true],
    ['Fri 16:00 (open on Friday)', '2026-01-09', '16:00', true],
    ['Fri 16:29:59.999', '2026-01-09', '16:29:59.999', true],
    ['Fri 16:30 (Friday closing)', '2026-01-09', '16:30', false],
    ['Sat 10:00', '2026-01-10', '10:00', false],
    ['Sun 10:00', '2026-01-11', '10:00', false],
    ['holiday Fri 2026-01-16 10:00', '2026-01-16', '10:00', false],
    ['cuti bersama Mon 2026-02-16 10:00', '2026-02-16', '10:00', false],
  ];
  it.each(cases)('isCounting(%s) is %s', (_label, date, time, expected) => {
    expect(office.isCounting(at(date, time))).toBe(expected);
  });

  it('isCounting accepts a Date', () => {
    expect(office.isCounting(new Date(at('2026-01-12', '09:00')))).toBe(true);
  });

  it('nextOfficeOpen returns t itself inside office time', () => {
    const t = at('2026-01-12', '09:17:03');
    expect(nextOfficeOpen(t)).toBe(t);
    expect(office.nextCounting(t)).toBe(t);
  });

  it('nextOfficeOpen: lunch break → 13:00; evening → next day 07:30; Friday evening → Monday 07:30', () => {
    expect(nextOfficeOpen(at('2026-01-12', '12:30'))).toBe(at('2026-01-12', '13:00'));
    expect(nextOfficeOpen(at('2026-01-09', '11:45'))).toBe(at('2026-01-09', '13:00'));
    expect(nextOfficeOpen(at('2026-01-12', '16:00'))).toBe(at('2026-01-13', '07:30'));
    expect(nextOfficeOpen(new Date(at('2026-01-09', '16:30')))).toBe(at('2026-01-12', '07:30'));
  });

  it('nextOfficeOpen skips holidays; options select the holiday list', () => {
    expect(nextOfficeOpen(at('2026-03-17', '17:00'))).toBe(at('2026-03-25', '07:30'));
    expect(nextOfficeOpen(at('2025-12-31', '17:00'))).toBe(at('2026-01-02', '07:30'));
    expect(nextOfficeOpen(at('2025-12-31', '17:00'), { holidays: [] })).toBe(at('2026-01-01', '07:30'));
  });
});

describe('round-trip and reference properties of the office clock', () => {
  const from = at('2025-01-01', '00:00');
  const span = 3 * 365 * DAY; // 2025–2027 with DEFAULT_HOLIDAYS

  it('minutesBetween(s, addMinutes(s, m)) ≈ m for 3000 random starts and decimal m', () => {
    const rand = rng(42);
    for (let i = 0; i < 3000; i++) {
      const s = from + Math.floor(rand() * span);
      const m = i % 3 === 0 ? Math.floor(rand() * 20) : rand() * (i % 2 ? 600 : 20_000);
      const due = office.addMinutes(s, m);
      expect(due).toBeGreaterThanOrEqual(s);
      // Exact up to the 0.5 ms rounding of m to whole milliseconds.
      expect(Math.abs(office.minutesBetween(s, due) - m)).toBeLessThanOrEqual(0.5 / MIN + 1e-9);
    }
  });

  it('round trip also holds for integer minutes exactly, and for the wall clock', () => {
    const rand = rng(43);
    for (let i = 0; i < 1000; i++) {
      const s = from + Math.floor(rand() * span);
      const m = 1 + Math.floor(rand() * 5000);
      expect(office.minutesBetween(s, office.addMinutes(s, m))).toBe(m);
      expect(wall.minutesBetween(s, wall.addMinutes(s, m))).toBe(m);
    }
  });

  it('addMinutes(s, minutesBetween(s, t)) = t for random instants t inside office time', () => {
    const rand = rng(44);
    let checked = 0;
    for (let i = 0; i < 3000; i++) {
      const s = from + Math.floor(rand() * span);
      const t = s + Math.floor(rand() * 30 * DAY);
      if (!office.isCounting(t) || t <= office.nextCounting(s)) continue;
      expect(office.addMinutes(s, office.minutesBetween(s, t))).toBe(t);
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('the last counted millisecond before a due instant is inside office time (due instants never fall in closed time except at a closing)', () => {
    const rand = rng(45);
    for (let i = 0; i < 2000; i++) {
      const s = from + Math.floor(rand() * span);
      const due = office.addMinutes(s, rand() * 3000 + 0.001);
      expect(office.isCounting(due - 1)).toBe(true);
    }
  });

  it('addMinutes is monotonic in minutes', () => {
    const rand = rng(46);
    for (let i = 0; i < 500; i++) {
      const s = from + Math.floor(rand() * span);
      const m1 = rand() * 2000;
      const m2 = m1 + rand() * 2000;
      expect(office.addMinutes(s, m1)).toBeLessThanOrEqual(office.addMinutes(s, m2));
    }
  });

  it('agrees with a minute-by-minute brute-force reference (400 random minute-aligned starts, 2025–2027 holidays)', () => {
    const rand = rng(47);
    const holidays = new Set(DEFAULT_HOLIDAYS);
    for (let i = 0; i < 400; i++) {
      const s = from + Math.floor(rand() * (span / MIN)) * MIN;
      const m = 1 + Math.floor(rand() * (i % 4 === 0 ? 3000 : 200));
      const expected = referenceAddMinutes(s, m, holidays);
      const actual = office.addMinutes(s, m);
      expect(local(actual), `start ${local(s)} + ${m} min`).toBe(local(expected));
      expect(office.isCounting(s)).toBe(referenceCounts(s, holidays));
    }
  });
});

describe('wall clock', () => {
  it('kind is "wall" and addMinutes adds plain elapsed time, ignoring nights, weekends and holidays', () => {
    expect(wall.kind).toBe('wall');
    expect(wall.addMinutes(at('2026-01-09', '15:58'), 5)).toBe(at('2026-01-09', '16:03'));
    expect(wall.addMinutes(at('2026-01-09', '16:28'), 5)).toBe(at('2026-01-09', '16:33'));
    expect(wall.addMinutes(at('2026-01-10', '23:00'), 120)).toBe(at('2026-01-11', '01:00'));
    expect(wall.addMinutes(at('2025-12-31', '23:59'), 1)).toBe(at('2026-01-01', '00:00'));
  });

  it('supports decimal minutes and Date inputs', () => {
    expect(wall.addMinutes(new Date(at('2026-01-12', '08:00')), 0.5)).toBe(at('2026-01-12', '08:00:30'));
    expect(wall.addMinutes(0, 1 / 3)).toBe(20_000);
  });

  it('minutesBetween counts every minute; a whole week is 10080 minutes', () => {
    expect(wall.minutesBetween(at('2026-01-09', '16:00'), at('2026-01-12', '08:00'))).toBe(64 * 60);
    expect(wall.minutesBetween(at('2026-01-12', '00:00'), at('2026-01-19', '00:00'))).toBe(7 * 24 * 60);
    expect(wall.minutesBetween(0, 30_000)).toBe(0.5);
  });

  it('isCounting is always true and nextCounting returns t', () => {
    for (const t of [at('2026-01-10', '03:00'), at('2026-01-16', '10:00'), at('2026-01-12', '12:30')]) {
      expect(wall.isCounting(t)).toBe(true);
      expect(wall.nextCounting(t)).toBe(t);
    }
  });

  it('rejects invalid inputs like the office clock', () => {
    expect(() => wall.addMinutes(Number.NaN, 1)).toThrow(RangeError);
    expect(() => wall.minutesBetween(0, new Date('x'))).toThrow(RangeError);
  });
});

describe('createSlaClock', () => {
  it("createSlaClock('office') is an office clock with the default holidays", () => {
    const c = createSlaClock('office');
    expect(c.kind).toBe('office');
    expect(c.addMinutes(at('2026-01-15', '15:58'), 5)).toBe(at('2026-01-19', '07:33'));
  });

  it("createSlaClock('office', { holidays }) uses the given list", () => {
    const c = createSlaClock('office', { holidays: [] });
    expect(c.addMinutes(at('2026-01-15', '15:58'), 5)).toBe(at('2026-01-16', '07:33'));
  });

  it("createSlaClock('wall') is a wall clock", () => {
    const c = createSlaClock('wall', { holidays: ['2026-01-12'] });
    expect(c.kind).toBe('wall');
    expect(c.addMinutes(at('2026-01-12', '10:00'), 5)).toBe(at('2026-01-12', '10:05'));
  });

  it('rejects an unknown kind', () => {
    expect(() => createSlaClock('business' as 'office')).toThrow(/'office' or 'wall'/);
  });

  it('clocks are frozen objects', () => {
    expect(Object.isFrozen(office)).toBe(true);
    expect(Object.isFrozen(wall)).toBe(true);
  });
});

describe('custom week schedules', () => {
  const withSaturday: WeekSchedule = {
    ...DEFAULT_WEEK_SCHEDULE,
    6: [{ start: '08:00', end: '12:00' }],
  };

  it('a schedule with a Saturday morning counts it', () => {
    const c = createOfficeClock({ holidays: [], schedule: withSaturday });
    expect(weeklyOfficeMinutes(withSaturday)).toBe(2250 + 240);
    expect(c.addMinutes(at('2026-01-09', '16:28'), 5)).toBe(at('2026-01-10', '08:03'));
    expect(c.isCounting(at('2026-01-10', '11:59'))).toBe(true);
    expect(officeDayEnd('2026-01-10', withSaturday)).toBe(at('2026-01-10', '12:00'));
  });

  it("a period may end at '24:00' and adjacent periods are allowed", () => {
    const late: WeekSchedule = {
      0: [],
      1: [{ start: '20:00', end: '22:00' }, { start: '22:00', end: '24:00' }],
      2: [],
      3: [],
      4: [],
      5: [],
      6: [],
    };
    const c = createOfficeClock({ holidays: [], schedule: late });
    expect(c.addMinutes(at('2026-01-12', '23:00'), 90)).toBe(at('2026-01-19', '20:30'));
    expect(weeklyOfficeMinutes(late)).toBe(240);
  });

  it('rejects invalid schedules with a clear message', () => {
    const base = { ...DEFAULT_WEEK_SCHEDULE };
    const bad = (over: Record<number, unknown>) => ({ ...base, ...over }) as unknown as WeekSchedule;
    expect(() => createOfficeClock({ schedule: bad({ 1: [{ start: '7:30', end: '12:00' }] }) })).toThrow(/'HH:MM'/);
    expect(() => createOfficeClock({ schedule: bad({ 1: [{ start: '12:00', end: '07:30' }] }) })).toThrow(/ends before it starts/);
    expect(() =>
      createOfficeClock({ schedule: bad({ 1: [{ start: '07:30', end: '12:00' }, { start: '11:00', end: '16:00' }] }) }),
    ).toThrow(/overlap/);
    expect(() => createOfficeClock({ schedule: bad({ 1: [{ start: '24:00', end: '24:00' }] }) })).toThrow(RangeError);
    expect(() => createOfficeClock({ schedule: bad({ 2: 'all day' }) })).toThrow(/weekday 2/);
    expect(() => createOfficeClock({ schedule: bad({ 1: [], 2: [], 3: [], 4: [], 5: [] }) })).toThrow(/no office time/);
  });
});

describe('date helpers', () => {
  it('jakartaDate uses UTC+7: 2025-12-31T16:59:59.999Z is still 31 Dec, 17:00Z is 1 Jan', () => {
    expect(jakartaDate(Date.parse('2025-12-31T16:59:59.999Z'))).toBe('2025-12-31');
    expect(jakartaDate(Date.parse('2025-12-31T17:00:00.000Z'))).toBe('2026-01-01');
    expect(jakartaDate(new Date('2026-03-01T00:00:00+07:00'))).toBe('2026-03-01');
    expect(jakartaDate(0)).toBe('1970-01-01');
  });

  it('jakartaDate agrees with the platform for random instants', () => {
    const rand = rng(5);
    for (let i = 0; i < 1000; i++) {
      const t = Math.floor((rand() - 0.3) * 4e12);
      expect(jakartaDate(t)).toBe(new Date(t + JAKARTA_UTC_OFFSET_MS).toISOString().slice(0, 10));
    }
  });

  it('jakartaDateTime and jakartaInstant are local Asia/Jakarta wall time', () => {
    expect(jakartaDateTime(Date.parse('2026-01-09T08:58:30Z'))).toBe('2026-01-09 15:58');
    expect(jakartaInstant('2026-01-09', '15:58')).toBe(at('2026-01-09', '15:58'));
    expect(jakartaInstant('2024-02-29')).toBe(at('2024-02-29', '00:00'));
    expect(() => jakartaInstant('2026-02-30', '08:00')).toThrow(/not a real date/);
    expect(() => jakartaInstant('2026-01-09', '25:00')).toThrow(/time/);
  });

  it('dayOfWeek: 0 = Sunday … 6 = Saturday', () => {
    expect(dayOfWeek('2026-01-11')).toBe(0);
    expect(dayOfWeek('2026-01-12')).toBe(1);
    expect(dayOfWeek('2026-01-09')).toBe(5);
    expect(dayOfWeek('2025-12-31')).toBe(3);
    expect(dayOfWeek('2000-02-29')).toBe(2);
  });

  it('isOfficeDay: weekdays yes, weekends no, holidays and cuti bersama no', () => {
    expect(isOfficeDay('2026-01-12')).toBe(true);
    expect(isOfficeDay('2026-01-09')).toBe(true);
    expect(isOfficeDay('2026-01-10')).toBe(false);
    expect(isOfficeDay('2026-01-11')).toBe(false);
    expect(isOfficeDay('2026-01-16')).toBe(false); // Isra Mikraj
    expect(isOfficeDay('2026-12-24')).toBe(false); // cuti bersama Natal
    expect(isOfficeDay('2026-01-16', [])).toBe(true);
    expect(isOfficeDay('2026-01-13', ['2026-01-13'])).toBe(false);
    expect(() => isOfficeDay('2026-02-30')).toThrow(RangeError);
  });

  it('officeDayEnd: Mon–Thu 16:00, Fri 16:30, weekend null; officeDayStart 07:30', () => {
    expect(officeDayEnd('2026-01-12')).toBe(at('2026-01-12', '16:00'));
    expect(officeDayEnd('2026-01-15')).toBe(at('2026-01-15', '16:00'));
    expect(officeDayEnd('2026-01-09')).toBe(at('2026-01-09', '16:30'));
    expect(officeDayEnd('2026-01-10')).toBeNull();
    expect(officeDayEnd('2026-01-11')).toBeNull();
    expect(officeDayStart('2026-01-12')).toBe(at('2026-01-12', '07:30'));
    expect(officeDayStart('2026-01-10')).toBeNull();
    expect(() => officeDayEnd('31-12-2026')).toThrow(/YYYY-MM-DD/);
  });
});

describe('parseHolidayList', () => {
  it('accepts real dates and returns a sorted copy without duplicates', () => {
    const input = ['2026-12-25', '2026-01-01', '2024-02-29', '2026-01-01', '2000-02-29'];
    expect(parseHolidayList(input)).toEqual(['2000-02-29', '2024-02-29', '2026-01-01', '2026-12-25']);
    expect(input[0]).toBe('2026-12-25'); // not mutated
    expect(parseHolidayList([])).toEqual([]);
  });

  it('rejects 2026-02-30 (not a real calendar date) with a clear English message', () => {
    expect(() => parseHolidayList(['2026-01-01', '2026-02-30'])).toThrow(
      'Holiday list entry #2: "2026-02-30" is not a real date (2026-02 has 28 days)',
    );
  });

  it.each(['2025-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-06-31'])(
    'rejects impossible date %s',
    (date) => {
      expect(() => parseHolidayList([date])).toThrow(/not a real date/);
    },
  );

  it.each(['garbage', '', '2026-1-5', '2026/01/05', ' 2026-01-05', '2026-01-05 ', '2026-01-05T00:00', '20260105', '26-01-05'])(
    'rejects garbage string %j',
    (value) => {
      expect(() => parseHolidayList([value])).toThrow(/'YYYY-MM-DD'/);
    },
  );

  it.each([[20260105], [null], [undefined], [{ date: '2026-01-05' }], [['2026-01-05']], [true]])(
    'rejects non-string entry %j',
    (value) => {
      expect(() => parseHolidayList([value])).toThrow(/Holiday list entry #1: expected a 'YYYY-MM-DD' string/);
    },
  );

  it.each([['2026-01-01'], [null], [undefined], [{ 0: '2026-01-01' }], [42]])('rejects a non-array input %j', (value) => {
    expect(() => parseHolidayList(value)).toThrow(/Holiday list must be an array/);
  });

  it('createOfficeClock validates its holiday list', () => {
    expect(() => createOfficeClock({ holidays: ['2026-02-30'] })).toThrow(/2026-02-30/);
    expect(() => createOfficeClock({ holidays: ['garbage'] })).toThrow(/YYYY-MM-DD/);
  });
});

describe('DEFAULT_HOLIDAYS', () => {
  it('is a frozen, sorted list of real dates without duplicates', () => {
    expect(Object.isFrozen(DEFAULT_HOLIDAYS)).toBe(true);
    expect(parseHolidayList(DEFAULT_HOLIDAYS)).toEqual([...DEFAULT_HOLIDAYS]);
  });

  it('covers 2025, 2026 and 2027, with New Year, Independence Day and Christmas each year', () => {
    for (const y of [2025, 2026, 2027]) {
      expect(DEFAULT_HOLIDAYS).toContain(`${y}-01-01`);
      expect(DEFAULT_HOLIDAYS).toContain(`${y}-05-01`);
      expect(DEFAULT_HOLIDAYS).toContain(`${y}-06-01`);
      expect(DEFAULT_HOLIDAYS).toContain(`${y}-08-17`);
      expect(DEFAULT_HOLIDAYS).toContain(`${y}-12-25`);
    }
    expect(DEFAULT_HOLIDAYS.every((d) => d >= '2025-01-01' && d <= '2027-12-31')).toBe(true);
  });

  it('2026 matches SKB 1497/2025: 17 national holidays + 8 cuti bersama = 25 dates', () => {
    expect(DEFAULT_HOLIDAYS.filter((d) => d.startsWith('2026-'))).toHaveLength(25);
  });

  it('2025 matches the amended SKB: 17 national holidays + 11 cuti bersama (incl. 18 August) = 28 dates', () => {
    expect(DEFAULT_HOLIDAYS.filter((d) => d.startsWith('2025-'))).toHaveLength(28);
    expect(DEFAULT_HOLIDAYS).toContain('2025-08-18');
  });

  it('Good Friday and Ascension Day follow Easter (2025-04-20, 2026-04-05, 2027-03-28)', () => {
    for (const [goodFriday, ascension] of [
      ['2025-04-18', '2025-05-29'],
      ['2026-04-03', '2026-05-14'],
      ['2027-03-26', '2027-05-06'],
    ]) {
      expect(DEFAULT_HOLIDAYS).toContain(goodFriday);
      expect(DEFAULT_HOLIDAYS).toContain(ascension);
      expect(dayOfWeek(goodFriday)).toBe(5);
      expect(dayOfWeek(ascension)).toBe(4);
    }
  });
});

describe('determinism (the module is imported by Temporal workflow code)', () => {
  it('calendar.ts and holidays.ts use no Node built-ins, no Intl, no current time and no randomness', () => {
    for (const file of ['../../domain/calendar.ts', '../../domain/holidays.ts']) {
      const source = readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '') // block comments (the header says what is forbidden)
        .replace(/\/\/.*$/gm, ''); // line comments
      expect(source, file).not.toMatch(/from ['"]node:|require\(|\bIntl\b|Date\.now|new Date\(\s*\)|Math\.random|process\.|performance\./);
    }
  });

  it('the same inputs always give the same outputs', () => {
    const a = createOfficeClock();
    const b = createOfficeClock({ holidays: [...DEFAULT_HOLIDAYS].reverse() });
    const s = at('2026-03-17', '15:58');
    expect(a.addMinutes(s, 5)).toBe(b.addMinutes(s, 5));
    expect(a.minutesBetween(s, s + 30 * DAY)).toBe(b.minutesBetween(s, s + 30 * DAY));
  });
});
