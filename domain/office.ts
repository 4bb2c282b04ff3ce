/**
 * The office profile printed on every paper and shown to citizens (SPEC §7 `OFFICE_*`).
 * Defaults are Disdukcapil Kabupaten Grobogan's; an office overrides them in the environment.
 */
export interface Signatory {
  readonly title: string;
  readonly name: string;
  readonly nip: string;
}

export interface OfficeProfile {
  /** Government level above the office, first line of the letterhead. */
  readonly government: string;
  readonly name: string;
  readonly address: string;
  readonly phone: string;
  readonly email: string;
  readonly website: string;
  /** City used in "Purwodadi, 3 Desember 2026" above signatures. */
  readonly city: string;
  /** PNG or JPEG file; null draws the built-in emblem. */
  readonly logoFile: string | null;
  /** Head of office (kadis). */
  readonly head: Signatory;
  /** Head of the population-administration division (kabid), signs approvals. */
  readonly kabid: Signatory;
  /** Office hours as told to citizens. */
  readonly hours: string;
}

export const DEFAULT_OFFICE_PROFILE: OfficeProfile = Object.freeze({
  government: 'PEMERINTAH KABUPATEN GROBOGAN',
  name: 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Grobogan',
  address: 'Jl. Gajah Mada No. 3, Purwodadi, Grobogan, Jawa Tengah 58111',
  phone: '(0292) 421114',
  email: 'disdukcapil@grobogan.go.id',
  website: 'disdukcapil.grobogan.go.id',
  city: 'Purwodadi',
  logoFile: null,
  head: Object.freeze({ title: 'Kepala Dinas', name: 'Kepala Dinas Dukcapil', nip: '-' }),
  kabid: Object.freeze({ title: 'Kepala Bidang Pelayanan Pendaftaran Penduduk', name: 'Kepala Bidang Dafduk', nip: '-' }),
  hours: 'Senin–Kamis 07.30–16.00, Jumat 07.30–16.30 WIB',
});
