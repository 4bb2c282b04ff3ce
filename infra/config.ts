/**
 * Configuration: parsed once at start from the environment (SPEC §7), frozen.
 * A bad value stops the start with a message naming the variable.
 */
import { isIP } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { STEP_KEYS, DEFAULT_MAX_DELIVERY_ATTEMPTS, DEFAULT_RESUBMISSION_DAYS, standardMinutesTable, type StepKey } from '../domain/sop.js';
import type { CasePolicy } from '../domain/policy.js';
import { DEFAULT_HOLIDAYS } from '../domain/holidays.js';
import { parseHolidayList } from '../domain/calendar.js';
import { parseFileKey } from './file-crypto.js';

const fileKeyOk = (v: string) => {
  try {
    parseFileKey(v);
    return true;
  } catch {
    return false;
  }
};
import { DEFAULT_OFFICE_PROFILE, type OfficeProfile } from '../domain/office.js';

const port = z.coerce.number().int().min(1).max(65535);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const standardMinutesOverride = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (!raw) return {} as Partial<Record<StepKey, number>>;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object of step key → minutes' });
      return z.NEVER;
    }
    const result = z
      .partialRecord(z.enum(STEP_KEYS), z.number().positive().max(60 * 24 * 30))
      .safeParse(parsed);
    if (!result.success) {
      ctx.addIssue({ code: 'custom', message: `must map step keys (${STEP_KEYS.join(', ')}) to positive minutes` });
      return z.NEVER;
    }
    return result.data as Partial<Record<StepKey, number>>;
  });

const holidays = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (!raw) return [...DEFAULT_HOLIDAYS];
    try {
      // Either a JSON array or a comma-separated list of YYYY-MM-DD dates.
      const value: unknown = raw.trim().startsWith('[') ? JSON.parse(raw) : raw.split(',').map((s) => s.trim()).filter(Boolean);
      return parseHolidayList(value);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  });

/**
 * TRUST_PROXY: which reverse proxy's X-Forwarded-For is believed. Unset: none (the socket's address
 * is the client's). A number: that many proxy hops in front. Otherwise a comma-separated list of
 * addresses or CIDR ranges, or the names loopback, linklocal, uniquelocal. "true" / "*" (believe
 * anyone) is refused: any client could then pick its own address.
 */
