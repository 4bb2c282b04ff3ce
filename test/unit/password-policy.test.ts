/** The staff password policy of SPEC §9 (domain/password-policy.ts), estimated in the worker thread of infra/password-strength.ts. */
import { describe, expect, it } from 'vitest';
import { PASSWORD_PROBLEM_MESSAGES } from '../../domain/password-policy.js';
import { checkPassword } from '../../infra/password-strength.js';
import { generateTemporaryPassword } from '../../api/auth.js';

const account = { username: 'budi.s', name: 'Budi Santoso' };

describe('checkPassword', () => {
  it('refuses fewer than 12 characters, whatever they are', async () => {
    expect(await checkPassword('X9!kq#Lm2$v', account)).toMatchObject({ ok: false, problem: 'too_short', message: 'Kata sandi minimal 12 karakter.' });
  });

  it('refuses common passwords and keyboard patterns with an Indonesian reason', async () => {
    for (const p of ['password123456', 'qwertyuiop123', 'iloveyou12345', 'jakartabandung']) {
      const r = await checkPassword(p, account);
      expect(r, p).toMatchObject({ ok: false, problem: 'common' });
      expect(r.ok ? '' : r.message).toContain('terlalu umum');
    }
    expect(await checkPassword('aaaaaaaaaaaaaaaa', account)).toMatchObject({ ok: false, problem: 'guessable', message: expect.stringContaining('mudah ditebak') });
  });

  it('refuses passwords built from the username or the name, also with other case or accents', async () => {
    expect(await checkPassword('BUDI.S-2026-budi.s', account)).toMatchObject({ ok: false, problem: 'contains_username', message: PASSWORD_PROBLEM_MESSAGES.contains_username });
    expect(await checkPassword('santoso-santoso-1', account)).toMatchObject({ ok: false, problem: 'contains_name', message: expect.stringContaining('nama petugas') });
    expect(await checkPassword('Sàntoso#Kedungjati', account)).toMatchObject({ ok: false, problem: 'contains_name' });
  });

  it('accepts a long passphrase of uncommon words and digits, and every generated temporary password', async () => {
    expect(await checkPassword('Lintang-Kemukus-Sawah-41', account)).toMatchObject({ ok: true, score: expect.any(Number) });
    for (let i = 0; i < 20; i++) expect((await checkPassword(generateTemporaryPassword(), account)).ok).toBe(true);
  });
});

describe('checkPassword in the estimator thread', () => {
  it('answers concurrent checks each with its own verdict', async () => {
    const passwords = ['password123456', 'Lintang-Kemukus-Sawah-41', 'qwertyuiop123', 'Gubug-Ngaringan-Wirosari-97'];
    const verdicts = await Promise.all(passwords.map((p) => checkPassword(p, account)));
    expect(verdicts.map((v) => v.ok)).toEqual([false, true, false, true]);
  });
});

describe('generateTemporaryPassword', () => {
  it('gives 20 characters of an unambiguous alphabet in groups of five, different each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = generateTemporaryPassword();
      expect(p).toMatch(/^[a-hjkmnp-zA-HJ-NP-Z2-9]{5}(-[a-hjkmnp-zA-HJ-NP-Z2-9]{5}){3}$/);
      seen.add(p);
    }
    expect(seen.size).toBe(50);
  });
});
