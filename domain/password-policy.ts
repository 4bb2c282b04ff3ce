/**
 * The staff password policy (SPEC §9): at least 12 characters, not common, not built from the
 * username or the name. Strength is estimated with zxcvbn-ts (a maintained estimator with
 * dictionaries of common passwords, English and Indonesian words and names, keyboard patterns,
 * dates, sequences), with the username and the name as user inputs. The reasons are in Indonesian
 * and named once here, for the API and the console alike.
 *
 * The rules are pure and live here; the estimate itself is injected (`StrengthEstimator`): the API
 * runs zxcvbn in a worker thread (infra/password-strength.ts), because its dictionaries cost the
 * process ≈ 70 MB of resident memory for its whole life once loaded, for a check made only when a
 * password is set.
 */

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;
/** zxcvbn score (0–4) a password needs: 3 = "safely unguessable" against an online or throttled offline attack. */
export const PASSWORD_MIN_SCORE = 3;

export type PasswordProblem = 'too_short' | 'too_long' | 'contains_username' | 'contains_name' | 'common' | 'guessable';

export const PASSWORD_PROBLEM_MESSAGES: Readonly<Record<PasswordProblem, string>> = {
  too_short: `Kata sandi minimal ${PASSWORD_MIN_LENGTH} karakter.`,
  too_long: `Kata sandi maksimal ${PASSWORD_MAX_LENGTH} karakter.`,
  contains_username: 'Kata sandi tidak boleh memuat atau dibuat dari nama pengguna.',
  contains_name: 'Kata sandi tidak boleh memuat atau dibuat dari nama petugas.',
  common: 'Kata sandi ini terlalu umum dan mudah ditebak. Pakai gabungan beberapa kata yang tidak lazim, angka dan tanda baca.',
  guessable: 'Kata sandi terlalu mudah ditebak (pola papan ketik, urutan, tanggal atau pengulangan). Pakai gabungan beberapa kata yang tidak lazim, angka dan tanda baca.',
};

/** A short hint for forms. */
export const PASSWORD_HINT = `Minimal ${PASSWORD_MIN_LENGTH} karakter, bukan kata sandi umum, tidak memuat nama pengguna atau nama. Contoh pola yang baik: tiga atau empat kata acak dengan angka.`;

export type PasswordCheck = { ok: true; score: number } | { ok: false; problem: PasswordProblem; message: string; score?: number };

/** What the rules need from a strength estimate: zxcvbn's score and the dictionaries it matched. */
export interface StrengthEstimate {
  score: number;
  /** Names of the dictionaries of the matched dictionary patterns (e.g. `passwords`, `userInputs`). */
  dictionaries: string[];
}
export type StrengthEstimator = (password: string, userInputs: string[]) => StrengthEstimate | Promise<StrengthEstimate>;

const fold = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
const compact = (s: string) => fold(s).replace(/[^a-z0-9]/g, '');

/** Name parts of three or more letters (as Windows' complexity rule does for the display name). */
function nameParts(name: string): string[] {
  return fold(name)
    .split(/[^a-z0-9]+/)
    .filter((p) => p.length >= 3);
}

const fail = (problem: PasswordProblem, score?: number): PasswordCheck => ({ ok: false, problem, message: PASSWORD_PROBLEM_MESSAGES[problem], ...(score !== undefined ? { score } : {}) });

/** Checks a password for the account `username` named `name`, with the given strength estimator. */
export async function checkPassword(password: string, account: { username: string; name?: string | null }, estimate: StrengthEstimator): Promise<PasswordCheck> {
  if ([...password].length < PASSWORD_MIN_LENGTH) return fail('too_short');
  if (password.length > PASSWORD_MAX_LENGTH) return fail('too_long');
  const folded = compact(password);
  const username = compact(account.username);
  if (username.length >= 3 && folded.includes(username)) return fail('contains_username');
  const parts = account.name ? nameParts(account.name) : [];
  if (parts.some((p) => folded.includes(p))) return fail('contains_name');

  const inputs = [account.username, ...account.username.split(/[^a-z0-9]+/i).filter((p) => p.length >= 3), ...(account.name ? [account.name, ...parts] : [])];
  const result = await estimate(password, inputs);
  if (result.score >= PASSWORD_MIN_SCORE) return { ok: true, score: result.score };
  return fail(classify(result.dictionaries), result.score);
}

function classify(dictionaries: string[]): PasswordProblem {
  if (dictionaries.includes('userInputs')) return 'contains_username';
  if (dictionaries.some((d) => d.startsWith('passwords') || d.startsWith('commonWords') || d.startsWith('wikipedia') || d.startsWith('diceware'))) return 'common';
  return 'guessable';
}
