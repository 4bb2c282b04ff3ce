/**
 * Every activity run twice (as a Temporal retry would) leaves one side effect; adapters speak
 * the providers' protocols. Real database (PGlite or TEST_DATABASE_URL) and file store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../../activities/index.js';
import { previewDailyRecap } from '../../activities/recap.js';
import { createWahaWhatsApp, createWebhookWhatsApp, wahaChatId } from '../../activities/adapters/whatsapp.js';
import { createCommandPrinter } from '../../activities/adapters/printer.js';
import { loadOrCreateSigner } from '../../activities/adapters/signer.js';
import { canonicalJson } from '../../domain/canonical-json.js';
import { silentLogger } from '../../infra/logger.js';
import { sha256Hex } from '../../infra/files.js';
import { jakartaDate } from '../../domain/calendar.js';
import { PERSONAL, addBlanks, createHarness, saveInput, seedAllStaff, seedCase, type Harness } from '../workflow/support.js';

let h: Harness;
let acts: Activities;
beforeAll(async () => {
  h = await createHarness();
  await seedAllStaff(h.db);
  acts = createActivities({ db: h.db, files: h.files, adapters: h.adapters, config: h.config, logger: silentLogger });
});
afterAll(async () => {
  await h?.close();
});

const twice = async <T>(fn: () => Promise<T>): Promise<[T, T]> => [await fn(), await fn()];
const stock = async () => (await h.db.selectFrom('blank_stock').select('quantity').where('document_type', '=', 'KTP_EL').executeTakeFirstOrThrow()).quantity;

describe('run twice, one side effect', () => {
  it('notifyApplicant: one SENT outbox row per key, in Indonesian, to the contact phone', async () => {
    const c = await seedCase(h.db);
    await twice(() => acts.notifyApplicant({ registrationNumber: c.registrationNumber, event: 'RECEIVED', key: `k:${c.registrationNumber}` }));
    const rows = await h.db.selectFrom('notifications').selectAll().where('registration_number', '=', c.registrationNumber).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'SENT', provider: 'outbox', kind: 'APPLICANT', recipient: PERSONAL.phone, attempts: 1 });
    expect(rows[0].text).toContain(c.registrationNumber);
    expect(rows[0].text).toContain('telah kami terima');
  });

  it('printCard: one blank consumed, one print job, one label, a job file; NO_STOCK changes nothing', async () => {
    const c = await seedCase(h.db);
    await addBlanks(h.db, 'KTP_EL', 1);
    const before = await stock();
    const at = Date.now();
    const [a, b] = await twice(() => acts.printCard({ registrationNumber: c.registrationNumber, documentType: 'KTP_EL', attempt: 1, at }));
    expect(a).toEqual(b);
    expect(a.status).toBe('PRINTED');
    expect(await stock()).toBe(before - 1);
    const moves = await h.db.selectFrom('blank_movements').selectAll().where('registration_number', '=', c.registrationNumber).execute();
    expect(moves.map((m) => [m.kind, m.delta])).toEqual([['CONSUME', -1]]);
    const jobs = await h.db.selectFrom('print_jobs').selectAll().where('registration_number', '=', c.registrationNumber).execute();
    expect(jobs).toHaveLength(1);
    expect(JSON.parse((await h.files.read(jobs[0].job_path)).toString()).registrationNumber).toBe(c.registrationNumber);
    const labels = await h.db.selectFrom('documents').selectAll().where('registration_number', '=', c.registrationNumber).where('kind', '=', 'label').execute();
    expect(labels).toHaveLength(1);
    expect((await h.files.read(labels[0].storage_path)).subarray(0, 4).toString()).toBe('%PDF');
    // Attempt 2 with an empty stock (drain it first).
    const left = await stock();
    if (left > 0) await h.db.updateTable('blank_stock').set({ quantity: 0 }).where('document_type', '=', 'KTP_EL').execute();
    const none = await acts.printCard({ registrationNumber: c.registrationNumber, documentType: 'KTP_EL', attempt: 2, at });
    expect(none).toEqual({ status: 'NO_STOCK' });
    expect(await h.db.selectFrom('print_jobs').select('id').where('registration_number', '=', c.registrationNumber).execute()).toHaveLength(1);
    if (left > 0) await h.db.updateTable('blank_stock').set({ quantity: left }).where('document_type', '=', 'KTP_EL').execute();
  });

  it('recordPrintFailure: one DAMAGED movement with the reason; confirmPrint then recap counts only confirmed prints', async () => {
    const failed = await seedCase(h.db);
    const ok = await seedCase(h.db);
    await addBlanks(h.db, 'KTP_EL', 2);
    const at = Date.now();
    await acts.printCard({ registrationNumber: failed.registrationNumber, documentType: 'KTP_EL', attempt: 1, at });
    await acts.printCard({ registrationNumber: ok.registrationNumber, documentType: 'KTP_EL', attempt: 1, at });
    const inputId = await saveInput(h.db, failed.registrationNumber, 'confirm-print', { result: 'failed', reason: 'Warna pudar pada blangko' });
    await twice(() => acts.recordPrintFailure({ registrationNumber: failed.registrationNumber, documentType: 'KTP_EL', attempt: 1, inputId, actorUsername: 'op1', at }));
    const damaged = await h.db.selectFrom('blank_movements').selectAll().where('registration_number', '=', failed.registrationNumber).where('kind', '=', 'DAMAGED').execute();
    expect(damaged).toHaveLength(1);
    expect(damaged[0]).toMatchObject({ delta: 0, note: 'Warna pudar pada blangko' });
    await twice(() => acts.confirmPrint({ registrationNumber: ok.registrationNumber, attempt: 1, at }));

    const date = jakartaDate(at);
    // Today's recap is a preview (SEMENTARA), never archived: the closed recap is tested in test/api/recap.test.ts.
    const [r1, r2] = await twice(() => previewDailyRecap(h.db, date));
    expect(r1.count).toBe(r2.count);
    const csv = r1.csv.toString('utf8');
    expect(csv).toContain(ok.registrationNumber);
    expect(csv).not.toContain(failed.registrationNumber);
    expect(csv.split('\r\n')[0]).toContain('nomor_registrasi');
    for (const p of Object.values(PERSONAL)) expect(csv).not.toContain(p);
    expect(r1.pdf.subarray(0, 4).toString()).toBe('%PDF');
    expect(await h.db.selectFrom('daily_recaps').selectAll().where('date', '=', date).execute()).toHaveLength(0);
  });

  it('signApproval: one signature over the canonical v2 payload (with the approval PDF SHA-256) that verifies, one approval PDF', async () => {
    const c = await seedCase(h.db);
    const signedAt = Date.UTC(2026, 10, 23, 3, 0, 0);
    const [a, b] = await twice(() => acts.signApproval({ registrationNumber: c.registrationNumber, documentType: 'KTP_EL', signerUsername: 'kabid1', signerRole: 'kabid', signedAt }));
    expect(a).toEqual(b);
    const sigs = await h.db.selectFrom('signatures').selectAll().where('registration_number', '=', c.registrationNumber).execute();
    expect(sigs).toHaveLength(1);
    const approval = await h.db.selectFrom('documents').selectAll().where('registration_number', '=', c.registrationNumber).where('kind', '=', 'approval').executeTakeFirstOrThrow();
    expect(approval.sha256).toBe(sha256Hex(await h.files.read(approval.storage_path)));
    expect(sigs[0].payload).toBe(
      canonicalJson({
        v: 2,
        registrationNumber: c.registrationNumber,
        documentType: 'KTP_EL',
        signer: { username: 'kabid1', name: 'Kepala Bidang Satu', role: 'kabid', nip: null },
        signedAt: new Date(signedAt).toISOString(),
        keyId: h.adapters.signer.keyId,
        document: { kind: 'approval', sha256: approval.sha256 },
      }),
    );
    expect(h.adapters.signer.verify(sigs[0].payload, sigs[0].signature)).toBe(true);
    expect(h.adapters.signer.verify(sigs[0].payload.replace('KTP_EL', 'KIA'), sigs[0].signature)).toBe(false);
    expect(await h.db.selectFrom('documents').select('id').where('registration_number', '=', c.registrationNumber).where('kind', '=', 'approval').execute()).toHaveLength(1);
  });

  it('issueReceipt: one receipt with its own number and one receipt PDF', async () => {
    const c = await seedCase(h.db, { reason: 'DAMAGED' });
    const inputId = await saveInput(h.db, c.registrationNumber, 'handover', { receivedBy: 'Adik pemohon', relationship: 'FAMILY', oldCardCollected: true, note: 'diterima di rumah' });
    const [a, b] = await twice(() => acts.issueReceipt({ registrationNumber: c.registrationNumber, courierUsername: 'kurir1', inputId, deliveredAt: Date.now() }));
    expect(a).toEqual(b);
    expect(a.receiptNumber).toBe(`TT-${c.registrationNumber.slice(3)}`);
    const rows = await h.db.selectFrom('receipts').selectAll().where('registration_number', '=', c.registrationNumber).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ received_by: 'Adik pemohon', relationship: 'FAMILY', old_card_collected: true, note: 'diterima di rumah' });
    const docs = await h.db.selectFrom('documents').selectAll().where('registration_number', '=', c.registrationNumber).where('kind', '=', 'receipt').execute();
    expect(docs).toHaveLength(1);
    expect(docs[0].sha256).toBe(sha256Hex(await h.files.read(docs[0].storage_path)));
  });

  it('recordSignature then renderApprovalDocument (the split pair): one signature with no PDF yet, then one approval PDF', async () => {
    const c = await seedCase(h.db);
    const approvals = () => h.db.selectFrom('documents').select('id').where('registration_number', '=', c.registrationNumber).where('kind', '=', 'approval').execute();
    const [a, b] = await twice(() => acts.recordSignature({ registrationNumber: c.registrationNumber, documentType: 'KTP_EL', signerUsername: 'kabid1', signerRole: 'kabid', signedAt: Date.now() }));
    expect(a).toEqual(b);
    expect(await h.db.selectFrom('signatures').select('registration_number').where('registration_number', '=', c.registrationNumber).execute()).toHaveLength(1);
    expect(await approvals()).toHaveLength(0);
    await twice(() => acts.renderApprovalDocument({ registrationNumber: c.registrationNumber }));
    expect(await approvals()).toHaveLength(1);
  });

  it('recordReceipt then renderReceiptDocument (the split pair): one receipt row with no PDF yet, then one receipt PDF', async () => {
    const c = await seedCase(h.db);
    const inputId = await saveInput(h.db, c.registrationNumber, 'handover', { receivedBy: 'Pemohon', relationship: 'SELF' });
    const receipts = () => h.db.selectFrom('documents').selectAll().where('registration_number', '=', c.registrationNumber).where('kind', '=', 'receipt').execute();
    const [a, b] = await twice(() => acts.recordReceipt({ registrationNumber: c.registrationNumber, courierUsername: 'kurir1', inputId, deliveredAt: Date.now() }));
    expect(a).toEqual(b);
    expect(a.receiptNumber).toBe(`TT-${c.registrationNumber.slice(3)}`);
    expect(await h.db.selectFrom('receipts').select('number').where('registration_number', '=', c.registrationNumber).execute()).toHaveLength(1);
    expect(await receipts()).toHaveLength(0);
    await twice(() => acts.renderReceiptDocument({ registrationNumber: c.registrationNumber }));
    const docs = await receipts();
    expect(docs).toHaveLength(1);
    expect(docs[0].sha256).toBe(sha256Hex(await h.files.read(docs[0].storage_path)));
  });

  it('archiveCase: one archive document whose manifest hashes every document and lists every event', async () => {
    const c = await seedCase(h.db);
    await acts.signApproval({ registrationNumber: c.registrationNumber, documentType: 'KTP_EL', signerUsername: 'kabid1', signerRole: 'kabid', signedAt: Date.now() });
    await acts.recordTransition({
      registrationNumber: c.registrationNumber,
      seq: 1,
      at: Date.now(),
      snapshot: { status: 'IN_PROGRESS', currentStep: 'DOCUMENT_VERIFICATION', stepStartedAt: null, stepDueAt: null, overdue: false, escalationLevel: 0, waitingFor: null, rejection: null, resubmissionDueAt: null, receiptNumber: null, closedAt: null },
      events: [{ type: 'SUBMITTED', stepKey: 'SUBMISSION' }],
    });
    const [a, b] = await twice(() => acts.archiveCase({ registrationNumber: c.registrationNumber, at: Date.now() }));
    expect(a).toEqual(b);
    const archives = await h.db.selectFrom('documents').selectAll().where('registration_number', '=', c.registrationNumber).where('kind', '=', 'archive').execute();
    expect(archives).toHaveLength(1);
    const manifest = JSON.parse((await h.files.read(a.path)).toString()) as { events: Array<{ type: string }>; documents: Array<{ kind: string; path: string; sha256: string }> };
    expect(manifest.events.map((e) => e.type)).toEqual(['SUBMITTED']);
    expect(manifest.documents.map((d) => d.kind)).toEqual(['approval']);
    expect(manifest.documents[0].sha256).toBe(sha256Hex(await h.files.read(manifest.documents[0].path)));
    expect(a.sha256).toBe(sha256Hex(await h.files.read(a.path)));
  });

  it('recordTransition: idempotent, and an older seq never rolls the case row back', async () => {
    const c = await seedCase(h.db);
    const snap = (step: 'PRINT_VERIFICATION' | 'APPROVAL') => ({ status: 'IN_PROGRESS' as const, currentStep: step, stepStartedAt: 1, stepDueAt: 2, overdue: false, escalationLevel: 0, waitingFor: 'STAFF_ACTION', rejection: null, resubmissionDueAt: null, receiptNumber: null, closedAt: null });
    const t5 = { registrationNumber: c.registrationNumber, seq: 5, at: Date.now(), snapshot: snap('APPROVAL'), startedRun: { runSeq: 5, stepKey: 'APPROVAL' as const, role: 'kabid' as const, standardMinutes: 1, startedAt: Date.now(), dueAt: Date.now() + 60_000 }, escalation: { stepKey: 'APPROVAL' as const, stepSeq: 5, level: 1, role: 'kadis' as const, at: Date.now() }, events: [{ type: 'STEP_STARTED' as const, stepKey: 'APPROVAL' as const }] };
    await twice(() => acts.recordTransition(t5));
    await acts.recordTransition({ registrationNumber: c.registrationNumber, seq: 4, at: Date.now(), snapshot: snap('PRINT_VERIFICATION'), events: [{ type: 'ESCALATED', stepKey: null }] });
    const row = await h.db.selectFrom('cases').selectAll().where('registration_number', '=', c.registrationNumber).executeTakeFirstOrThrow();
    expect(row.current_step).toBe('APPROVAL');
    expect(row.state_seq).toBe(5);
    expect(await h.db.selectFrom('step_runs').select('id').where('registration_number', '=', c.registrationNumber).execute()).toHaveLength(1);
    expect(await h.db.selectFrom('escalations').select('id').where('registration_number', '=', c.registrationNumber).execute()).toHaveLength(1);
    const events = await h.db.selectFrom('case_events').select('type').where('registration_number', '=', c.registrationNumber).orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(['STEP_STARTED', 'ESCALATED']);
  });

  it('notifyEscalation: one message per supervisor with a phone (or the role), courier group once without personal data', async () => {
    const c = await seedCase(h.db, { district: 'Godong' });
    await twice(() => acts.notifyEscalation({ registrationNumber: c.registrationNumber, stepKey: 'DOCUMENT_VERIFICATION', stepSeq: 1, level: 1, role: 'subkoordinator', dueAt: Date.now() }));
    await twice(() => acts.notifyEscalation({ registrationNumber: c.registrationNumber, stepKey: 'DOCUMENT_VERIFICATION', stepSeq: 1, level: 3, role: 'kadis', dueAt: Date.now() }));
    await twice(() => acts.notifyCourierGroup({ registrationNumber: c.registrationNumber, documentType: 'KTP_EL', district: 'Godong', key: `courier:${c.registrationNumber}:1` }));
    const rows = await h.db.selectFrom('notifications').selectAll().where('registration_number', '=', c.registrationNumber).orderBy('id').execute();
    expect(rows.map((r) => [r.kind, r.recipient])).toEqual([
      ['ESCALATION', '+6281100000002'],
      ['ESCALATION', 'role:kadis'],
      ['COURIER_GROUP', h.config.WA_COURIER_GROUP_ID],
    ]);
    expect(rows[2].text).toContain('Kecamatan Godong');
    for (const r of rows) for (const p of Object.values(PERSONAL)) expect(r.text).not.toContain(p);
  });

  it('sendOverdueDigest: one message per supervisor and slot, listing only cases escalated to that role', async () => {
    const c = await seedCase(h.db);
    await h.db.updateTable('cases').set({ overdue: true, escalation_level: 1, current_step: 'DOCUMENT_VERIFICATION', step_due_at: new Date() }).where('registration_number', '=', c.registrationNumber).execute();
    const slot = Date.UTC(2026, 10, 23, 2, 0, 0);
    const [a, b] = await twice(() => acts.sendOverdueDigest({ slot }));
    expect(a.messages).toBe(b.messages);
    const digests = await h.db.selectFrom('notifications').selectAll().where('kind', '=', 'DIGEST').where('idempotency_key', 'like', `digest:${slot}:%`).execute();
    const forSub = digests.filter((d) => d.recipient === '+6281100000002');
    expect(forSub).toHaveLength(1);
    expect(forSub[0].text).toContain(c.registrationNumber);
    // Level 1 of an operator step reaches the subkoordinator only.
    expect(digests.filter((d) => d.text.includes(c.registrationNumber)).map((d) => d.recipient)).toEqual(['+6281100000002']);
  });
});

describe('adapters', () => {
  it('WAHA: POST /api/sendText with session, chatId and X-Api-Key; a failure is recorded and a retry sends once', async () => {
    const calls: Array<{ url: string; headers: Record<string, string>; body: Record<string, unknown> }> = [];
    let fail = true;
    const fetchImpl = (async (url: string, init: RequestInit) => {
      calls.push({ url, headers: init.headers as Record<string, string>, body: JSON.parse(init.body as string) as Record<string, unknown> });
      if (fail) return new Response('down', { status: 502 });
      return new Response(JSON.stringify({ id: 'msg-1' }), { status: 201 });
    }) as typeof fetch;
    const waha = createWahaWhatsApp({ url: 'http://127.0.0.1:9/waha/', apiKey: 'secret-key', session: 'kantor', fetchImpl });
    const wahaActs = createActivities({ db: h.db, files: h.files, adapters: { ...h.adapters, whatsapp: waha }, config: h.config, logger: silentLogger });
    const c = await seedCase(h.db);
    const key = `waha:${c.registrationNumber}`;
    await expect(wahaActs.notifyApplicant({ registrationNumber: c.registrationNumber, event: 'PRINTED', key })).rejects.toThrow(/502/);
    let row = await h.db.selectFrom('notifications').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'FAILED', attempts: 1 });
    fail = false;
    await twice(() => wahaActs.notifyApplicant({ registrationNumber: c.registrationNumber, event: 'PRINTED', key }));
    row = await h.db.selectFrom('notifications').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'SENT', provider: 'waha', provider_message_id: 'msg-1', attempts: 2 });
    expect(calls).toHaveLength(2);
    expect(calls[1].url).toBe('http://127.0.0.1:9/waha/api/sendText');
    expect(calls[1].headers['X-Api-Key']).toBe('secret-key');
    expect(calls[1].body).toMatchObject({ session: 'kantor', chatId: '6281234567890@c.us' });
    expect(wahaChatId('grup-kurir@g.us')).toBe('grup-kurir@g.us');
    expect(wahaChatId('081234567890')).toBe('6281234567890@c.us');
  });

  it('webhook: POSTs JSON with recipient, text and idempotency key', async () => {
    let seen: { url: string; body: Record<string, unknown> } | undefined;
    const fetchImpl = (async (url: string, init: RequestInit) => {
      seen = { url, body: JSON.parse(init.body as string) as Record<string, unknown> };
      return new Response('{}', { status: 200 });
    }) as typeof fetch;
    const hook = createWebhookWhatsApp({ url: 'http://127.0.0.1:9/hook', fetchImpl });
    const r = await hook.send({ recipient: '+6281100000009', text: 'Halo', idempotencyKey: 'k1' });
    expect(r.provider).toBe('webhook');
    expect(seen).toEqual({ url: 'http://127.0.0.1:9/hook', body: { recipient: '+6281100000009', text: 'Halo', idempotencyKey: 'k1' } });
  });

  it('command printer hands the job file path to PRINTER_COMMAND as one argument', async () => {
    const outDir = path.join(h.dataDir, 'printer-out');
    fs.mkdirSync(outDir, { recursive: true });
    const printer = createCommandPrinter(h.files, `cp --target-directory=${outDir}`);
    const { jobPath } = await printer.print({ registrationNumber: 'BP-20261123-00099', attempt: 3, content: '{"x":1}' });
    expect(jobPath).toBe('print-jobs/BP-20261123-00099/attempt-3.json');
    expect(fs.readFileSync(path.join(outDir, 'attempt-3.json'), 'utf8')).toBe('{"x":1}');
  });

  it('command printer runs PRINTER_COMMAND once per job when the activity is retried after it succeeded', async () => {
    const log = path.join(h.dataDir, 'printer-calls.log');
    const printer = createCommandPrinter(h.files, `echo "$(basename "$1")" >> ${log}; :`);
    const job = { registrationNumber: 'BP-20261123-00098', attempt: 1, content: '{"x":2}' };
    const [a, b] = await twice(() => printer.print(job));
    expect(a).toEqual(b);
    await printer.print({ ...job, attempt: 2 });
    expect(fs.readFileSync(log, 'utf8').trim().split('\n')).toEqual(['attempt-1.json', 'attempt-2.json']);
  });

  it('command printer tries again when PRINTER_COMMAND failed (no marker is written)', async () => {
    const flag = path.join(h.dataDir, 'printer-fails-once');
    fs.writeFileSync(flag, '');
    const log = path.join(h.dataDir, 'printer-retry.log');
    const printer = createCommandPrinter(h.files, `if [ -e ${flag} ]; then rm ${flag}; exit 3; fi; echo "$(basename "$1")" >> ${log}; :`);
    const job = { registrationNumber: 'BP-20261123-00097', attempt: 1, content: '{"x":3}' };
    await expect(printer.print(job)).rejects.toThrow();
    await printer.print(job);
    await printer.print(job);
    expect(fs.readFileSync(log, 'utf8').trim().split('\n')).toEqual(['attempt-1.json']);
  });

  it('signer: Ed25519 key generated once with mode 0600 and reused', () => {
    const keyPath = path.join(h.dataDir, 'keys', 'test-signer.pem');
    const a = loadOrCreateSigner(keyPath, { generate: true });
    const b = loadOrCreateSigner(keyPath, { generate: true });
    expect(a.keyId).toBe(b.keyId);
    expect(fs.statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(b.verify('payload', a.sign('payload'))).toBe(true);
    expect(() => loadOrCreateSigner(path.join(h.dataDir, 'keys', 'missing.pem'), { generate: false })).toThrow(/not found/);
  });
});
