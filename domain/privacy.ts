/**
 * The citizen-side trust rules (SPEC §3, §4, §9): the privacy notice (versioned text), the limits
 * on applicant attempts, when the applicant may correct the delivery address, and retention.
 * Pure: no I/O. The office's data protection officer contact comes from configuration.
 */
import type { CaseStatus, StepKey } from './sop.js';
import { stepIndex } from './sop.js';

/** Bump when the notice's meaning changes; each case records the version its applicant accepted. */
export const PRIVACY_NOTICE_VERSION = '2026-12-02.1';

export interface PrivacyNoticeSection {
  heading: string;
  body: string;
}

export interface PrivacyNotice {
  version: string;
  title: string;
  sections: PrivacyNoticeSection[];
  consentLabel: string;
  guardianLabel: string;
}

const days = (n: number) => (Number.isInteger(n) ? `${n}` : n.toLocaleString('id-ID', { maximumFractionDigits: 2 }));

/** The notice in plain Indonesian (SPEC §9): what, why, who sees it, how long, controller, DPO. */
export function privacyNotice(o: { officeName: string; dpoContact: string; retentionDays: number }): PrivacyNotice {
  return {
    version: PRIVACY_NOTICE_VERSION,
    title: 'Pemberitahuan Pelindungan Data Pribadi',
    sections: [
      {
        heading: 'Data yang kami kumpulkan',
        body:
          'NIK, nomor KK, nama, tanggal lahir dan status perkawinan pemilik dokumen; nama dan nomor WhatsApp kontak; alamat pengantaran; ' +
          'serta pindaian berkas yang Anda unggah (KK, akta kelahiran, surat kehilangan, KTP lama, foto). Saat penyerahan, kurir mencatat ' +
          'nama penerima dan dapat mengambil foto serah terima.',
      },
      {
        heading: 'Untuk apa',
        body:
          'Hanya untuk memeriksa, mencetak dan mengantar KTP-el atau KIA yang Anda ajukan, dan untuk mengabari Anda lewat WhatsApp tentang ' +
          'kemajuan permohonan. Data anak (KIA) adalah data pribadi yang bersifat spesifik dan kami jaga secara khusus.',
      },
      {
        heading: 'Siapa yang melihat',
        body:
          'Operator pelayanan melihat seluruh data untuk memverifikasi berkas. Subkoordinator dan Kepala Bidang hanya melihat identitas dan ' +
          'berkas permohonan yang sedang menunggu persetujuan mereka. Kepala Dinas dapat melihat seluruh permohonan, dan setiap akses dicatat. ' +
          'Kurir ekspedisi hanya melihat nama penerima, nomor HP dan alamat pengantaran — tidak pernah NIK, nomor KK, tanggal lahir atau berkas. ' +
          'Administrator sistem tidak melihat data pribadi. Setiap kali petugas membuka data Anda, hal itu dicatat dan dapat Anda lihat di halaman lacak.',
      },
      {
        heading: 'Berapa lama disimpan',
        body:
          `Data pribadi dan berkas dihapus ${days(o.retentionDays)} hari setelah permohonan selesai, dibatalkan atau ditutup. ` +
          'Yang tetap disimpan hanya catatan tanpa data pribadi (tahapan, waktu, nomor registrasi, sidik dokumen) untuk laporan layanan. ' +
          'Anda dapat meminta penghapusan lebih awal setelah permohonan ditutup.',
      },
      {
        heading: 'Pengendali data',
        body: `${o.officeName} adalah pengendali data pribadi ini (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi).`,
      },
      {
        heading: 'Pejabat pelindungan data',
        body: `Pertanyaan, permintaan akses, perbaikan atau penghapusan data: ${o.dpoContact}.`,
      },
    ],
    consentLabel: 'Saya telah membaca pemberitahuan pelindungan data pribadi ini dan menyetujui pemrosesan data saya untuk permohonan ini.',
    guardianLabel: 'Untuk KIA: saya menyatakan bahwa saya adalah orang tua atau wali anak yang dimohonkan.',
  };
}

/** Applicant attempts at one case (track with NIK, cancel, resubmit, address) per hour. */
export const APPLICANT_ATTEMPTS_PER_CASE_PER_HOUR = 10;
/** Failed NIK + registration-number matches for one NIK per hour (guessing numbers with a known NIK). */
export const FAILED_ATTEMPTS_PER_NIK_PER_HOUR = 5;
/** A duplicate submission re-sends the open case's number to its WhatsApp at most this often. */
export const DUPLICATE_RESEND_INTERVAL_MS = 60 * 60 * 1000;

/** The last courier fact on a case at the handover step (from its timeline). */
export type DeliveryFact = 'PICKED_UP' | 'DELIVERY_FAILED' | 'RETURNED_TO_OFFICE' | null;

/**
 * The applicant may correct the delivery address while the card is still at the office (any open
 * step before the courier picked it up) or after a failed delivery; never once the case closed.
 */
export function addressChangeAllowed(status: CaseStatus, step: StepKey, lastDeliveryFact: DeliveryFact): boolean {
  if (status !== 'IN_PROGRESS' && status !== 'AWAITING_RESUBMISSION') return false;
  if (stepIndex(step) < stepIndex('HANDOVER')) return true;
  if (step !== 'HANDOVER') return false;
  return lastDeliveryFact !== 'PICKED_UP';
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The moment a case closed at `closedAt` becomes due for erasure. */
export function erasureDueAt(closedAt: number, retentionDays: number): number {
  return closedAt + retentionDays * DAY_MS;
}
/** Cases closed before this moment are due for erasure at `now`. */
export function retentionCutoff(now: number, retentionDays: number): number {
  return now - retentionDays * DAY_MS;
}

export const ERASED_DETAIL = 'Data pribadi telah dihapus sesuai masa retensi.';
