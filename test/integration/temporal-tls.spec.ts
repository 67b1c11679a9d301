import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppConfig, loadConfig } from '../../libs/config';
import { proposalWorkflowId } from '../../libs/contracts/intake';
import { connectClient, temporalConnectionOptions } from '../../libs/temporal/connection';
import { completeProposal } from '../support/fixtures';
import { GrpcFaultProxy } from '../support/grpc-fault-proxy';
import { Stack } from '../support/stack';
import { TestCertificateAuthority } from '../support/test-certificates';

const API_KEY = 'temporal-cloud-api-key-for-tests';
/** Short, so that a refused handshake fails the connection well inside the test's time. */
const REFUSED_WITHIN_MS = 3000;

/**
 * Production's ways into a Temporal cluster: TLS-terminating proxies (test/support/grpc-fault-proxy.ts)
 * in front of the plaintext dev server stand for a self-hosted frontend requiring client certificates
 * and for Temporal Cloud requiring an API key. The services are configured by environment only.
 */
describe('Temporal over mTLS and with an API key', () => {
  const ca = TestCertificateAuthority.create('Exports Desk test CA');
  const strangerCa = TestCertificateAuthority.create('Some other CA');
  const frontend = ca.issue('temporal-frontend', 'serverAuth');
  const worker = ca.issue('exports-desk', 'clientAuth');
  const serverTls = { key: frontend.key, cert: frontend.cert };
  let mtlsProxy: GrpcFaultProxy;
  let apiKeyProxy: GrpcFaultProxy;
  let stack: Stack;

  beforeAll(async () => {
    const { temporalAddress } = JSON.parse(readFileSync(process.env.EXPORTS_DESK_TEST_STATE as string, 'utf8')) as {
      temporalAddress: string;
    };
    mtlsProxy = await GrpcFaultProxy.start(temporalAddress, {
      tls: { ...serverTls, ca: ca.cert, requestCert: true, rejectUnauthorized: true },
    });
    apiKeyProxy = await GrpcFaultProxy.start(temporalAddress, { tls: serverTls, apiKey: API_KEY });
    stack = await Stack.start({
      TEMPORAL_ADDRESS: mtlsProxy.address,
      TEMPORAL_TLS_CA_FILE: ca.certFile,
      TEMPORAL_TLS_CERT_FILE: worker.certFile,
      TEMPORAL_TLS_KEY_FILE: worker.keyFile,
      // The proxy listens on 127.0.0.1; its certificate is checked for this name instead.
      TEMPORAL_TLS_SERVER_NAME: 'localhost',
      AMENDMENT_WINDOW: '2s',
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all([mtlsProxy?.close(), apiKeyProxy?.close()]);
    ca.remove();
    strangerCa.remove();
  });

  const temporalConfig = (env: Record<string, string>) =>
    loadConfig({ NODE_ENV: 'test', TEMPORAL_NAMESPACE: stack.namespace, ...env }).temporal;
  /** Connects, then closes: a failed `Connection.connect` would leave its channel retrying. */
  const connectOnce = async (temporal: AppConfig['temporal']) => {
    const connection = Connection.lazy({ ...temporalConnectionOptions(temporal), connectTimeout: REFUSED_WITHIN_MS });
    try {
      await connection.ensureConnected();
    } finally {
      await connection.close();
    }
  };

  it("runs a proposal's workflow to its end with the API's client and the worker both over mTLS", async () => {
    // Without compliance answers it is returned for information, and withdrawn when AMENDMENT_WINDOW lapses.
    const { compliance: _missing, ...incomplete } = completeProposal();
    const created = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', incomplete);
    expect(created.status).toBe(201);
    // stack.temporal connects to the dev server directly, past the proxy.
    const handle = stack.temporal.workflow.getHandle(proposalWorkflowId(created.body.id));
    await stack.eventually('the proposal workflow to complete', async () => (await handle.describe()).status.name === 'COMPLETED');
    const proposal = await stack.as('commerce.reviewer', 'GET', `/api/v1/proposals/${created.body.id}`);
    expect(proposal.body.status).toBe('WITHDRAWN');
    expect((await stack.as('admin', 'GET', '/api/v1/health/details')).body.details.temporal).toEqual({ status: 'up' });
  });

  it('refuses a client without a certificate, and one that does not trust the CA', async () => {
    const mtls = { TEMPORAL_ADDRESS: mtlsProxy.address, TEMPORAL_TLS_SERVER_NAME: 'localhost' };
    await expect(connectOnce(temporalConfig({ ...mtls, TEMPORAL_TLS_CA_FILE: ca.certFile }))).rejects.toThrow(/Failed to connect/);
    expect(mtlsProxy.handshakeFailures.at(-1)).toMatch(/peer did not return a certificate/);

    const distrusting = temporalConfig({
      ...mtls,
      TEMPORAL_TLS_CA_FILE: strangerCa.certFile,
      TEMPORAL_TLS_CERT_FILE: worker.certFile,
      TEMPORAL_TLS_KEY_FILE: worker.keyFile,
    });
    // Node's TLS drops a distrusted server without saying why; the worker's rustls names the reason.
    await expect(connectOnce(distrusting)).rejects.toThrow(/Failed to connect/);
    await expect(NativeConnection.connect(temporalConnectionOptions(distrusting))).rejects.toThrow(/InvalidCertificate\(UnknownIssuer\)/);
  });

  it('answers UNAUTHENTICATED without the API key or with a wrong one, and serves the key read from TEMPORAL_API_KEY_FILE', async () => {
    const cloud = { TEMPORAL_ADDRESS: apiKeyProxy.address, TEMPORAL_TLS_CA_FILE: ca.certFile, TEMPORAL_TLS_SERVER_NAME: 'localhost' };
    const unauthenticated = expect.objectContaining({ cause: expect.objectContaining({ code: 16 }) });
    await expect(connectOnce(temporalConfig({ ...cloud, TEMPORAL_TLS: 'on' }))).rejects.toEqual(unauthenticated);
    await expect(connectOnce(temporalConfig({ ...cloud, TEMPORAL_API_KEY: 'a-revoked-api-key' }))).rejects.toEqual(unauthenticated);

    const keyFile = join(dirname(stack.logFile), 'temporal-api-key');
    writeFileSync(keyFile, `${API_KEY}\n`, { mode: 0o600 });
    const config = temporalConfig({ ...cloud, TEMPORAL_API_KEY_FILE: keyFile });
    const client = await connectClient(config);
    const native = await NativeConnection.connect(temporalConnectionOptions(config));
    try {
      for (const { workflowService } of [client, native]) {
        const { namespaceInfo } = await workflowService.describeNamespace({ namespace: stack.namespace });
        expect(namespaceInfo?.name).toBe(stack.namespace);
      }
    } finally {
      await Promise.all([client.connection.close(), native.close()]);
    }
  });
});
