import { describe, expect, it } from 'vitest';
import { createOfficeClock, createWallClock, jakartaInstant } from '../../domain/calendar.js';
import { describeDue, formatDuration } from '../../domain/human-time.js';
import { indonesianDateTime } from '../../domain/indonesian-date.js';

describe('formatDuration', () => {
  it('writes minutes as words with Indonesian units, never "d" for seconds', () => {
    expect(formatDuration(0.75)).toBe('45 detik');
    expect(formatDuration(14)).toBe('14 menit');
    expect(formatDuration(125)).toBe('2 jam 5 menit');
    expect(formatDuration(120)).toBe('2 jam');
    expect(formatDuration(3 * 1440 + 125)).toBe('3 hari 2 jam');
    expect(formatDuration(null)).toBe('–');
  });
  it('names office minutes as office time, and counts a 7.5-hour office day', () => {
    expect(formatDuration(125, { clock: 'office' })).toBe('2 jam 5 menit jam kerja');
    expect(formatDuration(450 + 180, { clock: 'office' })).toBe('1 hari kerja 3 jam');
    expect(formatDuration(0, { clock: 'office' })).toBe('0 menit jam kerja');
  });
});

describe('describeDue on the office clock', () => {
  const office = createOfficeClock({ holidays: [] });
  it('at 23.40 on a Wednesday a 5-minute step due Thursday 07.35 has 5 office minutes left and says when the clock counts again', () => {
    const now = jakartaInstant('2026-12-02', '23:40');
    const due = office.addMinutes(now, 5);
    const d = describeDue(due, now, office);
    expect(d.late).toBe(false);
    expect(d.text).toBe('sisa 5 menit jam kerja');
    expect(d.pausedNote).toBe(' · dihitung lagi Kamis 07.30 WIB');
  });
  it('a step due at 15.55 is 5 office minutes late at 16.00 and still 5 at 21.00', () => {
    const due = jakartaInstant('2026-12-02', '15:55');
    expect(describeDue(due, jakartaInstant('2026-12-02', '16:00'), office).text).toBe('terlambat 5 menit jam kerja');
    expect(describeDue(due, jakartaInstant('2026-12-02', '21:00'), office).text).toBe('terlambat 5 menit jam kerja');
  });
  it('on the wall clock counts plain time without "jam kerja"', () => {
    const now = jakartaInstant('2026-12-02', '10:00');
    expect(describeDue(now - 14 * 60_000, now, createWallClock()).text).toBe('terlambat 14 menit');
  });
});

describe('dates in console lists (indonesianDateTime)', () => {
  it('writes "3 Desember 2026 08.12 WIB" with the month in full', () => {
    expect(indonesianDateTime(jakartaInstant('2026-12-03', '08:12'))).toBe('3 Desember 2026 08.12 WIB');
  });
});
