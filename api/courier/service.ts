/** The courier's route: today's deliveries grouped by kecamatan and desa, shaped by the access layer. */
import type { Request } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { courierActsSince, currentPickups, routeCases } from '../../db/repositories/courier-route.js';
import { deliveryLinks, groupRoute } from '../../domain/courier-route.js';
import { jakartaDateString } from '../../domain/citizen.js';
import { nextOfficeDayStart } from '../../domain/calendar.js';
import type { AccessLayer } from '../access/layer.js';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** Midnight at the start of the Jakarta day after `nowMs` (WIB has no daylight saving). */
function endOfJakartaDay(nowMs: number): number {
  return Date.parse(`${jakartaDateString(nowMs)}T00:00:00+07:00`) + 24 * 3600_000;
}

export async function courierRoute(deps: { db: Kysely<Database>; access: AccessLayer; now: () => number; holidays: readonly string[] }, req: Request) {
  const nowMs = deps.now();
  const me = req.user!.username;
  const rows = await routeCases(deps.db);
  const [shaped, { pickups, lastFailure }, acts] = await Promise.all([
    deps.access.routeItems(req, rows),
    currentPickups(deps.db, rows.map((r) => r.registration_number)),
    courierActsSince(deps.db, me, new Date(Date.parse(`${jakartaDateString(nowMs)}T00:00:00+07:00`))),
  ]);
  const tomorrow = endOfJakartaDay(nowMs);
  const stops = shaped.map(({ row: r, recipient }) => {
    // After a failed attempt the next one is due on the next office day (the workflow's rule).
    const failedAt = r.waiting_for === 'DELIVERY_RETRY' ? lastFailure.get(r.registration_number) : undefined;
    const from = failedAt ? nextOfficeDayStart(failedAt.getTime(), deps.holidays) : null;
    const pickup = pickups.get(r.registration_number);
    return {
      registrationNumber: r.registration_number,
      documentType: r.document_type,
      district: r.district,
      // Grouping key only (not in the answer twice): a desa the caller may not see groups as null.
      village: recipient?.village ?? null,
      waitingFor: r.waiting_for,
      stepDueAt: iso(r.step_due_at),
      overdue: r.overdue,
      deliveryAttempts: r.delivery_attempts,
      availableFrom: from !== null && from > nowMs ? new Date(from).toISOString() : null,
      dueToday: from === null || from < tomorrow,
      pickedUp: pickup ? { username: pickup.username, name: pickup.name, at: pickup.at.toISOString(), byMe: pickup.username === me } : null,
      recipient,
      links: deliveryLinks(recipient?.phone ?? null, recipient?.address ? { ...recipient, district: r.district } : null),
    };
  });
  const today = stops.filter((s) => s.dueToday);
  const strip = ({ village: _v, ...s }: (typeof stops)[number]) => s;
  return {
    date: jakartaDateString(nowMs),
    total: today.length,
    groups: groupRoute(today).map((g) => ({ district: g.district, villages: g.villages.map((v) => ({ village: v.village, items: v.items.map(strip) })) })),
    later: stops.filter((s) => !s.dueToday).map(strip),
    doneToday: acts.map((a) => ({
      registrationNumber: a.registration_number,
      type: a.type as 'DELIVERED' | 'DELIVERY_FAILED',
      at: new Date(a.at).toISOString(),
      district: a.district,
      documentType: a.document_type,
    })),
  };
}
