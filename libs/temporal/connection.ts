import { Client, Connection, TLSConfig } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { AppConfig } from '../config';
import { SEARCH_ATTRIBUTES } from '../contracts/search-attributes';

const { IndexedValueType } = temporal.api.enums.v1;
const INDEXED_VALUE_TYPE: Partial<Record<string, number>> = {
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
};

/** Registers the namespace if the server lacks it (dev servers and test runs). */
export async function ensureNamespace(connection: Pick<Connection, 'workflowService'>, namespace: string): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('7 days'),
    });
  }
}

/** Registers the custom search attributes the workflows set; a no-op when they already exist. */
export async function ensureSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace: string): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTES.filter((key) => !(key.name in (customAttributes ?? {})));
  if (!missing.length) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEXED_VALUE_TYPE[key.type] as number])),
  });
}

type TemporalConfig = AppConfig['temporal'];

/** What both `Connection.connect` (client) and `NativeConnection.connect` (worker) need to reach the configured cluster. */
export interface TemporalConnectionOptions {
  address: string;
  tls: TLSConfig | undefined;
  apiKey: string | undefined;
}

export function temporalConnectionOptions({ address, tls, apiKey }: TemporalConfig): TemporalConnectionOptions {
  return {
    address,
    tls: tls && {
      serverNameOverride: tls.serverName,
      serverRootCACertificate: tls.serverRootCACertificate,
      clientCertPair: tls.clientCertPair,
    },
    apiKey,
  };
}

/** Traced: a start carries the caller's trace (the API request's span) into the workflow's headers. */
export async function connectClient(config: TemporalConfig): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  return new Client({
    connection,
    namespace: config.namespace,
    interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
  });
}
