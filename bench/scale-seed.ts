/**
 * Seeds PostgreSQL with N realistic cases in SQL (generate_series, no API, no Temporal): two years
 * of submissions ending now, 19 kecamatan, both document types, every status (~5 % open: the
 * newest, as a backlog would be), step runs with counted minutes (the SLA report's input), a
 * timeline row at submission and at the last change, print jobs confirmed (the daily recap's
 * input) and receipts for delivered cases. Deterministic for a given N and end time.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { GROBOGAN_DISTRICTS } from '../domain/citizen.js';
import { backfillSlaRollups } from '../db/migrations/2026_12_04_0100_sla_rollups.js';
import { backfillOpenDue } from '../db/migrations/2026_12_04_0101_sla_open_due.js';

const FIRST = ['Siti', 'Budi', 'Agus', 'Sri', 'Dwi', 'Eko', 'Tri', 'Nur', 'Ahmad', 'Muhammad', 'Dewi', 'Rina', 'Wahyu', 'Joko', 'Slamet', 'Suparmi', 'Yuli', 'Ani', 'Bambang', 'Endang', 'Heru', 'Indah', 'Kurniawan', 'Lestari', 'Mulyono', 'Ngatini', 'Puji', 'Rahmat', 'Sutrisno', 'Tutik', 'Umi', 'Wartini', 'Yanto', 'Zainal', 'Fajar', 'Gilang', 'Hendra', 'Intan', 'Putri', 'Rizky'];
const LAST = ['Rahayu', 'Santoso', 'Wibowo', 'Setiawan', 'Lestari', 'Susanti', 'Hidayat', 'Purnomo', 'Kurniasih', 'Saputra', 'Pratama', 'Handayani', 'Nugroho', 'Wulandari', 'Prasetyo', 'Maharani', 'Sulistyo', 'Anggraini', 'Suryani', 'Permana', 'Hartono', 'Utami', 'Firmansyah', 'Astuti', 'Haryanto', 'Fitriani', 'Kusuma', 'Ramadhan', 'Safitri', 'Gunawan', 'Nurhayati', 'Hakim', 'Puspita', 'Aditya', 'Yulianti', 'Syahputra', 'Novitasari', 'Irawan', 'Marlina', 'Wijaya', 'Pertiwi', 'Darmawan', 'Oktaviani', 'Siswanto', 'Widodo', 'Ningsih', 'Subekti', 'Rohmah', 'Sukmawati', 'Triyono'];
const VILLAGES = ['Kuripan', 'Danyang', 'Ngembak', 'Kalongan', 'Nambuhan', 'Putat', 'Candisari', 'Genengsari', 'Kronggen', 'Tambirejo', 'Sidorejo', 'Karanganyar'];

/** Steps in order with the SOP's standard minutes (SUBMISSION … HANDOVER), then DONE. */
const STEPS: Array<[string, number | null, string | null]> = [
  ['SUBMISSION', 10, null],
  ['DOCUMENT_VERIFICATION', 5, 'operator'],
  ['PRINT_VERIFICATION', 1, 'subkoordinator'],
  ['APPROVAL', 1, 'kabid'],
  ['PRINTING', 5, 'operator'],
  ['COURIER_NOTICE', 1, 'operator'],
  ['HANDOVER', 1, 'ekspedisi'],
  ['DONE', null, null],
];

const arr = (xs: readonly string[]) => sql.raw(`array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]::text[]`);

export interface SeedOptions {
  cases: number;
  /** The end of the two years (the newest submission); default now. */
  end?: Date;
  log?: (msg: string) => void;
}

