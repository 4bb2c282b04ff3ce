/**
 * OpenTelemetry tracing: one trace from an HTTP request through the Temporal Update (client
 * interceptor), the workflow task (workflow interceptors in the bundle, spans exported through a
 * sink), the activities (activity interceptor) and their SQL (Kysely plugin).
 *
 * Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (then exported over OTLP/HTTP) or a test installs
 * a span processor: when off, nothing is registered, the workflow bundle has no interceptors, and
 * the HTTP and SQL hooks are not installed (no cost).
 */
import { context, propagation, trace, SpanKind, SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { RequestHandler } from 'express';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

interface ActiveTracing {
  provider: NodeTracerProvider;
  processor: SpanProcessor;
  resource: Resource;
  tracer: Tracer;
}
let active: ActiveTracing | null = null;

export function tracingActive(): ActiveTracing | null {
  return active;
}

/**
 * Starts tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set, or with the given processor (tests).
 * Idempotent: the first call wins. Returns null when tracing stays off.
 */
export async function startTracing(opts: { serviceName?: string; spanProcessor?: SpanProcessor; env?: NodeJS.ProcessEnv } = {}): Promise<ActiveTracing | null> {
  if (active) return active;
  const env = opts.env ?? process.env;
  let processor = opts.spanProcessor;
  if (!processor) {
    if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return null;
    // Loaded only when wanted: the exporter pulls in its HTTP stack.
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    processor = new BatchSpanProcessor(new OTLPTraceExporter());
  }
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.serviceName ?? env.OTEL_SERVICE_NAME ?? 'becak-pintar' });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  active = { provider, processor, resource, tracer: trace.getTracer('becak-pintar') };
  return active;
}

export async function stopTracing(): Promise<void> {
  const a = active;
  active = null;
  if (!a) return;
  await a.provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
}

/** Express middleware: a SERVER span per request named by method and route template; null when off. */
export function httpTracing(routeOf: (req: Parameters<RequestHandler>[0]) => string): RequestHandler | null {
  const a = active;
  if (!a) return null;
  return (req, res, next) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = a.tracer.startSpan(`HTTP ${req.method}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent);
    res.on('finish', () => {
      const route = routeOf(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/** Kysely plugin: a CLIENT span per SQL statement (the statement kind only, never values). */
export function sqlTracingPlugin(): KyselyPlugin | null {
  const a = active;
  if (!a) return null;
  const spans = new WeakMap<object, Span>();
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      const kind = args.node.kind.replace(/QueryNode$/, '').toUpperCase();
      spans.set(args.queryId, a.tracer.startSpan(`SQL ${kind}`, { kind: SpanKind.CLIENT, attributes: { 'db.operation.name': kind } }));
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      spans.get(args.queryId)?.end();
      spans.delete(args.queryId);
      return args.result;
    },
  };
}
