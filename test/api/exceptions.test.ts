/**
 * Issue #13 over HTTP on the dev server, with a fake WhatsApp gateway (WA_PROVIDER=webhook) on
 * 127.0.0.1 that fails and recovers: no case records a courier notice that was not sent, every
 * message ends SENT once the gateway is back (or NO_RECIPIENT), none is sent twice; the resend
 * route; failed delivery, the applicant's office-pickup request and the office handover.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { call, validSubmission } from './harness.js';
import { ROLES, type ActionName, type Role } from '../../domain/sop.js';

const gateway = { down: true, received: [] as Array<{ key: string; recipient: string }>, refused: 0 };
let server: http.Server;
let stack: TestStack;
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (gateway.down) {
        gateway.refused++;
        res.writeHead(503).end('down');
        return;
      }
      const m = JSON.parse(body) as { recipient: string; idempotencyKey: string };
      gateway.received.push({ key: m.idempotencyKey, recipient: m.recipient });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `wa-${gateway.received.length}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  stack = await startTestStack({
    SLA_CLOCK: 'wall',
    WA_PROVIDER: 'webhook',
    WA_URL: `http://127.0.0.1:${port}/send`,
    WA_RETRY_BASE_SECONDS: '1',
    // Step 6 overdue after 3 s: escalations (to phones and to a role without any) happen while the gateway is down.
    SOP_STANDARD_MINUTES: JSON.stringify({ COURIER_NOTICE: 0.05 }),
  });
  const admin = await call(stack.baseUrl, 'POST', '/api/auth/login', { body: { username: stack.adminUsername, password: stack.adminPassword } });
  tokens.admin = admin.body.token;
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    const created = await call(stack.baseUrl, 'POST', '/api/staff', {
      token: tokens.admin,
      // kadis has no phone: escalations to kadis reach nobody (NO_RECIPIENT).
      body: { username: `${role}-x`, name: `Petugas ${role}`, role, password: `Kunci-Lumbung-Padi-${ROLES.indexOf(role)}-Tahun-2026`, ...(role === 'kadis' ? {} : { phone: '081200000002' }) },
    });
    expect(created.status).toBe(201);
    tokens[role] = (await call(stack.baseUrl, 'POST', '/api/auth/login', { body: { username: `${role}-x`, password: `Kunci-Lumbung-Padi-${ROLES.indexOf(role)}-Tahun-2026` } })).body.token;
  }
  expect((await call(stack.baseUrl, 'POST', '/api/blanks', { token: tokens.operator, body: { documentType: 'KTP_EL', quantity: 5 } })).status).toBe(200);
}, 180_000);
afterAll(async () => {
  await stack?.shutdown();
  await new Promise((r) => server?.close(r));
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
const act = (regNo: string, action: ActionName, role: Role, body: unknown) =>
  call(stack.baseUrl, 'POST', `/api/applications/${regNo}/actions/${action}`, { token: tokens[role], body });
const detail = async (regNo: string) => (await call(stack.baseUrl, 'GET', `/api/applications/${regNo}`, { token: tokens.admin })).body;
const atStep = (regNo: string, step: string, waitingFor?: string) =>
  waitFor(`${regNo} at ${step}/${waitingFor ?? '*'}`, async () => {
    const d = await detail(regNo);
    return d.currentStep === step && (waitingFor === undefined || d.waitingFor === waitingFor) ? d : null;
  });
const allNotifications = async () => (await call(stack.baseUrl, 'GET', '/api/notifications?limit=500', { token: tokens.admin })).body.items as Array<{ id: number; kind: string; registrationNumber: string | null; status: string; attempts: number; problem?: string | null }>;

async function toCourierNotice() {
  const body = validSubmission();
  const res = await call(stack.baseUrl, 'POST', '/api/applications', { body });
  expect(res.status).toBe(201);
  const regNo = res.body.registrationNumber as string;
  await atStep(regNo, 'DOCUMENT_VERIFICATION', 'STAFF_ACTION');
  for (const [action, role] of [['verify-documents', 'operator'], ['verify-print', 'subkoordinator'], ['approve', 'kabid']] as const) {
    expect((await act(regNo, action, role, { decision: 'approve' })).status).toBe(200);
  }
  await atStep(regNo, 'PRINTING', 'PRINT_CONFIRMATION');
  expect((await act(regNo, 'confirm-print', 'operator', { result: 'ok' })).status).toBe(200);
  return { regNo, nik: body.subject.nik as string };
}

it('with the gateway down step 6 waits and escalates without recording a notice; once it is back every message is SENT exactly once or NO_RECIPIENT', async () => {
  const a = await toCourierNotice();
  const b = await toCourierNotice();
  for (const c of [a, b]) await atStep(c.regNo, 'COURIER_NOTICE', 'COURIER_MESSAGE');
  const tasks = async (role: Role) => ((await call(stack.baseUrl, 'GET', '/api/tasks', { token: tokens[role] })).body.items as Array<{ registrationNumber: string }>).map((i) => i.registrationNumber);
  // A courier notice that did not go out is the operator's task.
  expect(await tasks('operator')).toEqual(expect.arrayContaining([a.regNo, b.regNo]));
  // Overdue while down: escalated up the ladder to kadis (no phone).
  await waitFor('step 6 escalated to level 3', async () => (await detail(a.regNo)).escalationLevel === 3);
  for (const c of [a, b]) {
    const d = await detail(c.regNo);
    expect(d.currentStep).toBe('COURIER_NOTICE');
    expect(d.timeline.map((e: { type: string }) => e.type)).not.toContain('COURIER_NOTIFIED');
  }
  let rows = await allNotifications();
  const courierA = rows.find((n) => n.kind === 'COURIER_GROUP' && n.registrationNumber === a.regNo)!;
  expect(courierA.status).toBe('FAILED');
  expect(courierA.attempts).toBeGreaterThanOrEqual(1);
  const nobody = rows.filter((n) => n.status === 'NO_RECIPIENT');
  expect(nobody.length).toBeGreaterThanOrEqual(1);
  expect(nobody.every((n) => n.kind === 'ESCALATION' && typeof n.problem === 'string')).toBe(true);
  expect(rows.some((n) => n.status === 'SENT')).toBe(false);

  // The resend route: operator and admin only; 404 for an unknown id.
  expect((await call(stack.baseUrl, 'POST', `/api/notifications/${courierA.id}/resend`, { token: tokens.ekspedisi })).status).toBe(403);
  expect((await call(stack.baseUrl, 'POST', '/api/notifications/999999/resend', { token: tokens.operator })).status).toBe(404);
  const resent = await call(stack.baseUrl, 'POST', `/api/notifications/${courierA.id}/resend`, { token: tokens.operator });
  expect(resent.status).toBe(202);
  expect(resent.body).toMatchObject({ id: courierA.id, status: 'PENDING' });

  gateway.down = false;
  for (const c of [a, b]) await atStep(c.regNo, 'HANDOVER', 'COURIER');
  rows = await waitFor('every message settled', async () => {
    const r = await allNotifications();
    return r.every((n) => n.status === 'SENT' || n.status === 'NO_RECIPIENT') ? r : null;
  }, 90_000);
  const keys = gateway.received.map((m) => m.key);
  expect(new Set(keys).size).toBe(keys.length); // none sent twice
  expect(rows.filter((n) => n.status === 'SENT').length).toBe(keys.length);
  for (const c of [a, b]) {
    const d = await detail(c.regNo);
    expect(d.timeline.filter((e: { type: string }) => e.type === 'COURIER_NOTIFIED')).toHaveLength(1);
    expect(rows.filter((n) => n.kind === 'COURIER_GROUP' && n.registrationNumber === c.regNo).map((n) => n.status)).toEqual(['SENT']);
  }
  expect((await call(stack.baseUrl, 'POST', `/api/notifications/${courierA.id}/resend`, { token: tokens.admin })).status).toBe(409);

  // Step 7: a failed delivery (counted in tracking and detail), then the applicant asks for office pickup.
  const failed = await act(a.regNo, 'delivery-failed', 'ekspedisi', { reason: 'NOT_HOME', note: 'Rumah kosong' });
  expect(failed.status, JSON.stringify(failed.body)).toBe(200);
  await atStep(a.regNo, 'HANDOVER', 'DELIVERY_RETRY');
  const tracked = await call(stack.baseUrl, 'POST', '/api/tracking', { body: { registrationNumber: a.regNo, nik: a.nik } });
  expect(tracked.body.deliveryAttempts).toBe(1);
  const d = await detail(a.regNo);
  expect(d.deliveryFailures).toMatchObject([{ attempt: 1, reason: 'NOT_HOME', reasonLabel: 'Tidak ada orang di rumah' }]);
  expect((await call(stack.baseUrl, 'POST', `/api/applications/${a.regNo}/office-pickup`, { body: { nik: b.nik } })).status).toBe(404);
  const pickup = await call(stack.baseUrl, 'POST', `/api/applications/${a.regNo}/office-pickup`, { body: { nik: a.nik } });
  expect(pickup.status, JSON.stringify(pickup.body)).toBe(200);
  await atStep(a.regNo, 'HANDOVER', 'OFFICE_PICKUP');
  expect(await tasks('operator')).toContain(a.regNo);
  expect(await tasks('ekspedisi')).not.toContain(a.regNo);
  expect(await tasks('ekspedisi')).toContain(b.regNo);
  expect((await act(a.regNo, 'handover', 'ekspedisi', { receivedBy: 'Budi Santoso', relationship: 'SELF' })).status).toBe(409);
  const office = await act(a.regNo, 'office-handover', 'operator', { receivedBy: 'Budi Santoso', relationship: 'SELF' });
  expect(office.status, JSON.stringify(office.body)).toBe(200);
  expect(office.body.status).toBe('COMPLETED');
  // The action that closed the case, retried by its client, gets the same answer.
  const again = await act(a.regNo, 'office-handover', 'operator', { receivedBy: 'Budi Santoso', relationship: 'SELF' });
  expect(again.status).toBe(200);
  expect(again.body).toEqual(office.body);
}, 240_000);