const trustProxy = z
  .string()
  .optional()
  .transform((raw, ctx): false | number | string[] => {
    if (raw === undefined || raw.trim() === '') return false;
    const v = raw.trim();
    if (/^\d+$/.test(v)) {
      const hops = Number(v);
      if (hops < 1 || hops > 10) {
        ctx.addIssue({ code: 'custom', message: 'a hop count must be 1–10' });
        return z.NEVER;
      }
      return hops;
    }
    const items = v.split(',').map((s) => s.trim()).filter(Boolean);
    for (const item of items) {
      if (['loopback', 'linklocal', 'uniquelocal'].includes(item)) continue;
      const [addr, prefix, extra] = item.split('/');
      const family = isIP(addr ?? '');
      const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
      if (!family || !prefixOk || extra !== undefined) {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not an address, a CIDR range, loopback, linklocal or uniquelocal (believing every proxy is not allowed)` });
        return z.NEVER;
      }
    }
    return items;
  });

const boolFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000), // 0: any free port (tests)
  HOST: z.string().default('0.0.0.0'),
  /** Public base URL (used in receipts' QR codes); defaults to http://localhost:PORT. */
  PUBLIC_BASE_URL: optionalString.pipe(z.url().optional()),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalString,
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_API_KEY: optionalString,
  TEMPORAL_TLS: boolFlag,
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  /** The embedded Web UI refuses Terminate/Reset/Signal/Cancel… unless this is true (infra/temporal-ui-proxy.ts). */
  TEMPORAL_UI_WRITE_ACTIONS: boolFlag,
  /** The Temporal Web UI's address as supervisors reach it (production UI server); unset: the embedded UI's, if any. */
  TEMPORAL_UI_URL: optionalString,
  TEMPORAL_CLI_PATH: optionalString,
  TEMPORAL_TEST_SERVER_PATH: optionalString,
  ADMIN_USERNAME: z.string().regex(/^[a-z0-9._-]{3,32}$/, 'lowercase letters, digits, . _ - (3–32)').default('admin'),
  /** Used as given for the first admin (a weak one is logged as a warning); unset: generated, and must be changed at first login. */
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(12, 'at least 12 characters').optional()),
  /** Secret for signing staff tokens; generated once under DATA_DIR when unset. */
  AUTH_SECRET: optionalString.pipe(z.string().min(32, 'at least 32 characters').optional()),
  TOKEN_TTL_MINUTES: z.coerce.number().int().min(5).max(60 * 24 * 7).default(12 * 60),
  SLA_CLOCK: z.enum(['office', 'wall']).default('office'),
  /** The kabid's approval (TTE) asks the account password again: `required`, or `optional` (checked only when sent). Unset: required in production. */
  APPROVAL_PASSPHRASE: z.enum(['required', 'optional']).optional(),
  SOP_STANDARD_MINUTES: standardMinutesOverride,
  HOLIDAYS: holidays,
  RESUBMISSION_DAYS: z.coerce.number().positive().max(365).default(DEFAULT_RESUBMISSION_DAYS),
  /** Days after a case closes until its personal data is erased (decimals allowed, e.g. 0.001 in tests). */
  RETENTION_DAYS: z.coerce.number().positive().max(36500).default(365),
  /** The data protection officer's contact, shown in the privacy notice (SPEC §9). */
  OFFICE_DPO_CONTACT: z
    .string()
    .trim()
    .min(5)
    .max(300)
    .default('Pejabat Pelindungan Data Pribadi Disdukcapil Kabupaten Grobogan, Jl. Gajah Mada No. 1, Purwodadi — dukcapil@grobogan.go.id'),
  WA_PROVIDER: z.enum(['outbox', 'waha', 'webhook']).default('outbox'),
  WA_URL: optionalString.pipe(z.url().optional()),
  WA_API_KEY: optionalString,
  WA_SESSION: z.string().default('default'),
  WA_COURIER_GROUP_ID: z.string().default('becak-pintar-ekspedisi@g.us'),
  /** How long a failed WhatsApp message keeps being retried (hours, decimals allowed). */
  WA_RETRY_HOURS: z.coerce.number().positive().max(24 * 14).default(24),
  /** First pause between retries of a failed message (seconds); doubles up to 30 minutes. */
  WA_RETRY_BASE_SECONDS: z.coerce.number().positive().max(3600).default(30),
  MAX_DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(DEFAULT_MAX_DELIVERY_ATTEMPTS),
  PRINTER_COMMAND: optionalString,
  SIGNING_KEY_PATH: optionalString,
  /** The office's PKCS#12 (e.g. from BSrE) for the PDFs' embedded signature; unset: one generated under DATA_DIR. */
  SIGNING_P12_PATH: optionalString,
  SIGNING_P12_PASSPHRASE: z.string().optional(),
  FILES_DIR: optionalString,
  TRUST_PROXY: trustProxy,
  /** AES-256 key for scans, photos and print jobs (32 bytes, base64 or hex); unset: generated under DATA_DIR. */
  FILES_KEY: optionalString.pipe(z.string().refine(fileKeyOk, '32 bytes as base64 or 64 hex digits').optional()),
  /** Older file keys (comma-separated), read only: files under them stay readable until re-encrypted. */
  FILES_KEY_PREVIOUS: optionalString.pipe(z.string().refine((v) => v.split(',').filter((s) => s.trim()).every(fileKeyOk), 'each key 32 bytes as base64 or 64 hex digits').optional()),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** Where the public rate limit counts: `database` (shared by every API process) or `memory`; unset: database when DATABASE_URL is set. */
  RATE_LIMIT_STORE: z.enum(['memory', 'database']).optional(),
  /** Blank stock per document type below which operators and the sub-coordinator are alerted (once per crossing). */
  BLANK_LOW_STOCK: z.coerce.number().int().min(0).max(100_000).default(20),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** The office profile on every PDF and citizen page (SPEC §7 OFFICE_*); unset: Grobogan's. */
  OFFICE_GOVERNMENT: optionalString,
  OFFICE_NAME: optionalString,
  OFFICE_ADDRESS: optionalString,
  OFFICE_PHONE: optionalString,
  OFFICE_EMAIL: optionalString,
  OFFICE_WEBSITE: optionalString,
  OFFICE_CITY: optionalString,
  OFFICE_HOURS: optionalString,
  /** A PNG or JPEG logo for the letterhead; unset: the built-in emblem. */
  OFFICE_LOGO_FILE: optionalString,
  OFFICE_HEAD_NAME: optionalString,
  OFFICE_HEAD_NIP: optionalString,
  OFFICE_KABID_NAME: optionalString,
  OFFICE_KABID_NIP: optionalString,
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  /** Absolute DATA_DIR. */
  dataDir: string;
  filesDir: string;
  publicBaseUrl: string;
  /** The SOP's standard times after overrides, and the rules a new case runs under. */
  policy: CasePolicy;
  office: OfficeProfile;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = result.data;
  if (e.WA_PROVIDER !== 'outbox' && !e.WA_URL) {
    throw new ConfigError([`WA_URL: required when WA_PROVIDER=${e.WA_PROVIDER}`]);
  }
  const dataDir = path.resolve(e.DATA_DIR);
  if (e.OFFICE_LOGO_FILE) {
    const ext = path.extname(e.OFFICE_LOGO_FILE).toLowerCase();
    if (!['.png', '.jpg', '.jpeg'].includes(ext)) throw new ConfigError([`OFFICE_LOGO_FILE: must be a .png or .jpg file`]);
    if (!fs.existsSync(e.OFFICE_LOGO_FILE)) throw new ConfigError([`OFFICE_LOGO_FILE: ${e.OFFICE_LOGO_FILE} does not exist`]);
  }
  const d = DEFAULT_OFFICE_PROFILE;
  const office: OfficeProfile = {
    government: e.OFFICE_GOVERNMENT ?? d.government,
    name: e.OFFICE_NAME ?? d.name,
    address: e.OFFICE_ADDRESS ?? d.address,
    phone: e.OFFICE_PHONE ?? d.phone,
    email: e.OFFICE_EMAIL ?? d.email,
    website: e.OFFICE_WEBSITE ?? d.website,
    city: e.OFFICE_CITY ?? d.city,
    hours: e.OFFICE_HOURS ?? d.hours,
    logoFile: e.OFFICE_LOGO_FILE ? path.resolve(e.OFFICE_LOGO_FILE) : null,
    head: { title: d.head.title, name: e.OFFICE_HEAD_NAME ?? d.head.name, nip: e.OFFICE_HEAD_NIP ?? d.head.nip },
    kabid: { title: d.kabid.title, name: e.OFFICE_KABID_NAME ?? d.kabid.name, nip: e.OFFICE_KABID_NIP ?? d.kabid.nip },
  };
  const config: Config = {
    ...e,
    dataDir,
    filesDir: path.resolve(e.FILES_DIR ?? path.join(dataDir, 'files')),
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    policy: {
      standardMinutes: standardMinutesTable(e.SOP_STANDARD_MINUTES),
      slaClock: e.SLA_CLOCK,
      holidays: e.HOLIDAYS,
      resubmissionDays: e.RESUBMISSION_DAYS,
      maxDeliveryAttempts: e.MAX_DELIVERY_ATTEMPTS,
    },
    office,
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** For entry points: parse or print the problem and exit(1). */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  try {
    return parseConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}
