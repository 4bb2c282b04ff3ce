/**
 * Issue #14 item 2 over HTTP on the dev server: the task list's filters and sort orders with the
 * applicant's name where the access policy allows; claims seen by colleagues, released, taken
 * over and lapsing with the step; bulk print verification and bulk approval with the signing
 * passphrase (checked once, before anything is signed) and a result per case; the single
 * approval's passphrase (APPROVAL_PASSPHRASE=required) kept out of the stored input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { call, validSubmission } from './harness.js';
import type { ActionName } from '../../domain/sop.js';

let stack: TestStack;
const PASSWORDS = {
  operator: 'Kunci-Lumbung-Padi-2026-Op',
  subA: 'Kunci-Lumbung-Padi-2026-Sa',
  subB: 'Kunci-Lumbung-Padi-2026-Sb',
  kabid: 'Kunci-Lumbung-Padi-2026-Kb',
} as const;
const USERS = {
  operator: { username: 'op-tl', name: 'Rina Operator', role: 'operator' },
  subA: { username: 'sub-a', name: 'Agus Subkoor', role: 'subkoordinator' },
  subB: { username: 'sub-b', name: 'Bayu Subkoor', role: 'subkoordinator' },
  kabid: { username: 'kabid-tl', name: 'Sri Kabid', role: 'kabid' },
} as const;
type Who = keyof typeof USERS;
const tokens = {} as Record<Who, string>;

beforeAll(async () => {
  stack = await startTestStack({ APPROVAL_PASSPHRASE: 'required' });
  const admin = (await call(stack.baseUrl, 'POST', '/api/auth/login', { body: { username: stack.adminUsername, password: stack.adminPassword } })).body.token as string;
  for (const who of Object.keys(USERS) as Who[]) {
    const u = USERS[who];
    expect((await call(stack.baseUrl, 'POST', '/api/staff', { token: admin, body: { ...u, password: PASSWORDS[who] } })).status).toBe(201);
    tokens[who] = (await call(stack.baseUrl, 'POST', '/api/auth/login', { body: { username: u.username, password: PASSWORDS[who] } })).body.token;
  }
}, 420_000);
afterAll(async () => {
  await stack?.shutdown();
});

async function waitFor<T>(what: string, f: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const get = (who: Who, path: string) => call(stack.baseUrl, 'GET', path, { token: tokens[who] });
const post = (who: Who, path: string, body: unknown = {}) => call(stack.baseUrl, 'POST', path, { token: tokens[who], body });
const act = (regNo: string, action: ActionName, who: Who, body: unknown) => post(who, `/api/applications/${regNo}/actions/${action}`, body);
const stepOf = async (regNo: string) => (await get('operator', `/api/applications/${regNo}`)).body.currentStep as string;
/** At `step` and, at step 2, waiting for staff (the workflow has entered the step, not only the read model). */
const atStep = (regNo: string, step: string) =>
  waitFor(`${regNo} at ${step}`, async () => {
    const d = (await get('operator', `/api/applications/${regNo}`)).body;
    return d.currentStep === step && (step !== 'DOCUMENT_VERIFICATION' || d.waitingFor === 'STAFF_ACTION');
  });
type TaskItem = { registrationNumber: string; subjectName?: string; district: string; documentType: string; claim: null | { username: string; name: string; mine: boolean; note: string } };
const tasks = async (who: Who, query = '') => {
  const r = await get(who, `/api/tasks${query}`);
  expect(r.status).toBe(200);
  return r.body as { items: TaskItem[]; truncated: boolean; bulkActions: Array<{ action: string; needsPassphrase: boolean }> };
};
const regNos = (items: TaskItem[]) => items.map((i) => i.registrationNumber);

