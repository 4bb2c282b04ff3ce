/** Connections to Temporal from configuration: plain, TLS (mTLS files) or API key (Temporal Cloud). */
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { Config } from './config.js';
import { tracingActive } from './tracing.js';

function tlsOptions(config: Readonly<Config>) {
  if (config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH) {
    return { clientCertPair: { crt: fs.readFileSync(config.TEMPORAL_TLS_CERT_PATH), key: fs.readFileSync(config.TEMPORAL_TLS_KEY_PATH) } };
  }
  return config.TEMPORAL_TLS || config.TEMPORAL_API_KEY ? true : undefined;
}

export async function connectClient(config: Readonly<Config>, address: string): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ address, tls: tlsOptions(config), apiKey: config.TEMPORAL_API_KEY });
  // Tracing on (infra/tracing.ts): the Update/start carries the HTTP request's trace context.
  const interceptors = tracingActive() ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
  return { client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, interceptors }), connection };
}

export function connectWorker(config: Readonly<Config>, address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address, tls: tlsOptions(config), apiKey: config.TEMPORAL_API_KEY });
}

/** Readiness probe: the namespace answers. */
export async function pingTemporal(connection: Connection, namespace: string): Promise<void> {
  await connection.workflowService.describeNamespace({ namespace }, );
}
