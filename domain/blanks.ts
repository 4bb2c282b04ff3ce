/** Pure rules of the blank-card (blangko) ledger: labels staff read and the low-stock crossing. */
import type { DocumentType } from './sop.js';

export const BLANK_MOVEMENT_KINDS = ['OPENING', 'ADD', 'CONSUME', 'DAMAGED', 'CORRECTION'] as const;
export type BlankMovementKind = (typeof BLANK_MOVEMENT_KINDS)[number];

export const BLANK_MOVEMENT_LABELS: Record<BlankMovementKind, string> = {
  OPENING: 'Saldo awal',
  ADD: 'Penambahan stok',
  CONSUME: 'Dipakai untuk cetak',
  DAMAGED: 'Blangko rusak (cetak gagal)',
  CORRECTION: 'Koreksi stok opname',
};

/**
 * The low-stock alert fires once per crossing: when a movement takes the stock from at or above
 * the threshold to below it. It is re-armed by any movement that brings the stock back to the
 * threshold or above (the next fall below fires again). A threshold of 0 turns the alert off.
 */
export function crossedBelowThreshold(before: number, after: number, threshold: number): boolean {
  return threshold > 0 && before >= threshold && after < threshold;
}

export function lowStockText(o: { documentTypeLabel: string; after: number; threshold: number }): string {
  return (
    `[Stok blangko menipis] Sisa blangko ${o.documentTypeLabel}: ${o.after} lembar, di bawah batas minimum ${o.threshold} lembar. ` +
    `Mohon segera diajukan penambahan stok blangko.`
  );
}

export type { DocumentType };
