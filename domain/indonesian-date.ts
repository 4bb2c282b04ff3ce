/**
 * The one formatter of dates as citizens and staff read them: "3 Desember 2026", in Asia/Jakarta.
 * Pure (no Intl dependency), so the same file also runs in the browser bundle.
 */
const JAKARTA_OFFSET_MS = 7 * 60 * 60 * 1000;

export const INDONESIAN_MONTHS = [
  'Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni',
  'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember',
] as const;
export const INDONESIAN_WEEKDAYS = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'] as const;

function parts(t: number | Date | string) {
  if (typeof t === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const [y, m, d] = t.split('-').map(Number);
    const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    return { y, m, d, wd, hh: 0, mm: 0 };
  }
  const ms = typeof t === 'number' ? t : new Date(t).getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid date: ${String(t)}`);
  const j = new Date(ms + JAKARTA_OFFSET_MS);
  return { y: j.getUTCFullYear(), m: j.getUTCMonth() + 1, d: j.getUTCDate(), wd: j.getUTCDay(), hh: j.getUTCHours(), mm: j.getUTCMinutes() };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** "3 Desember 2026" (an instant in Asia/Jakarta, or a plain `YYYY-MM-DD` date). */
export function formatIndonesianDate(t: number | Date | string): string {
  const p = parts(t);
  return `${p.d} ${INDONESIAN_MONTHS[p.m - 1]} ${p.y}`;
}

/** "Kamis, 3 Desember 2026". */
export function formatIndonesianDateWithDay(t: number | Date | string): string {
  const p = parts(t);
  return `${INDONESIAN_WEEKDAYS[p.wd]}, ${p.d} ${INDONESIAN_MONTHS[p.m - 1]} ${p.y}`;
}

/** "3 Desember 2026 pukul 14.05 WIB" (Indonesian style uses a dot between hours and minutes). */
export function formatIndonesianDateTime(t: number | Date | string): string {
  const p = parts(t);
  return `${p.d} ${INDONESIAN_MONTHS[p.m - 1]} ${p.y} pukul ${pad2(p.hh)}.${pad2(p.mm)} WIB`;
}

/** `YYYY-MM-DD` → "3 Desember 2026"; anything else is a RangeError (strict, for stored dates). */
export function indonesianDate(isoDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) throw new RangeError(`not a date: ${isoDate}`);
  return formatIndonesianDate(isoDate);
}

/** An instant in Asia/Jakarta as "3 Desember 2026 14.05 WIB" (tables, where "pukul" is too long). */
export function indonesianDateTime(t: number | Date): string {
  const p = parts(t);
  return `${p.d} ${INDONESIAN_MONTHS[p.m - 1]} ${p.y} ${pad2(p.hh)}.${pad2(p.mm)} WIB`;
}
