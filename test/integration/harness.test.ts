import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createDevServerEnv } from '../helpers/temporal.js';
import { createTestDatabase } from '../helpers/db.js';
import type { DatabaseHandle } from '../../db/connect.js';

describe('test harness', () => {
  let env: TestWorkflowEnvironment;
  let dbh: DatabaseHandle;
  beforeAll(async () => {
    [env, dbh] = await Promise.all([createDevServerEnv(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([env?.teardown(), dbh?.close()]);
  });

  it('dev server registers every Becak search attribute', async () => {
    const res = await env.connection.operatorService.listSearchAttributes({ namespace: env.namespace ?? 'default' });
    expect(Object.keys(res.customAttributes)).toEqual(
      expect.arrayContaining(['BecakStep', 'BecakStatus', 'BecakOverdue', 'BecakEscalationLevel', 'BecakDocumentType', 'BecakDistrict', 'BecakStepDueAt']),
    );
  });

  it('database is migrated with blank stock rows for both document types', async () => {
    const rows = await dbh.db.selectFrom('blank_stock').select(['document_type', 'quantity']).orderBy('document_type').execute();
    expect(rows).toEqual([
      { document_type: 'KIA', quantity: 0 },
      { document_type: 'KTP_EL', quantity: 0 },
    ]);
  });
});
