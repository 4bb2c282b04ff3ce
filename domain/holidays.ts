/**
 * Default national holidays (hari libur nasional) and collective leave days (cuti bersama)
 * of the Republic of Indonesia, as `YYYY-MM-DD` dates in Asia/Jakarta.
 *
 * The SLA clock (domain/calendar.ts) counts no office time on these dates.
 *
 * MAINTENANCE: the government publishes the list every year in a joint decree of three
 * ministers (SKB 3 Menteri: Religious Affairs, Manpower, PANRB), usually in September or
 * October for the following year, and sometimes amends it during the year (e.g. the
 * 18 August 2025 cuti bersama). The office MUST update this list yearly. Without a code
 * change it can be overridden by configuration: the `HOLIDAYS` environment variable
 * (a JSON array or a comma-separated list of `YYYY-MM-DD` dates) replaces this list
 * entirely. Regional (Grobogan/Central Java) days off can be added the same way.
 *
 * Weekend dates are listed too (as decreed) although they change nothing for the clock.
 * Plain data only: this file is imported by Temporal workflow code.
 */
export const DEFAULT_HOLIDAYS: readonly string[] = Object.freeze([
  // ── 2025: SKB No. 1017/2024, 2/2024, 2/2024, amended by SKB No. 933/2025, 1/2025, 3/2025 ──
  '2025-01-01', // Tahun Baru 2025 Masehi
  '2025-01-27', // Isra Mikraj Nabi Muhammad SAW
  '2025-01-28', // cuti bersama Tahun Baru Imlek
  '2025-01-29', // Tahun Baru Imlek 2576 Kongzili
  '2025-03-28', // cuti bersama Hari Suci Nyepi
  '2025-03-29', // Hari Suci Nyepi, Tahun Baru Saka 1947
  '2025-03-31', // Idul Fitri 1446 H
  '2025-04-01', // Idul Fitri 1446 H
  '2025-04-02', // cuti bersama Idul Fitri
  '2025-04-03', // cuti bersama Idul Fitri
  '2025-04-04', // cuti bersama Idul Fitri
  '2025-04-07', // cuti bersama Idul Fitri
  '2025-04-18', // Wafat Yesus Kristus
  '2025-04-20', // Kebangkitan Yesus Kristus (Paskah)
  '2025-05-01', // Hari Buruh Internasional
  '2025-05-12', // Hari Raya Waisak 2569 BE
  '2025-05-13', // cuti bersama Waisak
  '2025-05-29', // Kenaikan Yesus Kristus
  '2025-05-30', // cuti bersama Kenaikan Yesus Kristus
  '2025-06-01', // Hari Lahir Pancasila
  '2025-06-06', // Idul Adha 1446 H
  '2025-06-09', // cuti bersama Idul Adha
  '2025-06-27', // Tahun Baru Islam 1447 H
  '2025-08-17', // Proklamasi Kemerdekaan RI
  '2025-08-18', // cuti bersama HUT ke-80 RI (added by the August 2025 amendment)
  '2025-09-05', // Maulid Nabi Muhammad SAW
  '2025-12-25', // Kelahiran Yesus Kristus (Natal)
  '2025-12-26', // cuti bersama Natal

  // ── 2026: SKB No. 1497/2025, 2/2025, 5/2025 (17 holidays, 8 cuti bersama) ──
  '2026-01-01', // Tahun Baru 2026 Masehi
  '2026-01-16', // Isra Mikraj Nabi Muhammad SAW
  '2026-02-16', // cuti bersama Tahun Baru Imlek
  '2026-02-17', // Tahun Baru Imlek 2577 Kongzili
  '2026-03-18', // cuti bersama Hari Suci Nyepi
  '2026-03-19', // Hari Suci Nyepi, Tahun Baru Saka 1948
  '2026-03-20', // cuti bersama Idul Fitri
  '2026-03-21', // Idul Fitri 1447 H
  '2026-03-22', // Idul Fitri 1447 H
  '2026-03-23', // cuti bersama Idul Fitri
  '2026-03-24', // cuti bersama Idul Fitri
  '2026-04-03', // Wafat Yesus Kristus
  '2026-04-05', // Kebangkitan Yesus Kristus (Paskah)
  '2026-05-01', // Hari Buruh Internasional
  '2026-05-14', // Kenaikan Yesus Kristus
  '2026-05-15', // cuti bersama Kenaikan Yesus Kristus
  '2026-05-27', // Idul Adha 1447 H
  '2026-05-28', // cuti bersama Idul Adha
  '2026-05-31', // Hari Raya Waisak 2570 BE
  '2026-06-01', // Hari Lahir Pancasila
  '2026-06-16', // Tahun Baru Islam 1448 H
  '2026-08-17', // Proklamasi Kemerdekaan RI
  '2026-08-25', // Maulid Nabi Muhammad SAW
  '2026-12-24', // cuti bersama Natal
  '2026-12-25', // Kelahiran Yesus Kristus (Natal)

  // ── 2027: PROVISIONAL. No SKB was known when this list was written. Fixed-date and
  // Easter-based holidays are certain; Imlek and Waisak follow the astronomical calendar;
  // the Islamic and Saka dates are estimates that may move by a day. Cuti bersama are not
  // decreed yet and are therefore NOT included. Replace this block with the SKB's list. ──
  '2027-01-01', // Tahun Baru 2027 Masehi
  '2027-01-05', // Isra Mikraj Nabi Muhammad SAW (estimate)
  '2027-02-06', // Tahun Baru Imlek 2578 Kongzili
  '2027-03-08', // Hari Suci Nyepi, Tahun Baru Saka 1949 (estimate)
  '2027-03-10', // Idul Fitri 1448 H (estimate)
  '2027-03-11', // Idul Fitri 1448 H (estimate)
  '2027-03-26', // Wafat Yesus Kristus
  '2027-03-28', // Kebangkitan Yesus Kristus (Paskah)
  '2027-05-01', // Hari Buruh Internasional
  '2027-05-06', // Kenaikan Yesus Kristus
  '2027-05-16', // Idul Adha 1448 H (estimate)
  '2027-05-20', // Hari Raya Waisak 2571 BE (estimate)
  '2027-06-01', // Hari Lahir Pancasila
  '2027-06-06', // Tahun Baru Islam 1449 H (estimate)
  '2027-08-15', // Maulid Nabi Muhammad SAW (estimate)
  '2027-08-17', // Proklamasi Kemerdekaan RI
  '2027-12-25', // Kelahiran Yesus Kristus (Natal)
]);
