/**
 * Structured (JSON lines) logging through pino. Never log personal data: callers log registration
 * numbers and ids only; as a guard, values under known personal keys are redacted by pino's
 * redaction paths (at the top level and up to three objects deep, arrays included). The interface
 * is the one the code has always used (debug/info/warn/error(msg, fields), child).
 */
import pino from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** Keys whose values are personal data or secrets (both spellings: camelCase API, snake_case rows). */
export const PERSONAL_KEYS = [
  'nik', 'subjectNik', 'subject_nik', 'kk', 'kkNumber', 'kk_number', 'name', 'subjectName', 'subject_name', 'contactName', 'contact_name',
  'phone', 'contactPhone', 'contact_phone', 'address', 'rt', 'rw', 'village', 'birthDate', 'birth_date', 'subject_birth_date', 'receivedBy', 'received_by',
  'photo', 'photoBase64', 'photo_base64', 'signature', 'signatureBase64', 'contentBase64', 'content_base64',
  'password', 'currentPassword', 'newPassword', 'passphrase', 'password_hash', 'passwordHash', 'authorization', 'cookie',
] as const;

/** pino redaction paths: each key at the top level and under one, two or three levels of objects. */
export const REDACT_PATHS: string[] = PERSONAL_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

/** Errors as type and message (no stack: a stack can quote input values; 'name' is a redacted key). */
function errorSerializer(e: unknown): unknown {
  return e instanceof Error ? { type: e.name, message: e.message } : e;
}

function wrap(p: pino.Logger): Logger {
  const at = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (fields) p[level](fields, msg);
    else p[level](msg);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (fields) => wrap(p.child(fields)) };
}

export function createLogger(opts: { level?: LogLevel; base?: Record<string, unknown>; write?: (line: string) => void } = {}): Logger {
  const write = opts.write ?? ((line: string) => void process.stdout.write(line));
  const p = pino(
    {
      level: opts.level ?? 'info',
      base: opts.base ?? {},
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: errorSerializer, err: errorSerializer },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    { write },
  );
  return wrap(p);
}

/** For tests and benchmarks. */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => undefined });
