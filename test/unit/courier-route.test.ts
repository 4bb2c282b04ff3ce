import { describe, expect, it } from 'vitest';
import { addressLine, deliveryLinks, groupRoute } from '../../domain/courier-route.js';

describe('delivery links', () => {
  const place = { address: 'Jl. Gajah Mada No. 10', rt: '002', rw: '005', village: 'Kuripan', district: 'Purwodadi' };
  it('builds tel:, wa.me and a Maps search from a mobile number and a street address', () => {
    const l = deliveryLinks('0812-3456-7890', place);
    expect(l.tel).toBe('tel:+6281234567890');
    expect(l.whatsapp).toBe('https://wa.me/6281234567890');
    expect(l.maps).toBe(`https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(addressLine(place))}`);
    expect(addressLine(place)).toBe('Jl. Gajah Mada No. 10, RT 002 RW 005, Desa Kuripan, Kec. Purwodadi, Kabupaten Grobogan, Jawa Tengah');
  });
  it('gives no call or WhatsApp link without a usable number, and no Maps link without a street address', () => {
    expect(deliveryLinks(null, place)).toMatchObject({ tel: null, whatsapp: null });
    expect(deliveryLinks('12345', place)).toMatchObject({ tel: null, whatsapp: null });
    expect(deliveryLinks('+6281234567890', null).maps).toBeNull();
    expect(deliveryLinks('+6281234567890', { ...place, address: '  ' }).maps).toBeNull();
  });
});

describe('route grouping', () => {
  it('groups by kecamatan then desa alphabetically, an unseen desa last, keeping order inside a desa', () => {
    const items = [
      { id: 1, district: 'Toroh', village: 'Depok' },
      { id: 2, district: 'Purwodadi', village: 'Kuripan' },
      { id: 3, district: 'Purwodadi', village: null },
      { id: 4, district: 'Purwodadi', village: 'Danyang' },
      { id: 5, district: 'Purwodadi', village: 'Kuripan' },
    ];
    const g = groupRoute(items);
    expect(g.map((x) => x.district)).toEqual(['Purwodadi', 'Toroh']);
    expect(g[0]!.villages.map((v) => [v.village, v.items.map((i) => i.id)])).toEqual([
      ['Danyang', [4]],
      ['Kuripan', [2, 5]],
      [null, [3]],
    ]);
  });
});
