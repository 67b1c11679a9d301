import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, loadTracingConfig } from '../../../libs/config';

/** The configuration outside production, where the development defaults apply; `env` adds to it. */
const testConfig = (env: NodeJS.ProcessEnv = {}) => loadConfig({ NODE_ENV: 'test', ...env });

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = testConfig();
    expect(config.port).toBe(3000);
    expect(config.temporal).toEqual({
      address: '127.0.0.1:7233',
      namespace: 'default',
      maxCachedWorkflows: 500,
      metricsAddress: '127.0.0.1:9464',
      shutdownGraceMs: 30_000,
      tls: undefined,
      apiKey: undefined,
    });
    expect(config.metrics).toEqual({ token: undefined });
    expect(config.durations.reviewSla).toEqual({ unit: 'businessDays', days: 10 });
    expect(config.durations.amendmentWindow).toEqual({ unit: 'businessDays', days: 30 });
    expect(config.durations.reviewReminderAt).toBe(0.8);
    expect(config.countriesOfConcern).toEqual(['CN', 'HK', 'MO']);
    expect(config.auth.loginMaxAttempts).toBe(10);
  });

  it('turns the reported open-weight model rule on by default, off on request, and refuses anything else', () => {
    expect(testConfig().openWeightModelRule).toBe(true);
    expect(testConfig({ OPEN_WEIGHT_MODEL_RULE: 'off' }).openWeightModelRule).toBe(false);
    expect(() => testConfig({ OPEN_WEIGHT_MODEL_RULE: 'yes' })).toThrow(/OPEN_WEIGHT_MODEL_RULE="yes"/);
  });

  it('reads wall-clock durations for tests and demos', () => {
    const config = testConfig({ REVIEW_SLA: '5s', AMENDMENT_WINDOW: '2m' });
    expect(config.durations.reviewSla).toEqual({ unit: 'ms', ms: 5000 });
    expect(config.durations.amendmentWindow).toEqual({ unit: 'ms', ms: 120_000 });
  });

  it('lists every bad variable in one error', () => {
    let error: unknown;
    try {
      testConfig({
        PORT: 'abc',
        REVIEW_SLA: 'soon',
        COUNTRIES_OF_CONCERN: 'china',
        REVIEW_REMINDER_AT: '2',
        TEMPORAL_ADDRESS: 'nope',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'REVIEW_SLA', 'COUNTRIES_OF_CONCERN', 'REVIEW_REMINDER_AT', 'TEMPORAL_ADDRESS'])
      expect(problems).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  it('requires a JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    const publicKeyFile = join(mkdtempSync(join(tmpdir(), 'config-keys-')), 'seal.pub');
    writeFileSync(publicKeyFile, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), AUDIT_SEAL_PUBLIC_KEY_FILE: publicKeyFile }).auth.jwtSecret,
    ).toBe('x'.repeat(40));
  });

  it('runs as production when NODE_ENV is unset, so a deployment never falls back to development secrets', () => {
    const withoutNodeEnv = (vars: NodeJS.ProcessEnv) => loadConfig(vars);
    expect(() => withoutNodeEnv({})).toThrow(/JWT_SECRET: required in production \(NODE_ENV is unset, which means production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).not.toThrow(/NODE_ENV is unset/);
    const publicKeyFile = join(mkdtempSync(join(tmpdir(), 'config-keys-')), 'seal.pub');
    writeFileSync(publicKeyFile, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const unset = withoutNodeEnv({ JWT_SECRET: 'x'.repeat(40), AUDIT_SEAL_PUBLIC_KEY_FILE: publicKeyFile });
    expect(unset.env).toBe('production');
    expect(loadConfig({ NODE_ENV: 'development' }).auth.jwtSecret).not.toBe(unset.auth.jwtSecret);
  });

  it('reads DATABASE_URL and JWT_SECRET from <NAME>_FILE, validated like the variables themselves', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-secrets-'));
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const config = testConfig({
      DATABASE_URL_FILE: file('database-url', 'postgres://exports:s3cret@app-db:5432/exports_desk\n'),
      JWT_SECRET_FILE: file('jwt', `${'j'.repeat(40)}\n`),
    });
    expect(config.databaseUrl).toBe('postgres://exports:s3cret@app-db:5432/exports_desk');
    expect(config.auth.jwtSecret).toBe('j'.repeat(40));
    expect(() => testConfig({ JWT_SECRET_FILE: file('short', 'too-short') })).toThrow(/JWT_SECRET.*at least 32 characters/);
    expect(() => testConfig({ DATABASE_URL_FILE: file('mysql', 'mysql://db') })).toThrow(/DATABASE_URL.*postgres:\/\/ URL/);
    expect(() => testConfig({ JWT_SECRET_FILE: join(dir, 'missing') })).toThrow(/JWT_SECRET_FILE: cannot read/);
    expect(() => testConfig({ JWT_SECRET: 'j'.repeat(40), JWT_SECRET_FILE: file('jwt2', 'j'.repeat(40)) })).toThrow(/not both/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET_FILE: file('empty', ' ') })).toThrow(/JWT_SECRET_FILE: .* is empty/);
  });

  it('reads JWT_SECRET_PREVIOUS (or its _FILE) for verification during a rotation, validated like JWT_SECRET', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-secrets-'));
    writeFileSync(join(dir, 'previous'), `${'p'.repeat(40)}\n`);
    expect(testConfig().auth.jwtPreviousSecret).toBeUndefined();
    expect(testConfig({ JWT_SECRET_PREVIOUS: 'p'.repeat(40) }).auth.jwtPreviousSecret).toBe('p'.repeat(40));
    expect(testConfig({ JWT_SECRET_PREVIOUS_FILE: join(dir, 'previous') }).auth.jwtPreviousSecret).toBe('p'.repeat(40));
    expect(() => testConfig({ JWT_SECRET_PREVIOUS: 'short' })).toThrow(/JWT_SECRET_PREVIOUS.*at least 32 characters/);
  });

  it('requires the audit sealing public key in production, and reads the sealer settings', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      /AUDIT_SEAL_PUBLIC_KEY_FILE: required in production/,
    );
    expect(testConfig().audit).toEqual({ sealKeyFile: undefined, publicKeys: undefined, sealIntervalMs: 1000 });
    expect(testConfig({ AUDIT_SEAL_KEY_FILE: '/keys/seal.pem', AUDIT_SEAL_INTERVAL_MS: '50' }).audit).toEqual({
      sealKeyFile: '/keys/seal.pem',
      publicKeys: undefined,
      sealIntervalMs: 50,
    });
    expect(() => testConfig({ AUDIT_SEAL_INTERVAL_MS: '0' })).toThrow(/AUDIT_SEAL_INTERVAL_MS/);
    expect(() => testConfig({ AUDIT_SEAL_INTERVAL_MS: 'soon' })).toThrow(/AUDIT_SEAL_INTERVAL_MS/);
  });

  it("bounds each Worker's workflow cache", () => {
    expect(testConfig({ WORKER_MAX_CACHED_WORKFLOWS: '64' }).temporal.maxCachedWorkflows).toBe(64);
    expect(() => testConfig({ WORKER_MAX_CACHED_WORKFLOWS: '1' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
    expect(() => testConfig({ WORKER_MAX_CACHED_WORKFLOWS: 'all' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
  });

  it("serves the worker's Temporal metrics at WORKER_METRICS_ADDRESS, none when it is empty", () => {
    expect(testConfig({ WORKER_METRICS_ADDRESS: '0.0.0.0:9500' }).temporal.metricsAddress).toBe('0.0.0.0:9500');
    expect(testConfig({ WORKER_METRICS_ADDRESS: '' }).temporal.metricsAddress).toBeUndefined();
    expect(() => testConfig({ WORKER_METRICS_ADDRESS: '9500' })).toThrow(/WORKER_METRICS_ADDRESS=.*host:port/);
  });

  it('gives the Worker WORKER_SHUTDOWN_GRACE to drain on shutdown', () => {
    expect(testConfig({ WORKER_SHUTDOWN_GRACE: '2m' }).temporal.shutdownGraceMs).toBe(120_000);
    expect(() => testConfig({ WORKER_SHUTDOWN_GRACE: 'forever' })).toThrow(/WORKER_SHUTDOWN_GRACE="forever"/);
  });

  describe('TLS and API keys to Temporal', () => {
    const CERTIFICATE = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n';
    let dir: string;
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'temporal-tls-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('speaks plaintext by default, and TLS with system roots on TEMPORAL_TLS=on', () => {
      expect(testConfig().temporal.tls).toBeUndefined();
      expect(testConfig({ TEMPORAL_TLS: 'on' }).temporal.tls).toEqual({
        serverName: undefined,
        serverRootCACertificate: undefined,
        clientCertPair: undefined,
      });
      expect(() => testConfig({ TEMPORAL_TLS: 'yes' })).toThrow(/TEMPORAL_TLS="yes"/);
    });

    it('reads the CA, the client certificate and key for mTLS, and the server name', () => {
      const { tls } = testConfig({
        TEMPORAL_TLS_CA_FILE: file('ca.pem', CERTIFICATE),
        TEMPORAL_TLS_CERT_FILE: file('client.pem', CERTIFICATE),
        TEMPORAL_TLS_KEY_FILE: file('client.key', PRIVATE_KEY),
        TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      }).temporal;
      expect(tls).toEqual({
        serverName: 'temporal.internal',
        serverRootCACertificate: Buffer.from(CERTIFICATE),
        clientCertPair: { crt: Buffer.from(CERTIFICATE), key: Buffer.from(PRIVATE_KEY) },
      });
    });

    it('requires the client certificate and key together', () => {
      expect(() => testConfig({ TEMPORAL_TLS_CERT_FILE: file('client.pem', CERTIFICATE) })).toThrow(
        /TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE: give both or neither/,
      );
      expect(() => testConfig({ TEMPORAL_TLS_KEY_FILE: file('client.key', PRIVATE_KEY) })).toThrow(/give both or neither/);
    });

    it('names the variable of a file it cannot read or that holds no PEM of its kind', () => {
      expect(() => testConfig({ TEMPORAL_TLS_CA_FILE: join(dir, 'missing.pem') })).toThrow(
        /TEMPORAL_TLS_CA_FILE: cannot read .*missing\.pem \(ENOENT\)/,
      );
      expect(() =>
        testConfig({
          TEMPORAL_TLS_CERT_FILE: file('swapped.key', PRIVATE_KEY),
          TEMPORAL_TLS_KEY_FILE: file('swapped.pem', CERTIFICATE),
        }),
      ).toThrow(/TEMPORAL_TLS_CERT_FILE: .*swapped\.key holds no PEM certificate[\s\S]*TEMPORAL_TLS_KEY_FILE: .*holds no PEM private key/);
    });

    it('reads TEMPORAL_API_KEY or TEMPORAL_API_KEY_FILE, not both, and always sends it over TLS', () => {
      const fromFile = testConfig({ TEMPORAL_API_KEY_FILE: file('api-key', 'cloud-api-key\n') }).temporal;
      expect(fromFile.apiKey).toBe('cloud-api-key');
      expect(fromFile.tls).toEqual({ serverName: undefined, serverRootCACertificate: undefined, clientCertPair: undefined });
      expect(testConfig({ TEMPORAL_API_KEY: 'cloud-api-key' }).temporal.tls).toBeDefined();
      expect(() => testConfig({ TEMPORAL_API_KEY: 'cloud-api-key', TEMPORAL_API_KEY_FILE: file('api-key', 'cloud-api-key') })).toThrow(
        /TEMPORAL_API_KEY: set either/,
      );
      expect(() => testConfig({ TEMPORAL_API_KEY_FILE: join(dir, 'missing') })).toThrow(/TEMPORAL_API_KEY_FILE: cannot read/);
    });

    it('refuses TEMPORAL_TLS=off with settings that need TLS, naming them', () => {
      expect(() =>
        testConfig({
          TEMPORAL_TLS: 'off',
          TEMPORAL_API_KEY: 'cloud-api-key',
          TEMPORAL_TLS_CA_FILE: file('ca.pem', CERTIFICATE),
        }),
      ).toThrow(/TEMPORAL_TLS=off: TEMPORAL_TLS_CA_FILE, TEMPORAL_API_KEY need TLS/);
      expect(testConfig({ TEMPORAL_TLS: 'off' }).temporal.tls).toBeUndefined();
    });
  });

  it('reads METRICS_TOKEN or METRICS_TOKEN_FILE, not both, and refuses a short token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'metrics-token-'));
    try {
      const file = join(dir, 'token');
      writeFileSync(file, 'scrape-token-from-a-file\n');
      expect(testConfig({ METRICS_TOKEN: 'scrape-token-0123456789' }).metrics.token).toBe('scrape-token-0123456789');
      expect(testConfig({ METRICS_TOKEN_FILE: file }).metrics.token).toBe('scrape-token-from-a-file');
      expect(() => testConfig({ METRICS_TOKEN: 'scrape-token-0123456789', METRICS_TOKEN_FILE: file })).toThrow(/not both/);
      expect(() => testConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads an agency webhook secret from _SECRET or _SECRET_FILE, and a previous one for a rotation overlap', () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhook-secrets-'));
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const [current, previous] = ['c'.repeat(40), 'p'.repeat(40)];
    const URL = { AGENCY_WEBHOOK_DOD_URL: 'https://cases.dod.example/exports' };
    try {
      expect(testConfig({ ...URL, AGENCY_WEBHOOK_DOD_SECRET: current }).agencyWebhooks).toEqual({
        DOD: { url: URL.AGENCY_WEBHOOK_DOD_URL, secrets: [current] },
      });
      const rotating = testConfig({
        ...URL,
        AGENCY_WEBHOOK_DOD_SECRET_FILE: file('current', `${current}\n`),
        AGENCY_WEBHOOK_DOD_SECRET_PREVIOUS_FILE: file('previous', `${previous}\n`),
      });
      expect(rotating.agencyWebhooks).toEqual({ DOD: { url: URL.AGENCY_WEBHOOK_DOD_URL, secrets: [current, previous] } });
      expect(
        testConfig({ ...URL, AGENCY_WEBHOOK_DOD_SECRET: current, AGENCY_WEBHOOK_DOD_SECRET_PREVIOUS: previous }).agencyWebhooks.DOD
          ?.secrets,
      ).toEqual([current, previous]);
      expect(() =>
        testConfig({ ...URL, AGENCY_WEBHOOK_DOD_SECRET: current, AGENCY_WEBHOOK_DOD_SECRET_FILE: file('again', current) }),
      ).toThrow(/AGENCY_WEBHOOK_DOD_SECRET: set either/);
      expect(() => testConfig({ ...URL, AGENCY_WEBHOOK_DOD_SECRET_FILE: join(dir, 'missing') })).toThrow(
        /AGENCY_WEBHOOK_DOD_SECRET_FILE: cannot read/,
      );
      expect(() => testConfig({ ...URL, AGENCY_WEBHOOK_DOD_SECRET_FILE: file('short', 'short') })).toThrow(
        /AGENCY_WEBHOOK_DOD_SECRET: must be at least 32 characters/,
      );
      expect(() => testConfig({ ...URL, AGENCY_WEBHOOK_DOD_SECRET_PREVIOUS: previous })).toThrow(
        /AGENCY_WEBHOOK_DOD_SECRET: must be at least 32/,
      );
      expect(() => testConfig({ ...URL, AGENCY_WEBHOOK_DOD_SECRET: current, AGENCY_WEBHOOK_DOD_SECRET_PREVIOUS: 'short' })).toThrow(
        /AGENCY_WEBHOOK_DOD_SECRET_PREVIOUS: must be at least 32 characters/,
      );
      expect(() => testConfig({ ...URL, AGENCY_WEBHOOK_DOD_SECRET: current, AGENCY_WEBHOOK_DOD_SECRET_PREVIOUS: current })).toThrow(
        /AGENCY_WEBHOOK_DOD_SECRET_PREVIOUS: must differ from AGENCY_WEBHOOK_DOD_SECRET/,
      );
      expect(() => testConfig({ AGENCY_WEBHOOK_DOD_SECRET: current })).toThrow(/AGENCY_WEBHOOK_DOD_URL: must be an http\(s\) URL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('requires OIDC_AUDIENCE with OIDC_ISSUER, naming the variable', () => {
    const oidc = {
      OIDC_ISSUER: 'https://login.example.gov/realms/exports',
      OIDC_JWKS_URL: 'https://login.example.gov/jwks',
    };
    expect(() => testConfig(oidc)).toThrow(/OIDC_AUDIENCE: required when OIDC_ISSUER is set/);
    expect(testConfig({ ...oidc, OIDC_AUDIENCE: 'exports-desk' }).auth.oidc).toEqual(expect.objectContaining({ audience: 'exports-desk' }));
  });

  it('takes the web UI single sign-on client only with an issuer, with scope and name defaults', () => {
    expect(() => testConfig({ OIDC_CLIENT_ID: 'web' })).toThrow(/OIDC_CLIENT_ID: needs OIDC_ISSUER/);
    const issuer = {
      OIDC_ISSUER: 'https://login.example.gov',
      OIDC_AUDIENCE: 'exports-desk',
      OIDC_JWKS_URL: 'https://login.example.gov/jwks',
    };
    expect(testConfig(issuer).auth.oidc?.webClient).toBeUndefined();
    expect(testConfig({ ...issuer, OIDC_CLIENT_ID: 'web' }).auth.oidc?.webClient).toEqual({
      clientId: 'web',
      scope: 'openid',
      providerName: 'single sign-on',
    });
  });

  it('keeps local accounts on without OIDC, off with it unless LOCAL_ACCOUNTS=on, and refuses off without OIDC', () => {
    const oidc = {
      OIDC_ISSUER: 'https://login.example.gov/realms/exports',
      OIDC_AUDIENCE: 'exports-desk',
      OIDC_JWKS_URL: 'https://login.example.gov/jwks',
    };
    expect(testConfig().auth.localAccounts).toBe(true);
    expect(testConfig(oidc).auth.localAccounts).toBe(false);
    expect(testConfig({ ...oidc, LOCAL_ACCOUNTS: 'on' }).auth.localAccounts).toBe(true);
    expect(testConfig({ ...oidc, LOCAL_ACCOUNTS: 'off' }).auth.localAccounts).toBe(false);
    expect(() => testConfig({ LOCAL_ACCOUNTS: 'off' })).toThrow(/LOCAL_ACCOUNTS=off: needs OIDC_ISSUER/);
    expect(() => testConfig({ LOCAL_ACCOUNTS: 'yes' })).toThrow(/LOCAL_ACCOUNTS="yes"/);
  });

  it('reads TRUSTED_PROXIES as addresses and CIDRs, none by default, and refuses anything else', () => {
    expect(testConfig().trustedProxies).toEqual([]);
    expect(testConfig({ TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,::1,fd00::/8' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
    ]);
    expect(() => testConfig({ TRUSTED_PROXIES: '10.0.0.0/33,proxy.example,1.2.3.4/8/9' })).toThrow(
      /TRUSTED_PROXIES: not an IP address or CIDR: 10\.0\.0\.0\/33, proxy\.example, 1\.2\.3\.4\/8\/9/,
    );
  });

  it('reads the read limit, the denial audit window and the account check cache', () => {
    const defaults = testConfig();
    expect(defaults.throttle.readsPerMinute).toBe(1200);
    expect(defaults.auth.denialAuditWindowMs).toBe(60_000);
    expect(defaults.auth.accountCheckCacheMs).toBe(5000);
    const custom = testConfig({ THROTTLE_READS_PER_MINUTE: '10', DENIAL_AUDIT_WINDOW: '2s', ACCOUNT_CHECK_CACHE: '0s' });
    expect([custom.throttle.readsPerMinute, custom.auth.denialAuditWindowMs, custom.auth.accountCheckCacheMs]).toEqual([10, 2000, 0]);
    expect(() => testConfig({ DENIAL_AUDIT_WINDOW: '100ms' })).toThrow(/DENIAL_AUDIT_WINDOW: must be at least 1s/);
  });
});

describe('loadTracingConfig', () => {
  it('is off without an endpoint, and with OTEL_SDK_DISABLED=true', () => {
    expect(loadTracingConfig({})).toEqual({ tracesUrl: undefined, headers: {}, serviceName: undefined });
    expect(
      loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'TRUE' }).tracesUrl,
    ).toBeUndefined();
  });

  it("sends to the generic endpoint's /v1/traces, or to the traces endpoint as given", () => {
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracesUrl).toBe('http://collector:4318/v1/traces');
    expect(
      loadTracingConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://tempo/otlp/traces',
      }).tracesUrl,
    ).toBe('https://tempo/otlp/traces');
    expect(() => loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT: must be an http/,
    );
  });

  it('reads the headers from the variable or from its _FILE, URL-decoded, not from both', () => {
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=a%20b, x-org=desk' }).headers).toEqual({
      'x-api-key': 'a b',
      'x-org': 'desk',
    });
    const dir = mkdtempSync(join(tmpdir(), 'otlp-headers-'));
    try {
      const file = join(dir, 'headers');
      writeFileSync(file, 'authorization=Bearer%20secret\n');
      expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_HEADERS_FILE: file }).headers).toEqual({ authorization: 'Bearer secret' });
      expect(() => loadTracingConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'a=b', OTEL_EXPORTER_OTLP_HEADERS_FILE: file })).toThrow(ConfigError);
    } finally {
      rmSync(dir, { recursive: true });
    }
    expect(() => loadTracingConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'novalue' })).toThrow(/each entry must be key=value/);
  });
});
