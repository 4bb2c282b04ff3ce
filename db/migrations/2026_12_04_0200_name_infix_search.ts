/* Frozen in time: never edit after it has run anywhere; add a new migration instead. */
import { sql, type Kysely } from 'kysely';

/**
 * Name search (a substring of the normalised subject or contact name, domain/search.ts) through an
 * index on PGlite and PostgreSQL alike: `name_infixes(name)` is every word of the name and every
 * substring of three or more letters inside one word. A query's words imply keys that every
 * matching name's array contains (`nameSearchKeys`), so a GIN index on that array finds the
 * candidates exactly per column, and LIKE keeps the substring semantics.
 *
 * It replaces the trigram indexes of 2026_12_03_0700 (PostgreSQL only): a common name such as
 * "siti rahayu" intersected eight large trigram posting lists (20 ms of 30 at 1 M cases); here it is
 * two small lists per column (4 ms), bench/README.md "Name search".
 */
export async function up(db: Kysely<any>): Promise<void> {
  // plpgsql rather than SQL: a SQL function with a subquery is planned on every call (7 ms a row).
  // Parallel restricted: with no statistics for a rare key the planner guessed 5,000 rows and
  // started two parallel workers, 7-10 ms for a search that finds nothing in 0.1 ms.
  await sql`
    create function name_infixes(a text) returns text[] language plpgsql immutable strict parallel restricted as $fn$
    declare
      w text;
      out text[] := '{}';
    begin
      foreach w in array string_to_array(a, ' ') loop
        continue when w = '';
        if length(w) < 3 then
          out := out || w;
          continue;
        end if;
        for i in 1 .. length(w) - 2 loop
          for n in 3 .. length(w) - i + 1 loop
            out := out || substr(w, i, n);
          end loop;
        end loop;
      end loop;
      return out;
    end
    $fn$`.execute(db);
  await sql`create index cases_subject_name_infix on cases using gin (name_infixes(subject_name_search))`.execute(db);
  await sql`create index cases_contact_name_infix on cases using gin (name_infixes(contact_name_search))`.execute(db);
  await sql`drop index if exists cases_subject_name_trgm`.execute(db);
  await sql`drop index if exists cases_contact_name_trgm`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_contact_name_infix').ifExists().execute();
  await db.schema.dropIndex('cases_subject_name_infix').ifExists().execute();
  await sql`drop function if exists name_infixes(text)`.execute(db);
  const trgm = await sql<{ ok: number }>`select 1 as ok from pg_extension where extname = 'pg_trgm'`.execute(db);
  if (trgm.rows.length > 0) {
    await sql`create index if not exists cases_subject_name_trgm on cases using gin (subject_name_search gin_trgm_ops)`.execute(db);
    await sql`create index if not exists cases_contact_name_trgm on cases using gin (contact_name_search gin_trgm_ops)`.execute(db);
  }
}
