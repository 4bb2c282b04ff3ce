/**
 * The low-stock alert from the worker's print activity: the print that takes the stock below
 * BLANK_LOW_STOCK enqueues and sends one message per operator and sub-coordinator phone, once;
 * a retried print sends nothing again; the print itself is not held up by the alert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../../activities/index.js';
import { silentLogger } from '../../infra/logger.js';
import { addBlanks, createHarness, seedAllStaff, seedCase, type Harness } from '../workflow/support.js';

let h: Harness;
let acts: Activities;
beforeAll(async () => {
  h = await createHarness({ BLANK_LOW_STOCK: '3' });
  await seedAllStaff(h.db);
  acts = createActivities({ db: h.db, files: h.files, adapters: h.adapters, config: h.config, logger: silentLogger });
});
afterAll(async () => {
  await h?.close();
});

const alerts = () => h.db.selectFrom('notifications').selectAll().where('idempotency_key', 'like', 'low-stock:KIA:%').orderBy('id').execute();

describe('printCard and the low-stock alert', () => {
  it('alerts operators and the sub-coordinator once when a print crosses the threshold, and not on a retry', async () => {
    await addBlanks(h.db, 'KIA', 4);
    const a = await seedCase(h.db, { documentType: 'KIA' });
    const b = await seedCase(h.db, { documentType: 'KIA' });
    const at = Date.now();
    expect((await acts.printCard({ registrationNumber: a.registrationNumber, documentType: 'KIA', attempt: 1, at })).status).toBe('PRINTED'); // 3: not below
    expect(await alerts()).toHaveLength(0);
    expect((await acts.printCard({ registrationNumber: b.registrationNumber, documentType: 'KIA', attempt: 1, at })).status).toBe('PRINTED'); // 2: below
    await acts.printCard({ registrationNumber: b.registrationNumber, documentType: 'KIA', attempt: 1, at }); // a retry
    const sent = await alerts();
    expect(sent.map((n) => [n.recipient, n.status, n.kind])).toEqual([
      ['+6281100000001', 'SENT', 'ESCALATION'],
      ['+6281100000002', 'SENT', 'ESCALATION'],
    ]);
    expect(sent[0]!.text).toContain('Sisa blangko KIA: 2 lembar');
  });
});
