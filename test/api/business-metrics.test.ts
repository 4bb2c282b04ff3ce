/**
 * Business metrics on /metrics, read from the database at scrape time: open cases by step and
 * status, closed by status, overdue and escalated open cases, outbox by status, blank stock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { call, startApiHarness, type ApiHarness } from './harness.js';
import { insertTestCase } from '../helpers/cases.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ temporal: {} as Client, login: false });
  const db = h.dbh.db;
  await insertTestCase(db, { registration_number: 'BP-20261203-00101', subject_nik: '3315011505900101', current_step: 'DOCUMENT_VERIFICATION' });
  await insertTestCase(db, { registration_number: 'BP-20261203-00102', subject_nik: '3315011505900102', current_step: 'DOCUMENT_VERIFICATION', overdue: true, escalation_level: 1 });
  await insertTestCase(db, { registration_number: 'BP-20261203-00103', subject_nik: '3315011505900103', current_step: 'APPROVAL', overdue: true });
  await insertTestCase(db, { registration_number: 'BP-20261203-00104', subject_nik: '3315011505900104', status: 'COMPLETED', current_step: 'HANDOVER', overdue: true, escalation_level: 2 });
  await db.deleteFrom('blank_stock').execute();
  await db.insertInto('blank_stock').values([{ document_type: 'KTP_EL', quantity: 42, updated_at: new Date() }, { document_type: 'KIA', quantity: 7, updated_at: new Date() }]).execute();
});
afterAll(async () => {
  await h?.close();
});

describe('GET /metrics business metrics', () => {
  it('counts open cases by step and status, closed by status, overdue and escalated open cases, and blank stock by type', async () => {
    const res = await call(h.baseUrl, 'GET', '/metrics');
    expect(res.status).toBe(200);
    const text = String(res.body);
    expect(text).toContain('becak_cases{step="DOCUMENT_VERIFICATION",status="IN_PROGRESS"} 2');
    expect(text).toContain('becak_cases{step="APPROVAL",status="IN_PROGRESS"} 1');
    expect(text).toContain('becak_cases{step="-",status="COMPLETED"} 1');
    // The completed case is neither overdue nor escalated "now".
    expect(text).toContain('becak_cases_open_now{kind="overdue"} 2');
    expect(text).toContain('becak_cases_open_now{kind="escalated"} 1');
    expect(text).toContain('becak_blank_stock{document_type="KTP_EL"} 42');
    expect(text).toContain('becak_blank_stock{document_type="KIA"} 7');
    expect(text).toContain('# TYPE becak_outbox_messages gauge');
    expect(text).toContain('# TYPE becak_case_action_duration_seconds histogram');
  });
});
