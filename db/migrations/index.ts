import type { Migration } from 'kysely';
import * as m0001 from './2026_11_23_0001_initial.js';
import * as m0010 from './2026_11_23_0010_api_indexes.js';
import * as m20261202_0100 from './2026_12_02_0100_access_log.js';
import * as m20261202_0200 from './2026_12_02_0200_accounts.js';
import * as m20261202_0300 from './2026_12_02_0300_trust.js';
import * as m0400 from './2026_12_02_0400_signature_v2.js';
import * as m0500 from './2026_12_02_0500_delivery_attempts_outbox.js';
import * as ledger0600 from './2026_12_02_0600_blank_ledger.js';
import * as claims0200 from './2026_12_03_0200_task_claims.js';
import * as courier0400 from './2026_12_03_0400_receipt_signature.js';
import * as cluster0600 from './2026_12_03_0600_rate_limits.js';
import * as scale0700 from './2026_12_03_0700_scale.js';
import * as scale0100 from './2026_12_04_0100_sla_rollups.js';
import * as scale0101 from './2026_12_04_0101_sla_open_due.js';
import * as scale0102 from './2026_12_04_0102_task_order_by_step.js';
import * as search0200 from './2026_12_04_0200_name_infix_search.js';
import * as search0201 from './2026_12_04_0201_registration_day.js';

/** Every migration, by name (sorted). A static list: no file-system scanning at run time. */
export const migrations: Record<string, Migration> = {
  '2026_11_23_0001_initial': m0001,
  '2026_11_23_0010_api_indexes': m0010,
  '2026_12_02_0100_access_log': m20261202_0100,
  '2026_12_02_0200_accounts': m20261202_0200,
  '2026_12_02_0300_trust': m20261202_0300,
  '2026_12_02_0400_signature_v2': m0400,
  '2026_12_02_0500_delivery_attempts_outbox': m0500,
  '2026_12_02_0600_blank_ledger': ledger0600,
  '2026_12_03_0200_task_claims': claims0200,
  '2026_12_03_0400_receipt_signature': courier0400,
  '2026_12_03_0600_rate_limits': cluster0600,
  '2026_12_03_0700_scale': scale0700,
  '2026_12_04_0100_sla_rollups': scale0100,
  '2026_12_04_0101_sla_open_due': scale0101,
  '2026_12_04_0102_task_order_by_step': scale0102,
  '2026_12_04_0200_name_infix_search': search0200,
  '2026_12_04_0201_registration_day': search0201,
};
