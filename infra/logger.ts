/**
 * A small structured (JSON lines) logger. Never log personal data: callers log registration
 * numbers and ids only; as a guard, values under known personal keys are redacted.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const PERSONAL_KEYS = /^(nik|subject_?nik|kk|kk_?number|kkNumber|name|subject_?name|contact_?name|phone|contact_?phone|address|rt|rw|village|birth_?date|received_?by|receivedBy|photo.*|content_?base64|contentBase64|password.*)$/i;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = PERSONAL_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

export function createLogger(opts: { level?: LogLevel; base?: Record<string, unknown>; write?: (line: string) => void } = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stdout.write(line));
  const base = opts.base ?? {};
  const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const entry = { time: new Date().toISOString(), level, msg, ...base, ...(fields ? (redact(fields) as Record<string, unknown>) : {}) };
    write(`${JSON.stringify(entry)}\n`);
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (fields) => createLogger({ ...opts, base: { ...base, ...fields } }),
  };
}

/** For tests and benchmarks. */
export const silentLogger: Logger = createLogger({ write: () => undefined });