/** Submits a case and takes it to `step` (PRINT_VERIFICATION or APPROVAL). */
async function caseAt(step: 'PRINT_VERIFICATION' | 'APPROVAL', o: { district?: string; documentType?: 'KTP_EL' | 'KIA'; name?: string } = {}) {
  const body = validSubmission(o.documentType === 'KIA' ? { documentType: 'KIA', birthDate: '2023-03-02' } : {});
  body.delivery.district = o.district ?? 'Purwodadi';
  if (o.name) body.subject.name = o.name;
  const res = await call(stack.baseUrl, 'POST', '/api/applications', { body });
  expect(res.status).toBe(201);
  const regNo = res.body.registrationNumber as string;
  await atStep(regNo, 'DOCUMENT_VERIFICATION');
  expect((await act(regNo, 'verify-documents', 'operator', { decision: 'approve' })).status).toBe(200);
  if (step === 'APPROVAL') expect((await act(regNo, 'verify-print', 'subA', { decision: 'approve' })).status).toBe(200);
  await atStep(regNo, step);
  return regNo;
}

describe('task list and claims', () => {
  let godong: string;
  let kia: string;
  let plain: string;

  beforeAll(async () => {
    godong = await caseAt('PRINT_VERIFICATION', { district: 'Godong', name: 'Siti Aminah' });
    kia = await caseAt('PRINT_VERIFICATION', { documentType: 'KIA', name: 'Dimas Pratama' });
    plain = await caseAt('PRINT_VERIFICATION', { name: 'Joko Susilo' });
  }, 300_000);

  it("shows the sub-coordinator the applicant's name, offers bulk print verification, and filters by district, document type and overdue", async () => {
    const all = await tasks('subA');
    expect(regNos(all.items)).toEqual(expect.arrayContaining([godong, kia, plain]));
    expect(all.items.find((i) => i.registrationNumber === godong)).toMatchObject({ subjectName: 'Siti Aminah', district: 'Godong', claim: null });
    expect(all.bulkActions).toEqual([expect.objectContaining({ action: 'verify-print', needsPassphrase: false })]);
    expect(regNos((await tasks('subA', '?district=Godong')).items)).toEqual([godong]);
    expect(regNos((await tasks('subA', '?documentType=KIA')).items)).toEqual([kia]);
    expect((await tasks('subA', '?overdue=true')).items).toEqual([]);
    expect(regNos((await tasks('subA', '?step=PRINT_VERIFICATION')).items)).toEqual(expect.arrayContaining([godong, kia, plain]));
    // A step that is not the role's gives nothing (the filter narrows, never widens).
    expect((await tasks('subA', '?step=DOCUMENT_VERIFICATION')).items).toEqual([]);
  });

  it('sorts by submission time both ways and rejects an unknown sort order in Indonesian', async () => {
    const oldest = regNos((await tasks('subA', '?sort=oldest')).items).filter((r) => [godong, kia, plain].includes(r));
    const newest = regNos((await tasks('subA', '?sort=newest')).items).filter((r) => [godong, kia, plain].includes(r));
    expect(oldest).toEqual([godong, kia, plain]);
    expect(newest).toEqual([plain, kia, godong]);
    const bad = await get('subA', '/api/tasks?sort=acak');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('Urutan tidak dikenal');
  });

  it('a claim is shown to colleagues as "Sedang ditangani oleh …", blocks their claim and release, and can be taken over', async () => {
    const mine = await post('subA', `/api/claims/${godong}`);
    expect(mine.status).toBe(200);
    expect(mine.body.claim).toMatchObject({ username: 'sub-a', mine: true, note: 'Sedang ditangani oleh Agus Subkoor' });

    const seen = (await tasks('subB')).items.find((i) => i.registrationNumber === godong)!;
    expect(seen.claim).toMatchObject({ username: 'sub-a', name: 'Agus Subkoor', mine: false, note: 'Sedang ditangani oleh Agus Subkoor' });
    expect(regNos((await tasks('subB', '?claim=others')).items)).toEqual([godong]);
    expect(regNos((await tasks('subA', '?claim=mine')).items)).toEqual([godong]);
    expect(regNos((await tasks('subB', '?claim=free')).items)).not.toContain(godong);

    const refused = await post('subB', `/api/claims/${godong}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('sedang ditangani oleh Agus Subkoor');
    const notHers = await post('subB', `/api/claims/${godong}/release`);
    expect(notHers.status).toBe(409);
    expect(notHers.body.detail).toContain('hanya ia yang dapat melepaskannya');

    const takeOver = await post('subB', `/api/claims/${godong}`, { takeOver: true });
    expect(takeOver.status).toBe(200);
    expect(takeOver.body).toMatchObject({ claim: { username: 'sub-b' }, takenOverFrom: 'Agus Subkoor' });
    expect((await post('subB', `/api/claims/${godong}/release`)).body).toEqual({ registrationNumber: godong, claim: null });
    expect((await tasks('subA')).items.find((i) => i.registrationNumber === godong)!.claim).toBeNull();
  });

  it("refuses a claim on a case that is not the caller's task, and on an unknown case", async () => {
    const op = await post('operator', `/api/claims/${plain}`);
    expect(op.status).toBe(409);
    expect(op.body.detail).toContain('tidak sedang menunggu tindakan peran Anda');
    expect((await post('subA', '/api/claims/BP-20200101-99999')).status).toBe(404);
  });
});

describe('bulk decisions', () => {
  it('bulk print verification: claimed-by-others and wrong-step cases are skipped, an unknown one fails, the rest move on; the claim lapses with the step', async () => {
    const [a, b, c, claimed, early] = [
      await caseAt('PRINT_VERIFICATION'),
      await caseAt('PRINT_VERIFICATION'),
      await caseAt('PRINT_VERIFICATION'),
      await caseAt('PRINT_VERIFICATION'),
      await caseAt('APPROVAL'),
    ];
    expect((await post('subA', `/api/claims/${a}`)).status).toBe(200);
    expect((await post('subB', `/api/claims/${claimed}`)).status).toBe(200);
    const unknown = 'BP-20200101-99998';
    const r = await post('subA', '/api/bulk/decisions', { action: 'verify-print', registrationNumbers: [a, claimed, unknown, b, early, c] });
    expect(r.status).toBe(200);
    const by = Object.fromEntries((r.body.items as Array<{ registrationNumber: string; outcome: string; message: string; currentStep?: string }>).map((i) => [i.registrationNumber, i]));
    expect(by[a]).toMatchObject({ outcome: 'done', currentStep: 'APPROVAL' });
    expect(by[a]!.message).toBe('Disetujui; sekarang di tahap 4. Persetujuan dengan tanda tangan elektronik.');
    expect(by[b]).toMatchObject({ outcome: 'done', currentStep: 'APPROVAL' });
    expect(by[c]).toMatchObject({ outcome: 'done', currentStep: 'APPROVAL' });
    expect(by[claimed]).toMatchObject({ outcome: 'skipped', message: 'Dilewati: sedang ditangani oleh Bayu Subkoor.' });
    expect(by[early]!.outcome).toBe('skipped');
    expect(by[early]!.message).toContain('sekarang di tahap 4. Persetujuan');
    expect(by[unknown]).toMatchObject({ outcome: 'failed', message: 'Permohonan tidak ditemukan.' });
    expect(r.body.summary).toEqual({ done: 3, skipped: 2, failed: 1 });
    expect(r.body.summaryText).toBe('3 berhasil, 2 dilewati, 1 gagal');
    expect(await stepOf(claimed)).toBe('PRINT_VERIFICATION');
    // sub-a's claim on `a` was for step 3: at step 4 the kabid sees the task unclaimed.
    expect((await tasks('kabid')).items.find((i) => i.registrationNumber === a)!.claim).toBeNull();
  }, 300_000);

  it('the kabid may not verify prints in bulk, and the sub-coordinator may not approve in bulk', async () => {
    const regNo = await caseAt('PRINT_VERIFICATION');
    const kabid = await post('kabid', '/api/bulk/decisions', { action: 'verify-print', registrationNumbers: [regNo] });
    expect(kabid.status).toBe(403);
    expect(kabid.body.detail).toContain('Sub Koordinator');
    expect((await post('subA', '/api/bulk/decisions', { action: 'approve', registrationNumbers: [regNo], passphrase: PASSWORDS.subA })).status).toBe(403);
  }, 60_000);

  it('bulk approval signs nothing without the passphrase or with a wrong one, and signs each case with the right one', async () => {
    const cases = [await caseAt('APPROVAL'), await caseAt('APPROVAL'), await caseAt('APPROVAL')];
    const missing = await post('kabid', '/api/bulk/decisions', { action: 'approve', registrationNumbers: cases });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ path: 'passphrase', message: expect.stringContaining('kata sandi akun Anda') }]);
    const wrong = await post('kabid', '/api/bulk/decisions', { action: 'approve', registrationNumbers: cases, passphrase: 'bukan-kata-sandi-ini' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.detail).toContain('Frasa sandi salah. Tidak ada yang ditandatangani');
    for (const regNo of cases) expect(await stepOf(regNo)).toBe('APPROVAL');
    const signatures = await stack.db.selectFrom('signatures').select('registration_number').where('registration_number', 'in', cases).execute();
    expect(signatures).toEqual([]);

    const ok = await post('kabid', '/api/bulk/decisions', { action: 'approve', registrationNumbers: cases, passphrase: PASSWORDS.kabid });
    expect(ok.status).toBe(200);
    expect(ok.body.summary).toEqual({ done: 3, skipped: 0, failed: 0 });
    for (const item of ok.body.items) expect(item).toMatchObject({ outcome: 'done', currentStep: 'PRINTING' });
    const signed = await stack.db.selectFrom('signatures').select(['registration_number', 'signer_username']).where('registration_number', 'in', cases).execute();
    expect(signed.map((s) => s.signer_username)).toEqual(['kabid-tl', 'kabid-tl', 'kabid-tl']);
    // The passphrase is in no stored input.
    const inputs = await stack.db.selectFrom('action_inputs').select('body').where('registration_number', 'in', cases).execute();
    expect(JSON.stringify(inputs)).not.toContain(PASSWORDS.kabid);
    expect(JSON.stringify(inputs)).not.toContain('passphrase');
  }, 300_000);

  it('the approval preview states what the kabid signs, with the name the policy lets the kabid see', async () => {
    const regNo = await caseAt('APPROVAL', { name: 'Wulan Sari' });
    const r = await get('kabid', `/api/bulk/approval-preview?registrationNumbers=${regNo},BP-20200101-99997`);
    expect(r.status).toBe(200);
    expect(r.body.signer).toMatchObject({ name: 'Sri Kabid', role: 'kabid', roleLabel: 'Kepala Bidang' });
    expect(r.body.items[0]).toMatchObject({ registrationNumber: regNo, found: true, atApproval: true, holderName: 'Wulan Sari', documentType: 'KTP_EL' });
    expect(r.body.items[0].statement).toBe(
      `Saya, Sri Kabid (Kepala Bidang), menyetujui pencetakan KTP-el atas nama Wulan Sari, nomor registrasi ${regNo}, alasan permohonan: baru, ` +
        'dan membubuhkan tanda tangan elektronik pada surat persetujuan.',
    );
    expect(r.body.items[1]).toEqual({ registrationNumber: 'BP-20200101-99997', found: false, atApproval: false });
    expect((await get('subA', `/api/bulk/approval-preview?registrationNumbers=${regNo}`)).status).toBe(403);
  }, 60_000);

  it('with APPROVAL_PASSPHRASE=required the single approval needs the right passphrase, and a rejection does not', async () => {
    const regNo = await caseAt('APPROVAL');
    const none = await act(regNo, 'approve', 'kabid', { decision: 'approve' });
    expect(none.status).toBe(400);
    expect(none.body.errors[0].path).toBe('passphrase');
    expect((await act(regNo, 'approve', 'kabid', { decision: 'approve', passphrase: 'salah-salah-salah' })).status).toBe(400);
    expect(await stepOf(regNo)).toBe('APPROVAL');
    const ok = await act(regNo, 'approve', 'kabid', { decision: 'approve', passphrase: PASSWORDS.kabid });
    expect(ok.status).toBe(200);
    expect(ok.body.currentStep).toBe('PRINTING');
    const stored = await stack.db.selectFrom('action_inputs').select('body').where('registration_number', '=', regNo).where('action', '=', 'approve').execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.body).toEqual({ decision: 'approve' });

    const other = await caseAt('APPROVAL');
    const reject = await act(other, 'approve', 'kabid', { decision: 'reject', reason: 'Data tidak sesuai dengan SIAK' });
    expect(reject.status).toBe(200);
  }, 300_000);
});
