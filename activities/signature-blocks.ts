/** Signature blocks for official reports (berita acara, daily recap): columns of title, role, space, name. */
import type { Doc } from './pdf.js';

export interface SignatureBlock {
  /** e.g. "Yang membuat", "Mengetahui". */
  caption: string;
  /** e.g. "Operator", "Kepala Bidang". */
  role: string;
  /** The officer's name; null leaves a dotted line to write it by hand. */
  name: string | null;
}

/** Draws the blocks side by side at the current position (a new page when the space is short). */
export function drawSignatureBlocks(doc: Doc, blocks: SignatureBlock[], opts: { place?: string } = {}): void {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  if (doc.y + 120 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.moveDown(1.5);
  const top = doc.y;
  const colWidth = width / blocks.length;
  doc.font('Helvetica').fontSize(10);
  blocks.forEach((b, i) => {
    const x = left + i * colWidth;
    let y = top;
    if (opts.place && i === blocks.length - 1) {
      doc.text(opts.place, x, y, { width: colWidth, align: 'center' });
    }
    y += 14;
    doc.text(b.caption, x, y, { width: colWidth, align: 'center' });
    y += 14;
    doc.text(b.role, x, y, { width: colWidth, align: 'center' });
    y += 56;
    doc.font('Helvetica-Bold').text(b.name ?? '(..................................)', x, y, { width: colWidth, align: 'center', underline: b.name !== null });
    doc.font('Helvetica');
  });
  doc.x = left;
  doc.y = top + 104;
}
