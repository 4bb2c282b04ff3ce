/**
 * WhatsApp delivery. The `notifications` table is the outbox and the record of every message;
 * an adapter only transports a message that is already recorded there.
 */
import type { Config } from '../../infra/config.js';

export interface OutgoingMessage {
  /** E.164 phone (`+628…`), a group id (`…@g.us`) or `role:<role>` when no staff phone is known. */
  recipient: string;
  text: string;
  /** Stable id of the message (the notification's idempotency key): lets a provider dedupe. */
  idempotencyKey: string;
}

export interface SendResult {
  provider: string;
  messageId: string | null;
}

export interface WhatsAppAdapter {
  readonly provider: 'outbox' | 'waha' | 'webhook';
  send(message: OutgoingMessage): Promise<SendResult>;
}

/** Recipients that no provider can reach (a role without a phone): they stay in the outbox only. */
export function isRoleRecipient(recipient: string): boolean {
  return recipient.startsWith('role:');
}

/** WAHA chat id: `628…@c.us` for a phone, a group id as-is. */
export function wahaChatId(recipient: string): string {
  if (recipient.endsWith('@g.us') || recipient.endsWith('@c.us')) return recipient;
  const digits = recipient.replace(/\D/g, '');
  return `${digits.startsWith('0') ? `62${digits.slice(1)}` : digits}@c.us`;
}

/** Default: nothing leaves the machine; the notifications row (status SENT, provider outbox) is the message. */
export function createOutboxWhatsApp(): WhatsAppAdapter {
  return { provider: 'outbox', send: async () => ({ provider: 'outbox', messageId: null }) };
}

type FetchLike = typeof fetch;

async function postJson(fetchImpl: FetchLike, url: string, body: unknown, headers: Record<string, string>): Promise<unknown> {
  const res = await fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`WhatsApp provider answered HTTP ${res.status}`);
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function messageIdOf(answer: unknown): string | null {
  if (answer && typeof answer === 'object') {
    const a = answer as { id?: unknown; key?: { id?: unknown } };
    if (typeof a.id === 'string') return a.id;
    if (a.id && typeof a.id === 'object' && typeof (a.id as { _serialized?: unknown })._serialized === 'string') {
      return (a.id as { _serialized: string })._serialized;
    }
    if (typeof a.key?.id === 'string') return a.key.id;
  }
  return null;
}

/** WAHA (WhatsApp HTTP API): POST {WA_URL}/api/sendText. */
export function createWahaWhatsApp(opts: { url: string; apiKey?: string; session: string; fetchImpl?: FetchLike }): WhatsAppAdapter {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const base = opts.url.replace(/\/$/, '');
  return {
    provider: 'waha',
    async send(m) {
      const answer = await postJson(
        fetchImpl,
        `${base}/api/sendText`,
        { session: opts.session, chatId: wahaChatId(m.recipient), text: m.text },
        opts.apiKey ? { 'X-Api-Key': opts.apiKey } : {},
      );
      return { provider: 'waha', messageId: messageIdOf(answer) };
    },
  };
}

/** A generic JSON webhook: POST {WA_URL} with { recipient, text, idempotencyKey }. */
export function createWebhookWhatsApp(opts: { url: string; apiKey?: string; fetchImpl?: FetchLike }): WhatsAppAdapter {
  const fetchImpl = opts.fetchImpl ?? fetch;
  return {
    provider: 'webhook',
    async send(m) {
      const answer = await postJson(
        fetchImpl,
        opts.url,
        { recipient: m.recipient, text: m.text, idempotencyKey: m.idempotencyKey },
        { 'Idempotency-Key': m.idempotencyKey, ...(opts.apiKey ? { 'X-Api-Key': opts.apiKey } : {}) },
      );
      return { provider: 'webhook', messageId: messageIdOf(answer) };
    },
  };
}

export function createWhatsAppAdapter(config: Readonly<Config>, fetchImpl?: FetchLike): WhatsAppAdapter {
  switch (config.WA_PROVIDER) {
    case 'waha':
      return createWahaWhatsApp({ url: config.WA_URL!, apiKey: config.WA_API_KEY, session: config.WA_SESSION, fetchImpl });
    case 'webhook':
      return createWebhookWhatsApp({ url: config.WA_URL!, apiKey: config.WA_API_KEY, fetchImpl });
    default:
      return createOutboxWhatsApp();
  }
}
