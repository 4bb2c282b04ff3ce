/**
 * One trace across the whole path, with an in-memory exporter: the HTTP request that submits a
 * case (SERVER span) -> the workflow start (client interceptor) -> the workflow (its interceptors
 * carry the context into the activity headers) -> its activities (activity interceptor) -> their SQL
 * (Kysely plugin), all under the HTTP span's trace id; SQL spans are children of activity spans.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing, stopTracing } from '../../infra/tracing.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { call, validSubmission } from '../api/harness.js';

const exporter = new InMemorySpanExporter();
let stack: TestStack;
beforeAll(async () => {
  await startTracing({ serviceName: 'becak-test', spanProcessor: new SimpleSpanProcessor(exporter) });
  stack = await startTestStack();
}, 300_000);
afterAll(async () => {
  await stack?.shutdown();
  await stopTracing();
});

const parentId = (s: ReadableSpan) => (s as unknown as { parentSpanContext?: { spanId: string }; parentSpanId?: string }).parentSpanContext?.spanId ?? (s as unknown as { parentSpanId?: string }).parentSpanId;

describe('tracing', () => {
  it('links the submission HTTP span to the workflow start, the workflow run, its activities and their SQL in one trace', async () => {
    const res = await call(stack.baseUrl, 'POST', '/api/applications', { body: validSubmission() });
    expect(res.status).toBe(201);
    const http = () => exporter.getFinishedSpans().find((s) => s.name === 'POST /api/applications');
    await expect.poll(() => http(), { timeout: 30_000 }).toBeDefined();
    const traceId = http()!.spanContext().traceId;
    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    await expect.poll(() => inTrace().filter((s) => s.name.startsWith('RunActivity:')).length, { timeout: 120_000, interval: 500 }).toBeGreaterThan(0);
    const names = inTrace().map((s) => s.name);
    expect(names.some((n) => n.startsWith('StartWorkflow:'))).toBe(true);
    // The activity span is in the HTTP request's trace only because the workflow's outbound
    // interceptor (in the bundle) put the trace context into the activity's headers.
    const activityIds = new Set(inTrace().filter((s) => s.name.startsWith('RunActivity:')).map((s) => s.spanContext().spanId));
    expect(inTrace().some((s) => s.name.startsWith('SQL ') && activityIds.has(parentId(s) ?? ''))).toBe(true);
    // The HTTP span is the root of the trace.
    expect(parentId(http()!)).toBeUndefined();
  }, 200_000);
});
