/**
 * The courier's route (issue #14 item 4): call / WhatsApp / Maps links for a recipient, and the
 * grouping of a day's deliveries by kecamatan and desa. Pure code, used by the API
 * (`api/courier/`) and by the console through `/js/domain.js`.
 */
import { normalizeIndonesianMobile } from './citizen.js';

export interface RecipientPlace {
  address?: string | null;
  rt?: string | null;
  rw?: string | null;
  village?: string | null;
  district: string;
}

export interface DeliveryLinks {
  /** `tel:+628…`, or null without a usable phone number. */
  tel: string | null;
  /** `https://wa.me/628…` (digits only, no plus), or null. */
  whatsapp: string | null;
  /** A Google Maps search for the address, or null without a street address. */
  maps: string | null;
}

/** The address as one line a map search understands ("Jl. …, RT 2 RW 3, Desa X, Kec. Y, Kabupaten Grobogan, Jawa Tengah"). */
export function addressLine(p: RecipientPlace): string {
  const rtRw = [p.rt ? `RT ${p.rt}` : null, p.rw ? `RW ${p.rw}` : null].filter(Boolean).join(' ');
  return [p.address?.trim() || null, rtRw || null, p.village ? `Desa ${p.village}` : null, `Kec. ${p.district}`, 'Kabupaten Grobogan', 'Jawa Tengah']
    .filter(Boolean)
    .join(', ');
}

/** Links for what the viewer may see: a phone gives tel: and wa.me, a street address gives Maps. */
export function deliveryLinks(phone: string | null | undefined, place: RecipientPlace | null): DeliveryLinks {
  const e164 = phone ? normalizeIndonesianMobile(phone) : null;
  const hasAddress = !!place && !!place.address && place.address.trim() !== '';
  return {
    tel: e164 ? `tel:${e164}` : null,
    whatsapp: e164 ? `https://wa.me/${e164.slice(1)}` : null,
    maps: hasAddress ? `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(addressLine(place))}` : null,
  };
}

export interface RouteGroup<T> {
  district: string;
  villages: Array<{ village: string | null; items: T[] }>;
}

const byName = (a: string, b: string) => a.localeCompare(b, 'id', { sensitivity: 'base' });

/**
 * Groups deliveries by kecamatan, then desa (alphabetical; a desa the viewer may not see comes
 * last as null), keeping the given order inside a desa.
 */
export function groupRoute<T extends { district: string; village?: string | null }>(items: readonly T[]): Array<RouteGroup<T>> {
  const districts = new Map<string, Map<string | null, T[]>>();
  for (const item of items) {
    let villages = districts.get(item.district);
    if (!villages) districts.set(item.district, (villages = new Map()));
    const key = item.village?.trim() || null;
    const list = villages.get(key);
    if (list) list.push(item);
    else villages.set(key, [item]);
  }
  return [...districts.keys()].sort(byName).map((district) => {
    const villages = districts.get(district)!;
    const keys = [...villages.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : byName(a, b)));
    return { district, villages: keys.map((village) => ({ village, items: villages.get(village)! })) };
  });
}