export async function seedCases(db: Kysely<Database>, opts: SeedOptions): Promise<void> {
  const n = opts.cases;
  const end = opts.end ?? new Date();
  const log = opts.log ?? (() => undefined);
  const t0 = Date.now();
  const step = (name: string) => log(`  ${name} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  // Triggers off while seeding (the SLA rollups are rebuilt in one pass at the end).
  await sql`set session_replication_role = replica`.execute(db);
  await sql`drop table if exists seed_base`.execute(db);
  // One row per case: its position in time, its fate (status, last step reached), and hashes.
  await sql`
    create unlogged table seed_base as
    select g,
      date_trunc('milliseconds', ${end}::timestamptz - make_interval(secs => (${n}::bigint - g) * (730.0 * 86400 / ${n}))) as submitted_at,
      (g * 2654435761) % 4294967291 as h,
      case
        when g > ${n} * 0.95 then case when g % 13 = 0 then 'AWAITING_RESUBMISSION' else 'IN_PROGRESS' end
        when g % 50 = 0 then 'CANCELLED'
        when g % 17 = 0 then 'REJECTED'
        else 'COMPLETED'
      end as status
    from generate_series(1::bigint, ${n}::bigint) g`.execute(db);
  await sql`alter table seed_base add column reached int, add column day text`.execute(db);
  // reached: index (0-based) of the run that is current (open) or was last; DONE = 7.
  await sql`
    update seed_base set
      day = to_char(submitted_at at time zone 'Asia/Jakarta', 'YYYYMMDD'),
      reached = case status
        when 'COMPLETED' then 7
        when 'REJECTED' then 1
        when 'AWAITING_RESUBMISSION' then 1
        when 'CANCELLED' then 1 + (h % 4)::int
        else 1 + (h % 6)::int
      end`.execute(db);
  step('base rows');
  // Durations per step in counted minutes (office clock), by a hash per step.
  await sql`drop table if exists seed_runs`.execute(db);
  await sql`
    create unlogged table seed_runs as
    select g, i, key, std, role, minutes,
      submitted_at + make_interval(secs => 60 * (sum(minutes) over w - minutes)) as started_at,
      submitted_at + make_interval(secs => 60 * sum(minutes) over w) as completed_at
    from (
      select b.g, b.submitted_at, s.i, (${arr(STEPS.map((x) => x[0]))})[s.i + 1] as key,
        (array[${sql.raw(STEPS.map((x) => x[1] ?? 'null').join(','))}]::float8[])[s.i + 1] as std,
        nullif((${arr(STEPS.map((x) => x[2] ?? ''))})[s.i + 1], '') as role,
        (case s.i
          when 0 then 1 + (b.h % 15)
          when 1 then 1 + ((b.h / 7) % 45)
          when 2 then (b.h / 11) % 12
          when 3 then (b.h / 13) % 90
          when 4 then 3 + ((b.h / 17) % 240)
          when 5 then (b.h / 19) % 4
          when 6 then 30 + ((b.h / 23) % 2400)
          else 0 end
        + ((b.h / (29 + s.i)) % 1000) / 1000.0)::float8 as minutes
      from seed_base b cross join generate_series(0, 7) s(i)
      where s.i <= b.reached
    ) x
    window w as (partition by g order by i)`.execute(db);
  step('run times');
  // The number of each seed row (row_number again, in the same order as above).
  await sql`create unlogged table seed_regno as select g, 'BP-' || day || '-' || lpad((row_number() over (partition by day order by g))::text, 5, '0') as regno, status, reached from seed_base`.execute(db);
  await sql`create index on seed_regno (g)`.execute(db);
  step('numbers');

  const d = arr(GROBOGAN_DISTRICTS);
  const first = arr(FIRST);
  const last = arr(LAST);
  const villages = arr(VILLAGES);
  await sql`
    insert into cases (registration_number, document_type, reason, status, current_step, subject_nik, subject_name,
      subject_birth_date, subject_married, kk_number, contact_name, contact_phone, address, rt, rw, village, district,
      delivery_note, workflow_started, submitted_at, updated_at, step_started_at, step_due_at, overdue, escalation_level,
      waiting_for, state_seq, rejection_step, rejection_reason, rejected_at, resubmission_due_at, receipt_number, closed_at,
      subject_name_search, contact_name_search, privacy_notice_version, delivery_attempts)
    select
      n.regno,
      case when b.h % 4 = 0 then 'KIA' else 'KTP_EL' end,
      (array['NEW','NEW','NEW','DAMAGED','LOST','DATA_CHANGE'])[1 + (b.h / 3) % 6],
      b.status,
      case when b.status = 'COMPLETED' then 'DONE' else (${arr(STEPS.map((s) => s[0]))})[1 + b.reached] end,
      '3315' || lpad(((b.g * 7919) % 1000000000000)::text, 12, '0'),
      nm.subject, to_char(date '1960-01-01' + (b.h % 20000)::int, 'YYYY-MM-DD'), b.h % 3 = 0,
      '3315' || lpad(((b.g * 104729) % 1000000000000)::text, 12, '0'),
      nm.contact, '+628' || lpad(((b.g * 7907) % 10000000000)::text, 10, '0'),
      'Jl. ' || (${villages})[1 + (b.h / 5) % 12] || ' No. ' || (1 + b.h % 120), lpad((1 + b.h % 12)::text, 3, '0'), lpad((1 + b.h % 8)::text, 3, '0'),
      (${villages})[1 + (b.h / 5) % 12], (${d})[1 + (b.g % 19)::int],
      case when b.h % 5 = 0 then 'Rumah cat hijau dekat masjid' end,
      true, b.submitted_at, coalesce(cur.completed_at, cur.started_at),
      case when b.status in ('IN_PROGRESS', 'AWAITING_RESUBMISSION') then cur.started_at end,
      case when b.status = 'IN_PROGRESS' then ${end}::timestamptz + make_interval(mins => ((b.h % 7200)::int - 2400)) end,
      b.status = 'IN_PROGRESS' and (b.h % 7200) < 2400,
      case when b.status = 'IN_PROGRESS' and (b.h % 7200) < 2400 then (b.h % 3)::int else 0 end,
      null, 10 + b.reached * 3,
      case when b.status in ('REJECTED', 'AWAITING_RESUBMISSION') then 'DOCUMENT_VERIFICATION' end,
      case when b.status in ('REJECTED', 'AWAITING_RESUBMISSION') then 'Foto akta kelahiran tidak terbaca' end,
      case when b.status in ('REJECTED', 'AWAITING_RESUBMISSION') then cur.started_at end,
      case when b.status = 'AWAITING_RESUBMISSION' then cur.started_at + interval '14 days' end,
      case when b.status = 'COMPLETED' then 'TT-' || b.day || '-' || lpad(b.g::text, 7, '0') end,
      case when b.status in ('COMPLETED', 'REJECTED', 'CANCELLED') then coalesce(cur.completed_at, cur.started_at) end,
      lower(nm.subject), lower(nm.contact), 'v1', 0
    from seed_base b
    cross join lateral (select (${first})[1 + (b.h % 40)::int] || ' ' || (${last})[1 + ((b.h / 41) % 50)::int] as subject,
                               (${first})[1 + ((b.h / 43) % 40)::int] || ' ' || (${last})[1 + ((b.h / 47) % 50)::int] as contact) nm
    join seed_regno n on n.g = b.g
    join seed_runs cur on cur.g = b.g and cur.i = b.reached`.execute(db);
  step('cases');
  const actors = sql`case r.role when 'operator' then 'operator' || (1 + r.g % 4) when 'subkoordinator' then 'subkoordinator1' when 'kabid' then 'kabid1' when 'ekspedisi' then 'kurir' || (1 + r.g % 6) end`;
  await sql`
    insert into step_runs (registration_number, step_key, seq, role, standard_minutes, started_at, due_at, completed_at, counted_minutes, outcome, actor_username, overdue)
    select n.regno, r.key, 1 + r.i * 3, r.role, r.std, r.started_at,
      case when r.std is not null then r.started_at + make_interval(mins => r.std::int) end,
      case when r.i < n.reached or (n.status in ('REJECTED', 'CANCELLED') and r.i = n.reached) then r.completed_at end,
      case when r.i < n.reached or (n.status in ('REJECTED', 'CANCELLED') and r.i = n.reached) then r.minutes end,
      case when r.i < n.reached then 'DONE' when n.status = 'REJECTED' and r.i = n.reached then 'REJECTED' when n.status = 'CANCELLED' and r.i = n.reached then 'CANCELLED' end,
      case when r.i < n.reached then ${actors} end,
      r.std is not null and r.minutes > r.std
    from seed_runs r join seed_regno n using (g)
    where r.key <> 'DONE' or n.status = 'COMPLETED'`.execute(db);
  step('step runs');
  await sql`
    insert into case_events (registration_number, event_key, type, step_key, actor_username, actor_role, data, at)
    select n.regno, '0:SUBMITTED', 'SUBMITTED', 'SUBMISSION', null, 'applicant', '{}'::jsonb, b.submitted_at
    from seed_regno n join seed_base b using (g)
    union all
    select n.regno, (1 + r.i * 3)::text || ':STEP_STARTED', 'STEP_STARTED', r.key, null, null, jsonb_build_object('step', r.key), r.started_at
    from seed_regno n join seed_runs r on r.g = n.g and r.i = n.reached`.execute(db);
  step('timeline');
  await sql`
    insert into print_jobs (registration_number, attempt, document_type, status, job_path, failure_reason, printed_at, confirmed_at)
    select n.regno, 1, c.document_type, 'CONFIRMED', 'print/' || n.regno || '-1.json', null, r.started_at, r.completed_at
    from seed_regno n join seed_runs r on r.g = n.g and r.i = 4 join cases c on c.registration_number = n.regno
    where r.i < n.reached`.execute(db);
  await sql`
    insert into receipts (number, registration_number, courier_username, received_by, relationship, old_card_collected, note, photo_path, delivered_at)
    select c.receipt_number, c.registration_number, 'kurir1', c.contact_name, 'SELF', null, null, null, c.closed_at
    from cases c where c.status = 'COMPLETED'`.execute(db);
  step('print jobs, receipts');
  await sql`drop table seed_runs`.execute(db);
  await sql`drop table seed_regno`.execute(db);
  await sql`drop table seed_base`.execute(db);
  await sql`set session_replication_role = origin`.execute(db);
  // The SLA rollups of every completed run: the migration's own backfill.
  await backfillSlaRollups(db);
  await backfillOpenDue(db);
  step('SLA rollups');
  await sql`vacuum analyze`.execute(db);
  step('vacuum analyze');
}
