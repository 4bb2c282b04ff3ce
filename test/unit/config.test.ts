import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../infra/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('configuration', () => {
  it('applies the SPEC defaults when the environment is empty', () => {
    const c = parseConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.TEMPORAL_DEV_PORT).toBe(7233);
    expect(c.TEMPORAL_UI_PORT).toBe(8233);
    expect(c.TEMPORAL_NAMESPACE).toBe('default');
    expect(c.SLA_CLOCK).toBe('office');
    expect(c.RESUBMISSION_DAYS).toBe(14);
    expect(c.WA_PROVIDER).toBe('outbox');
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.TEMPORAL_ADDRESS).toBeUndefined();
    expect(c.policy.standardMinutes.DOCUMENT_VERIFICATION).toBe(5);
    expect(c.policy.standardMinutes.DONE).toBeNull();
    expect(c.policy.holidays.length).toBeGreaterThan(10);
  });

  it('is frozen, nested objects included', () => {
    const c = parseConfig({});
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.policy.standardMinutes)).toBe(true);
  });

  it('names the variable of a bad port', () => {
    expect(problems({ PORT: 'abc' })[0]).toMatch(/^PORT:/);
    expect(problems({ TEMPORAL_DEV_PORT: '70000' })[0]).toMatch(/^TEMPORAL_DEV_PORT:/);
  });

  it('refuses an unknown SLA clock and WhatsApp provider', () => {
    expect(problems({ SLA_CLOCK: 'lunar' })[0]).toMatch(/^SLA_CLOCK:/);
    expect(problems({ WA_PROVIDER: 'sms' })[0]).toMatch(/^WA_PROVIDER:/);
  });

  it('requires WA_URL for the waha and webhook providers', () => {
    expect(problems({ WA_PROVIDER: 'waha' })[0]).toMatch(/^WA_URL:/);
    expect(parseConfig({ WA_PROVIDER: 'waha', WA_URL: 'http://127.0.0.1:3001' }).WA_URL).toBe('http://127.0.0.1:3001');
  });

  it('overrides standard minutes per step, decimals allowed, and refuses unknown steps', () => {
    const c = parseConfig({ SOP_STANDARD_MINUTES: '{"DOCUMENT_VERIFICATION": 7.5, "APPROVAL": 2}' });
    expect(c.policy.standardMinutes.DOCUMENT_VERIFICATION).toBe(7.5);
    expect(c.policy.standardMinutes.APPROVAL).toBe(2);
    expect(c.policy.standardMinutes.PRINTING).toBe(5);
    expect(problems({ SOP_STANDARD_MINUTES: '{"COFFEE": 3}' })[0]).toMatch(/^SOP_STANDARD_MINUTES:/);
    expect(problems({ SOP_STANDARD_MINUTES: 'not json' })[0]).toMatch(/^SOP_STANDARD_MINUTES:/);
    expect(problems({ SOP_STANDARD_MINUTES: '{"APPROVAL": -1}' })[0]).toMatch(/^SOP_STANDARD_MINUTES:/);
  });

  it('reads a holiday list as JSON or comma list and refuses impossible dates', () => {
    expect(parseConfig({ HOLIDAYS: '2026-12-25, 2026-12-26' }).policy.holidays).toEqual(['2026-12-25', '2026-12-26']);
    expect(parseConfig({ HOLIDAYS: '["2027-01-01"]' }).policy.holidays).toEqual(['2027-01-01']);
    expect(problems({ HOLIDAYS: '2026-02-30' })[0]).toMatch(/^HOLIDAYS:/);
  });

  it('refuses a short admin password and a short auth secret', () => {
    expect(problems({ ADMIN_PASSWORD: 'short' })[0]).toMatch(/^ADMIN_PASSWORD:/);
    expect(problems({ AUTH_SECRET: 'x'.repeat(10) })[0]).toMatch(/^AUTH_SECRET:/);
  });

  it('collects every problem at once', () => {
    expect(problems({ PORT: 'x', SLA_CLOCK: 'y', RESUBMISSION_DAYS: '-3' })).toHaveLength(3);
  });
});

describe('TRUST_PROXY', () => {
  it('believes no proxy when unset or empty', () => {
    expect(parseConfig({}).TRUST_PROXY).toBe(false);
    expect(parseConfig({ TRUST_PROXY: ' ' }).TRUST_PROXY).toBe(false);
  });
  it('takes a hop count, or a list of addresses, CIDR ranges and the named ranges', () => {
    expect(parseConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(parseConfig({ TRUST_PROXY: '10.0.0.5, 192.168.1.0/24,loopback,::1,fd00::/8' }).TRUST_PROXY).toEqual(['10.0.0.5', '192.168.1.0/24', 'loopback', '::1', 'fd00::/8']);
  });
  it('refuses believing everyone, a bad address, a bad prefix and a silly hop count, naming the variable', () => {
    for (const v of ['true', '*', '10.0.0.300', '10.0.0.0/33', 'proxy.local', '0', '99']) {
      expect(problems({ TRUST_PROXY: v })[0], v).toMatch(/^TRUST_PROXY:/);
    }
  });
});
