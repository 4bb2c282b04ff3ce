/**
 * The pino logger behind infra/logger.ts: JSON lines with time, level, msg and fields; personal
 * data under known keys redacted at any depth the paths cover (objects and arrays); errors as
 * name and message; child bindings carried; levels below the minimum dropped.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../infra/logger.js';

function capture(level?: 'debug' | 'info') {
  const lines: string[] = [];
  const logger = createLogger({ level, base: { service: 'test' }, write: (l) => lines.push(l) });
  return { logger, entries: () => lines.map((l) => JSON.parse(l) as Record<string, any>), lines };
}

describe('infra/logger (pino)', () => {
  it('writes one JSON line with ISO time, level name, msg, base and fields', () => {
    const { logger, entries, lines } = capture();
    logger.info('case submitted', { registrationNumber: 'BP-20261203-00001' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    const e = entries()[0]!;
    expect(e).toMatchObject({ level: 'info', msg: 'case submitted', service: 'test', registrationNumber: 'BP-20261203-00001' });
    expect(new Date(e.time).toISOString()).toBe(e.time);
  });

  it('redacts NIK, KK, names, phones, addresses, photos and passwords at the top level, nested and in arrays', () => {
    const { logger, lines } = capture();
    logger.warn('oops', {
      nik: '3315011505900072',
      kk_number: '3315010101200003',
      registrationNumber: 'BP-20261203-00002',
      subject: { name: 'Dewi Lestari', birthDate: '1990-05-15', nik: '3315011505900073' },
      contact: { contactPhone: '+6281234567890', address: 'Jl. Melati Gang 7' },
      attachments: [{ kind: 'KK', contentBase64: 'JVBERi0xLjQK' }],
      body: { handover: { receivedBy: 'Suparman Wibowo', photoBase64: 'AAAA' } },
      currentPassword: 'Kunci-Lumbung-Padi-2026',
    });
    const line = lines.join('');
    for (const secret of ['3315011505900072', '3315010101200003', 'Dewi Lestari', '1990-05-15', '3315011505900073', '+6281234567890', 'Jl. Melati', 'JVBERi0xLjQK', 'Suparman', 'AAAA', 'Kunci-Lumbung']) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('BP-20261203-00002');
    const e = JSON.parse(line);
    expect(e.nik).toBe('[redacted]');
    expect(e.subject.name).toBe('[redacted]');
    expect(e.attachments[0]).toEqual({ kind: 'KK', contentBase64: '[redacted]' });
    expect(e.body.handover.receivedBy).toBe('[redacted]');
  });

  it('logs an error as type and message, carries child bindings (redacted too) and drops levels below the minimum', () => {
    const { logger, entries } = capture('info');
    const child = logger.child({ part: 'api', phone: '+6281200000000' });
    child.debug('not written');
    child.error('failed', { error: new TypeError('bad thing') });
    const all = entries();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ level: 'error', part: 'api', phone: '[redacted]', error: { type: 'TypeError', message: 'bad thing' } });
    expect(all[0]!.error.stack).toBeUndefined();
  });
});
