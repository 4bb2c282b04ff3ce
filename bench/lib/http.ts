/**
 * A small JSON client for the HTTP API, for load and fault runs. Transient failures (connection
 * refused or reset while a process restarts, 502/503/504, 429) are retried with capped backoff
 * until a deadline; everything else is returned to the caller. Only loopback addresses are allowed.
 */
import { randomUUID } from 'node:crypto';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  contentType: string;
}

export interface ClientStats {
  requests: number;
  /** Transient answers (503, 429, 5xx gateways) or connection errors that were retried. */
  retries: number;
  retriedStatuses: Record<string, number>;
  /** Problem+json 503 answers seen (the API saying "a dependency is down"). */
  problem503: number;
}

export class TransientTimeout extends Error {
  constructor(readonly method: string, readonly path: string, readonly last: string) {
    super(`${method} ${path}: still failing after the retry deadline (last: ${last})`);
    this.name = 'TransientTimeout';
  }
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Retry transient failures until this many ms have passed (0: no retry). */
  retryForMs?: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export class ApiClient {
  readonly stats: ClientStats = { requests: 0, retries: 0, retriedStatuses: {}, problem503: 0 };

  constructor(readonly baseUrl: string, readonly defaultRetryForMs = 0) {
    const host = new URL(baseUrl).hostname;
    // Load and fault traffic never leaves this machine.
    if (!LOOPBACK.has(host) && !host.startsWith('127.')) throw new Error(`refusing non-loopback target ${baseUrl}`);
  }

  async request<T = any>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const retryForMs = opts.retryForMs ?? this.defaultRetryForMs;
    const deadline = Date.now() + retryForMs;
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let delay = 100;
    for (let attempt = 0; ; attempt++) {
      this.stats.requests++;
      let last: string;
      try {
        const res = await fetch(this.baseUrl + path, { method, headers, body: payload, signal: AbortSignal.timeout(60_000) });
        const contentType = res.headers.get('content-type') ?? '';
        const text = await res.text();
        let parsed: any = text;
        if (contentType.includes('json') && text) {
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
        }
        if (res.status === 503 && contentType.includes('application/problem+json')) this.stats.problem503++;
        const transient = res.status === 429 || res.status === 502 || res.status === 503 || res.status === 504;
        if (!transient) return { status: res.status, body: parsed as T, contentType };
        last = `HTTP ${res.status}`;
        this.stats.retriedStatuses[String(res.status)] = (this.stats.retriedStatuses[String(res.status)] ?? 0) + 1;
        if (Date.now() + delay > deadline) return { status: res.status, body: parsed as T, contentType };
      } catch (e) {
        const err = e as Error & { cause?: { code?: string } };
        last = err.cause?.code ?? err.name ?? 'network error';
        this.stats.retriedStatuses[last] = (this.stats.retriedStatuses[last] ?? 0) + 1;
        if (Date.now() + delay > deadline) throw new TransientTimeout(method, path, last);
      }
      this.stats.retries++;
      await sleep(delay);
      delay = Math.min(delay * 2, 2_000);
    }
  }

  get<T = any>(path: string, opts?: RequestOptions) {
    return this.request<T>('GET', path, undefined, opts);
  }
  post<T = any>(path: string, body: unknown, opts?: RequestOptions) {
    return this.request<T>('POST', path, body, opts);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function idempotencyKey(): string {
  return randomUUID();
}

/** Waits until GET `${baseUrl}${path}` answers 200 (bounded). */
export async function waitForHttp(baseUrl: string, path = '/readyz', timeoutMs = 120_000, isAlive?: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (isAlive && !isAlive()) throw new Error(`process exited before ${baseUrl}${path} became ready`);
    try {
      const res = await fetch(baseUrl + path, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`${baseUrl}${path} not ready after ${timeoutMs} ms (${last})`);
}
