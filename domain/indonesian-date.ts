/** Dates as Indonesian readers write them: "3 Desember 2026". */
import { jakartaDateTime } from './calendar.js';
export const INDONESIAN_MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'] as const;

/** `YYYY-MM-DD` → "3 Desember 2026". */
export function indonesianDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new RangeError(`not a date: ${isoDate}`);
  return `${Number(m[3])} ${INDONESIAN_MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** An instant in Asia/Jakarta as "3 Desember 2026 14.05 WIB". */
export function indonesianDateTime(t: number | Date): string {
  const [date, time] = jakartaDateTime(t).split(' ');
  return `${indonesianDate(date!)} ${time!.replace(':', '.')} WIB`;
}
