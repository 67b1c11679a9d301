import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  isURL,
  IsUrl,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';
import ms from 'ms';
import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { AGENCIES, Agency } from '../domain/identity/roles';
import { ConfiguredDuration, parseDuration } from './duration';
import { projectPath } from './paths';

const DURATION = /^\s*\d+(\.\d+)?\s*(ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?|d|days?)\s*$/i;
const DURATION_MESSAGE = 'must be a duration such as 5s, 10m, 2h or 10d';
const WALL_CLOCK = /^\s*\d+(\.\d+)?\s*(ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?)\s*$/i;
const WALL_CLOCK_MESSAGE = 'must be a duration such as 30s, 15m or 2h';
const isHttpUrl = (text: string) => isURL(text, { require_tld: false, protocols: ['http', 'https'], require_protocol: true });

/** Raw environment as validated: every variable the system reads, with its default. */
class Environment {
  /**
   * Unset means production, so a deployed `node dist/...` never runs on development secrets or seeds
   * demo users; `npm start` sets development itself (package.json), and jest sets test.
   */
  @IsIn(['development', 'test', 'production']) NODE_ENV = 'production';
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) @Max(65535) PORT = 3000;
  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' }) DATABASE_URL?: string;
  @IsOptional() @Matches(/^[\w.-]+:\d+$/, { message: 'must be host:port' }) TEMPORAL_ADDRESS?: string;
  @IsString() @MinLength(1) TEMPORAL_NAMESPACE = 'default';
  /** Unset: on when a CA, client certificate, server name or API key is given, else off (a local dev server). */
  @IsOptional() @IsIn(['on', 'off']) TEMPORAL_TLS?: string;
  @IsOptional() @IsString() TEMPORAL_TLS_CA_FILE?: string;
  @IsOptional() @IsString() TEMPORAL_TLS_CERT_FILE?: string;
  @IsOptional() @IsString() TEMPORAL_TLS_KEY_FILE?: string;
  @IsOptional() @Matches(/^[A-Za-z0-9.-]+$/, { message: 'must be a host name' }) TEMPORAL_TLS_SERVER_NAME?: string;
  /**
   * Workflows each Worker keeps in its sticky cache. The SDK's default is sized from the whole heap
   * for every Worker (about 2,300 each here), which let the worker pass 1 GiB RSS at about 400
   * waiting proposals; evicted workflows replay from history when their next task arrives.
   */
  @Transform(({ value }) => Number(value)) @IsInt() @Min(2) @Max(100_000) WORKER_MAX_CACHED_WORKFLOWS = 500;
  /** Where the worker's Temporal SDK serves its Prometheus metrics (`temporal_*`); set empty to serve none. */
  @Matches(/^[\w.-]+:\d+$/, { message: 'must be host:port' }) WORKER_METRICS_ADDRESS = '127.0.0.1:9464';
  /** How long a stopping worker lets running activities finish before cancelling them (a deploy's drain). */
  @Matches(WALL_CLOCK, { message: WALL_CLOCK_MESSAGE }) WORKER_SHUTDOWN_GRACE = '30s';
  @Matches(DURATION, { message: DURATION_MESSAGE }) REVIEW_SLA = '10d';
  @Transform(({ value }) => Number(value)) @IsNumber() @Min(0.05) @Max(0.99) REVIEW_REMINDER_AT = 0.8;
  @Matches(DURATION, { message: DURATION_MESSAGE }) AMENDMENT_WINDOW = '30d';
  @Matches(DURATION, { message: DURATION_MESSAGE }) FINANCING_SLA = '15d';
  @Matches(DURATION, { message: DURATION_MESSAGE }) SBA_SLA = '15d';
  @Matches(DURATION, { message: DURATION_MESSAGE }) ADVOCACY_SLA = '15d';
  @Matches(DURATION, { message: DURATION_MESSAGE }) LICENSING_SLA = '15d';
  @Matches(/^[A-Z]{2}(,[A-Z]{2})*$/, { message: 'must be comma-separated ISO alpha-2 codes, e.g. CN,HK,MO' })
  COUNTRIES_OF_CONCERN = 'CN,HK,MO';
  @IsIn(['on', 'off']) OPEN_WEIGHT_MODEL_RULE = 'on';
  @IsOptional() @IsString() @MinLength(32, { message: 'must be at least 32 characters' }) JWT_SECRET?: string;
  /** The secret before a JWT_SECRET rotation: still verifies tokens, never signs them (docs/runbook.md, section 3). */
  @IsOptional() @IsString() @MinLength(32, { message: 'must be at least 32 characters' }) JWT_SECRET_PREVIOUS?: string;
  @IsString() @MinLength(8) DEMO_PASSWORD = 'exports-demo';
  @IsOptional() @Transform(({ value }) => Number(value)) @IsNumber() @Min(0.5) @Max(1) SCREENING_MATCH_THRESHOLD?: number;
  @Matches(WALL_CLOCK, { message: WALL_CLOCK_MESSAGE }) ACCESS_TOKEN_TTL = '30m';
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) @Max(100) LOGIN_MAX_ATTEMPTS = 10;
  @Matches(WALL_CLOCK, { message: WALL_CLOCK_MESSAGE }) LOGIN_LOCKOUT = '15m';
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) THROTTLE_LOGIN_PER_MINUTE = 30;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) THROTTLE_WRITES_PER_MINUTE = 300;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(1) THROTTLE_READS_PER_MINUTE = 1200;
  @IsOptional() @IsString() TRUSTED_PROXIES?: string;
  @Matches(WALL_CLOCK, { message: WALL_CLOCK_MESSAGE }) DENIAL_AUDIT_WINDOW = '60s';
  @Matches(WALL_CLOCK, { message: WALL_CLOCK_MESSAGE }) ACCOUNT_CHECK_CACHE = '5s';
  @IsOptional() @IsUrl({ require_tld: false }) OIDC_ISSUER?: string;
  @IsOptional() @IsString() OIDC_AUDIENCE?: string;
  @IsOptional() @IsUrl({ require_tld: false }) OIDC_JWKS_URL?: string;
  @IsString() OIDC_ROLES_CLAIM = 'roles';
  @IsString() OIDC_AGENCY_CLAIM = 'agency';
  @IsString() OIDC_ORGANISATION_CLAIM = 'organisation';
  /** The web UI's public client at the identity provider: set, the sign-in page offers single sign-on. */
  @IsOptional() @IsString() OIDC_CLIENT_ID?: string;
  /** Scopes the web UI asks for; the access token they yield must carry OIDC_AUDIENCE. */
  @IsString() OIDC_SCOPE = 'openid';
  /** How the sign-in page names the identity provider: "Sign in with …". */
  @IsString() OIDC_PROVIDER_NAME = 'single sign-on';
  /** Password sign-in with accounts an admin creates; unset: on without OIDC, off with it. */
  @IsOptional() @IsIn(['on', 'off']) LOCAL_ACCOUNTS?: string;
  @IsOptional() @IsString() CORS_ORIGINS?: string;
  @IsOptional() @Matches(/^smtps?:\/\//, { message: 'must be an smtp:// or smtps:// URL' }) SMTP_URL?: string;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(0) @Max(90) MILESTONE_REMINDER_DAYS = 7;
  @IsString() NOTIFY_FROM = 'Exports Desk <no-reply@exports-desk.example>';
  @Matches(WALL_CLOCK, { message: WALL_CLOCK_MESSAGE }) NOTIFY_INTERVAL = '5s';
  @IsString() DATA_DIR = '.data';
  @IsOptional() @IsString() @MinLength(1) AUDIT_SEAL_KEY_FILE?: string;
  @IsOptional() @IsString() @MinLength(1) AUDIT_SEAL_PUBLIC_KEY_FILE?: string;
  @Transform(({ value }) => Number(value)) @IsInt() @Min(10) @Max(3_600_000) AUDIT_SEAL_INTERVAL_MS = 1000;
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';
  @IsIn(['filesystem', 's3']) DOCUMENT_STORE = 'filesystem';
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }) S3_ENDPOINT?: string;
  @IsOptional() @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be an S3 bucket name' }) S3_BUCKET?: string;
  @Matches(/^[a-z0-9-]{1,40}$/, { message: 'must be a region name such as us-east-1' }) S3_REGION = 'us-east-1';
  @IsIn(['true', 'false']) S3_FORCE_PATH_STYLE = 'false';
  @IsOptional() @Matches(/^([A-Za-z0-9._-]+\/)*$/, { message: 'must be empty or folder names each ending in /' }) S3_KEY_PREFIX?: string;
  /** Whether partner governments may read the catalogue of priority AI export packages without signing in. */
  @IsIn(['true', 'false'], { message: 'must be true or false' }) CATALOGUE_PUBLIC = 'false';
}

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  port: number;
  databaseUrl: string;
  temporal: {
    address: string;
    namespace: string;
    maxCachedWorkflows: number;
    /** host:port of the SDK runtime's Prometheus exporter in the worker; undefined: off. */
    metricsAddress: string | undefined;
    /** The Worker's `shutdownGraceTime`: activities still running after it are cancelled. */
    shutdownGraceMs: number;
    /** undefined: plaintext gRPC. */
    tls: TemporalTlsConfig | undefined;
    /** Sent as `Authorization: Bearer <key>` (Temporal Cloud API keys); `tls` is then always set. */
    apiKey: string | undefined;
  };
  durations: {
    reviewSla: ConfiguredDuration;
    reviewReminderAt: number;
    amendmentWindow: ConfiguredDuration;
    financingSla: ConfiguredDuration;
    sbaSla: ConfiguredDuration;
    advocacySla: ConfiguredDuration;
    licensingSla: ConfiguredDuration;
  };
  countriesOfConcern: string[];
  /** The reported bar on open-weight models from countries of concern (the 2026 call; libs/domain/screening). */
  openWeightModelRule: boolean;
  /** Unset: the matcher's tuned default (libs/domain/screening). */
  screeningMatchThreshold: number | undefined;
  auth: {
    jwtSecret: string;
    /** JWT_SECRET_PREVIOUS: accepted for verification only, so a rotation does not sign everyone out. */
    jwtPreviousSecret: string | undefined;
    accessTokenTtlMs: number;
    loginMaxAttempts: number;
    loginLockoutMs: number;
    /** How long a per-request account check (disabled, roles, revoked sessions) may be served from cache. */
    accountCheckCacheMs: number;
    /** Window of the aggregate audit event for requests without a valid token (docs/spec.md section 4). */
    denialAuditWindowMs: number;
    oidc?: {
      issuer: string;
      audience: string;
      jwksUrl: string;
      rolesClaim: string;
      agencyClaim: string;
      organisationClaim: string;
      /** The web UI's authorization-code sign-in (PKCE, public client); unset: bearer tokens from elsewhere only. */
      webClient: { clientId: string; scope: string; providerName: string } | undefined;
    };
    /** Password sign-in (POST /auth/login) and admin-created accounts; off: OIDC tokens only. */
    localAccounts: boolean;
  };
  throttle: { loginPerMinute: number; writesPerMinute: number; readsPerMinute: number };
  /** Addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed; empty: none. */
  trustedProxies: string[];
  corsOrigins: string[];
  /** Agencies whose own case systems take their tasks by signed webhook (docs/spec.md section 8); `secrets`: current, then previous during a rotation. */
  agencyWebhooks: Partial<Record<Agency, { url: string; secrets: string[] }>>;
  /** Calendar days before a milestone's due date that its reminder goes out. */
  milestoneReminderDays: number;
  notifications: { smtpUrl: string | undefined; from: string; intervalMs: number };
  demoPassword: string;
  dataDir: string;
  /** The audit sealer (docs/architecture.md, "Audit sealing"); unset key files: a key generated into dataDir, outside production. */
  audit: {
    sealKeyFile: string | undefined;
    /** AUDIT_SEAL_PUBLIC_KEY_FILE's Ed25519 keys: the current sealing key's and retired ones; unset: the private key's. */
    publicKeys: KeyObject[] | undefined;
    sealIntervalMs: number;
  };
  logLevel: string;
  /** Where uploaded documents are kept (libs/adapters/document-store.ts). */
  documents: DocumentStoreConfig;
  /** The catalogue of priority AI export packages (docs/spec.md section 2.3a): anonymous reading when `public`. */
  catalogue: { public: boolean };
  /** GET /metrics (docs/spec.md section 7): public, or only for `Authorization: Bearer <token>` when a token is set. */
  metrics: { token: string | undefined };
}

/** TLS to the Temporal frontend, with the PEM files' contents read at load. */
export interface TemporalTlsConfig {
  /** Overrides the host name the server's certificate must name (and the SNI sent). */
  serverName: string | undefined;
  /** undefined: the system's trusted roots (Temporal Cloud). */
  serverRootCACertificate: Buffer | undefined;
  /** The client certificate and key for mTLS. */
  clientCertPair: { crt: Buffer; key: Buffer } | undefined;
}

export type DocumentStoreConfig =
  | { store: 'filesystem'; dir: string }
  | {
      store: 's3';
      endpoint: string | undefined;
      bucket: string;
      region: string;
      forcePathStyle: boolean;
      keyPrefix: string;
      /** Unset: the AWS SDK's default chain (instance role, AWS_* environment, shared files). */
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Said with production's requirements when NODE_ENV was left unset, which is easy to miss on a checkout. */
const PRODUCTION_HINT = (source: NodeJS.ProcessEnv) =>
  source.NODE_ENV ? '' : ' (NODE_ENV is unset, which means production; set NODE_ENV=development on a development checkout)';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/exports_desk';
/** Outside production only (production requires JWT_SECRET): tokens then survive restarts of a demo. */
const DEVELOPMENT_JWT_SECRET = 'exports-desk-development-only-secret-0123456789';

function describe(errors: ValidationError[], source: NodeJS.ProcessEnv): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map(
      (message) => `${e.property}=${JSON.stringify(source[e.property])}: ${message.replace(`${e.property} `, '')}`,
    ),
  );
}

/**
 * AGENCY_WEBHOOK_<AGENCY>_URL and AGENCY_WEBHOOK_<AGENCY>_SECRET (or _SECRET_FILE), both or neither,
 * per agency; during a rotation also AGENCY_WEBHOOK_<AGENCY>_SECRET_PREVIOUS (or _FILE), the secret
 * being retired: still accepted on callbacks, and deliveries carry a signature under it too.
 */
function readAgencyWebhooks(source: NodeJS.ProcessEnv, problems: string[]): AppConfig['agencyWebhooks'] {
  const hooks: AppConfig['agencyWebhooks'] = {};
  for (const agency of AGENCIES) {
    const name = `AGENCY_WEBHOOK_${agency}`;
    const url = source[`${name}_URL`];
    const secret = readSecret(source, `${name}_SECRET`, problems);
    const previous = readSecret(source, `${name}_SECRET_PREVIOUS`, problems);
    if (!url && !secret && !previous) continue;
    if (!url || !isHttpUrl(url)) problems.push(`${name}_URL: must be an http(s) URL when ${name}_SECRET is set`);
    else if (!secret || secret.length < 32) problems.push(`${name}_SECRET: must be at least 32 characters when ${name}_URL is set`);
    else if (previous !== undefined && previous.length < 32) problems.push(`${name}_SECRET_PREVIOUS: must be at least 32 characters`);
    else if (previous === secret) problems.push(`${name}_SECRET_PREVIOUS: must differ from ${name}_SECRET`);
    else hooks[agency] = { url, secrets: previous ? [secret, previous] : [secret] };
  }
  return hooks;
}

/** TRUSTED_PROXIES: comma-separated IPv4/IPv6 addresses or CIDRs (e.g. `10.0.0.0/8,::1`). */
function readTrustedProxies(text: string | undefined, problems: string[]): string[] {
  const entries = (text ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => {
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    if (!family || rest.length) return true;
    if (prefix === undefined) return false;
    return !/^\d{1,3}$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128);
  });
  if (bad.length) problems.push(`TRUSTED_PROXIES: not an IP address or CIDR: ${bad.join(', ')}`);
  return entries;
}

/** A secret from NAME or from the file NAME_FILE names (container secrets), not both; surrounding whitespace dropped. */
function readSecret(source: NodeJS.ProcessEnv, name: string, problems: string[]): string | undefined {
  const value = source[name] || undefined;
  const file = source[`${name}_FILE`] || undefined;
  if (value !== undefined && file !== undefined) {
    problems.push(`${name}: set either ${name} or ${name}_FILE, not both`);
    return undefined;
  }
  if (file === undefined) return value;
  const secret = readConfigFile(`${name}_FILE`, file, problems)?.trim();
  if (secret === '') problems.push(`${name}_FILE: ${file} is empty`);
  return secret || undefined;
}

/** The text of a file a variable names, or undefined with the problem recorded. */
function readConfigFile(variable: string, file: string, problems: string[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return undefined;
  }
}

/**
 * AUDIT_SEAL_PUBLIC_KEY_FILE: one or more PEM (SPKI) Ed25519 public keys, the current sealing key's
 * and every retired one, so checkpoints signed before a rotation still verify.
 */
function readSealPublicKeys(file: string | undefined, problems: string[]): KeyObject[] | undefined {
  if (file === undefined) return undefined;
  const text = readConfigFile('AUDIT_SEAL_PUBLIC_KEY_FILE', file, problems);
  if (text === undefined) return undefined;
  const blocks = text.match(/-----BEGIN PUBLIC KEY-----[^-]+-----END PUBLIC KEY-----/g) ?? [];
  if (!blocks.length) problems.push(`AUDIT_SEAL_PUBLIC_KEY_FILE: ${file} holds no PEM public key`);
  return blocks.flatMap((pem, i) => {
    let key: KeyObject | undefined;
    try {
      key = createPublicKey(pem);
    } catch {
      key = undefined;
    }
    if (key?.asymmetricKeyType === 'ed25519') return [key];
    problems.push(`AUDIT_SEAL_PUBLIC_KEY_FILE: key ${i + 1} in ${file} is not an Ed25519 public key`);
    return [];
  });
}

/** A PEM file a variable names, read now so that a wrong path or content fails at start rather than at the first connection. */
function readPemFile(
  variable: string,
  file: string | undefined,
  kind: 'certificate' | 'private key',
  problems: string[],
): Buffer | undefined {
  if (file === undefined) return undefined;
  const text = readConfigFile(variable, file, problems);
  if (text === undefined) return undefined;
  // Any kind's label: "PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"; "CERTIFICATE", "TRUSTED CERTIFICATE".
  if (!new RegExp(`-----BEGIN [A-Z ]*${kind.toUpperCase()}-----`).test(text)) {
    problems.push(`${variable}: ${file} holds no PEM ${kind}`);
    return undefined;
  }
  return Buffer.from(text);
}

/**
 * TEMPORAL_TLS and the TEMPORAL_TLS_* files. Any of them, or an API key, turns TLS on: a bearer key
 * must never cross the network in the clear, and Temporal Cloud accepts nothing else.
 */
function readTemporalTls(env: Environment, apiKey: string | undefined, problems: string[]): TemporalTlsConfig | undefined {
  const needingTls = Object.entries({
    TEMPORAL_TLS_CA_FILE: env.TEMPORAL_TLS_CA_FILE,
    TEMPORAL_TLS_CERT_FILE: env.TEMPORAL_TLS_CERT_FILE,
    TEMPORAL_TLS_KEY_FILE: env.TEMPORAL_TLS_KEY_FILE,
    TEMPORAL_TLS_SERVER_NAME: env.TEMPORAL_TLS_SERVER_NAME,
    TEMPORAL_API_KEY: apiKey,
  })
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name);
  if (env.TEMPORAL_TLS === 'off') {
    if (needingTls.length) problems.push(`TEMPORAL_TLS=off: ${needingTls.join(', ')} need TLS`);
    return undefined;
  }
  if (env.TEMPORAL_TLS !== 'on' && !needingTls.length) return undefined;
  if (!env.TEMPORAL_TLS_CERT_FILE !== !env.TEMPORAL_TLS_KEY_FILE)
    problems.push('TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE: give both or neither');
  const crt = readPemFile('TEMPORAL_TLS_CERT_FILE', env.TEMPORAL_TLS_CERT_FILE, 'certificate', problems);
  const key = readPemFile('TEMPORAL_TLS_KEY_FILE', env.TEMPORAL_TLS_KEY_FILE, 'private key', problems);
  return {
    serverName: env.TEMPORAL_TLS_SERVER_NAME,
    serverRootCACertificate: readPemFile('TEMPORAL_TLS_CA_FILE', env.TEMPORAL_TLS_CA_FILE, 'certificate', problems),
    clientCertPair: crt && key ? { crt, key } : undefined,
  };
}

/** Trace export over OTLP/HTTP (libs/telemetry); off unless an endpoint is set. */
export interface TracingConfig {
  /** Where spans are POSTed (an OTLP/HTTP traces URL, `…/v1/traces`); undefined: tracing off. */
  tracesUrl: string | undefined;
  /** Sent with every export, e.g. a collector's API key. */
  headers: Record<string, string>;
  /** Unset: `exports-desk-api` or `exports-desk-worker`. */
  serviceName: string | undefined;
}

/** OTEL_EXPORTER_OTLP_HEADERS' format (the OpenTelemetry spec's): `key=value` pairs, comma-separated, values URL-encoded. */
function parseOtlpHeaders(text: string, problems: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of text.split(',').filter((p) => p.trim())) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at).trim();
    if (at < 1 || !key) problems.push('OTEL_EXPORTER_OTLP_HEADERS: each entry must be key=value');
    else {
      try {
        headers[key] = decodeURIComponent(pair.slice(at + 1).trim());
      } catch {
        problems.push(`OTEL_EXPORTER_OTLP_HEADERS: the value of ${key} is not URL-encoded`);
      }
    }
  }
  return headers;
}

/**
 * The standard OpenTelemetry variables the tracing bootstrap uses, plus OTEL_EXPORTER_OTLP_HEADERS_FILE
 * for a collector's credentials. Read apart from loadConfig: the bootstrap runs before the rest of
 * the process is loaded, as instrumentation must patch http before anything else requires it, and
 * bad tracing settings should not be reported as if the whole configuration had been read.
 */
export function loadTracingConfig(source: NodeJS.ProcessEnv): TracingConfig {
  const problems: string[] = [];
  const tracesEndpoint = source.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || undefined;
  const endpoint = source.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
  // The spec's rule: the signal's own variable is the whole URL; the generic one is a base that gets the signal's path.
  const tracesUrl = tracesEndpoint ?? (endpoint && `${endpoint.replace(/\/+$/, '')}/v1/traces`);
  if (tracesEndpoint && !isHttpUrl(tracesEndpoint)) problems.push('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an http(s) URL');
  else if (!tracesEndpoint && endpoint && !isHttpUrl(endpoint)) problems.push('OTEL_EXPORTER_OTLP_ENDPOINT: must be an http(s) URL');
  const headerText = readSecret(source, 'OTEL_EXPORTER_OTLP_HEADERS', problems);
  const headers = headerText ? parseOtlpHeaders(headerText, problems) : {};
  if (problems.length) throw new ConfigError(problems);
  const disabled = source.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
  return { tracesUrl: disabled ? undefined : tracesUrl, headers, serviceName: source.OTEL_SERVICE_NAME || undefined };
}

/** Variables that may instead come from the file `<NAME>_FILE` names (docker-compose.yml's secrets). */
const FILE_SECRETS = ['DATABASE_URL', 'JWT_SECRET', 'JWT_SECRET_PREVIOUS'] as const;

/** DOCUMENT_STORE: the data folder's `documents` (default) or an S3-compatible bucket (S3_*). */
function readDocumentStore(env: Environment, source: NodeJS.ProcessEnv, problems: string[]): DocumentStoreConfig {
  if (env.DOCUMENT_STORE !== 's3') {
    const dir = isAbsolute(env.DATA_DIR) ? join(env.DATA_DIR, 'documents') : projectPath(env.DATA_DIR, 'documents');
    return { store: 'filesystem', dir };
  }
  const accessKeyId = readSecret(source, 'S3_ACCESS_KEY_ID', problems);
  const secretAccessKey = readSecret(source, 'S3_SECRET_ACCESS_KEY', problems);
  if (!env.S3_BUCKET) problems.push('S3_BUCKET: required when DOCUMENT_STORE=s3');
  if (!accessKeyId !== !secretAccessKey) problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: give both or neither');
  return {
    store: 's3',
    endpoint: env.S3_ENDPOINT,
    bucket: env.S3_BUCKET ?? '',
    region: env.S3_REGION,
    forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
    keyPrefix: env.S3_KEY_PREFIX ?? '',
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
  };
}

/**
 * Validates the environment once; every bad variable is reported together. This is the only place
 * that reads process.env (callers pass it in).
 */
export function loadConfig(source: NodeJS.ProcessEnv): AppConfig {
  const problems: string[] = [];
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  // Read before validation, so a secret from its file is checked like the variable itself.
  for (const name of FILE_SECRETS) {
    const secret = readSecret(source, name, problems);
    if (secret !== undefined) present[name] = secret;
  }
  const env = plainToInstance(Environment, present, { exposeDefaultValues: true });
  problems.push(...describe(validateSync(env, { stopAtFirstError: true }), source));
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) problems.push(`JWT_SECRET: required in production${PRODUCTION_HINT(source)}`);
  // Verifiers hold only the public key; the private one is the sealer's (and required by it, see libs/audit).
  if (env.NODE_ENV === 'production' && !env.AUDIT_SEAL_PUBLIC_KEY_FILE)
    problems.push(`AUDIT_SEAL_PUBLIC_KEY_FILE: required in production${PRODUCTION_HINT(source)}`);
  if (env.OIDC_ISSUER && !env.OIDC_JWKS_URL) problems.push('OIDC_JWKS_URL: required when OIDC_ISSUER is set');
  // Without an audience check, a token the issuer minted for any other client would be accepted.
  if (env.OIDC_ISSUER && !env.OIDC_AUDIENCE) problems.push('OIDC_AUDIENCE: required when OIDC_ISSUER is set');
  if (env.OIDC_CLIENT_ID && !env.OIDC_ISSUER) problems.push('OIDC_CLIENT_ID: needs OIDC_ISSUER, the identity provider it is registered at');
  if (env.LOCAL_ACCOUNTS === 'off' && !env.OIDC_ISSUER) problems.push('LOCAL_ACCOUNTS=off: needs OIDC_ISSUER, or nobody could sign in');
  const trustedProxies = readTrustedProxies(env.TRUSTED_PROXIES, problems);
  if (DURATION.test(env.DENIAL_AUDIT_WINDOW) && ms(env.DENIAL_AUDIT_WINDOW as ms.StringValue) < 1000)
    problems.push('DENIAL_AUDIT_WINDOW: must be at least 1s');
  const agencyWebhooks = readAgencyWebhooks(source, problems);
  const documents = readDocumentStore(env, source, problems);
  const sealPublicKeys = readSealPublicKeys(env.AUDIT_SEAL_PUBLIC_KEY_FILE, problems);
  const metricsToken = readSecret(source, 'METRICS_TOKEN', problems);
  if (metricsToken !== undefined && metricsToken.length < 16) problems.push('METRICS_TOKEN: must be at least 16 characters');
  const temporalApiKey = readSecret(source, 'TEMPORAL_API_KEY', problems);
  const temporalTls = readTemporalTls(env, temporalApiKey, problems);
  if (problems.length) throw new ConfigError(problems);
  const duration = (text: string) => parseDuration(text) as ConfiguredDuration;
  return {
    env: env.NODE_ENV as AppConfig['env'],
    port: env.PORT,
    databaseUrl: env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    temporal: {
      address: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
      namespace: env.TEMPORAL_NAMESPACE,
      maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
      // Empty values fall back to defaults above, so "off" is read from the raw source.
      metricsAddress: source.WORKER_METRICS_ADDRESS === '' ? undefined : env.WORKER_METRICS_ADDRESS,
      shutdownGraceMs: ms(env.WORKER_SHUTDOWN_GRACE as ms.StringValue),
      tls: temporalTls,
      apiKey: temporalApiKey,
    },
    durations: {
      reviewSla: duration(env.REVIEW_SLA),
      reviewReminderAt: env.REVIEW_REMINDER_AT,
      amendmentWindow: duration(env.AMENDMENT_WINDOW),
      financingSla: duration(env.FINANCING_SLA),
      sbaSla: duration(env.SBA_SLA),
      advocacySla: duration(env.ADVOCACY_SLA),
      licensingSla: duration(env.LICENSING_SLA),
    },
    countriesOfConcern: env.COUNTRIES_OF_CONCERN.split(','),
    openWeightModelRule: env.OPEN_WEIGHT_MODEL_RULE === 'on',
    screeningMatchThreshold: env.SCREENING_MATCH_THRESHOLD,
    auth: {
      jwtSecret: env.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
      jwtPreviousSecret: env.JWT_SECRET_PREVIOUS,
      accessTokenTtlMs: ms(env.ACCESS_TOKEN_TTL as ms.StringValue),
      loginMaxAttempts: env.LOGIN_MAX_ATTEMPTS,
      loginLockoutMs: ms(env.LOGIN_LOCKOUT as ms.StringValue),
      accountCheckCacheMs: ms(env.ACCOUNT_CHECK_CACHE as ms.StringValue),
      denialAuditWindowMs: ms(env.DENIAL_AUDIT_WINDOW as ms.StringValue),
      oidc:
        env.OIDC_ISSUER && env.OIDC_JWKS_URL && env.OIDC_AUDIENCE
          ? {
              issuer: env.OIDC_ISSUER,
              audience: env.OIDC_AUDIENCE,
              jwksUrl: env.OIDC_JWKS_URL,
              rolesClaim: env.OIDC_ROLES_CLAIM,
              agencyClaim: env.OIDC_AGENCY_CLAIM,
              organisationClaim: env.OIDC_ORGANISATION_CLAIM,
              webClient: env.OIDC_CLIENT_ID
                ? { clientId: env.OIDC_CLIENT_ID, scope: env.OIDC_SCOPE, providerName: env.OIDC_PROVIDER_NAME }
                : undefined,
            }
          : undefined,
      localAccounts: env.LOCAL_ACCOUNTS ? env.LOCAL_ACCOUNTS === 'on' : !env.OIDC_ISSUER,
    },
    throttle: {
      loginPerMinute: env.THROTTLE_LOGIN_PER_MINUTE,
      writesPerMinute: env.THROTTLE_WRITES_PER_MINUTE,
      readsPerMinute: env.THROTTLE_READS_PER_MINUTE,
    },
    trustedProxies,
    corsOrigins: env.CORS_ORIGINS ? env.CORS_ORIGINS.split(',').map((o) => o.trim()) : [],
    agencyWebhooks,
    milestoneReminderDays: env.MILESTONE_REMINDER_DAYS,
    notifications: { smtpUrl: env.SMTP_URL, from: env.NOTIFY_FROM, intervalMs: ms(env.NOTIFY_INTERVAL as ms.StringValue) },
    demoPassword: env.DEMO_PASSWORD,
    dataDir: env.DATA_DIR,
    audit: {
      sealKeyFile: env.AUDIT_SEAL_KEY_FILE,
      publicKeys: sealPublicKeys,
      sealIntervalMs: env.AUDIT_SEAL_INTERVAL_MS,
    },
    logLevel: env.LOG_LEVEL,
    documents,
    catalogue: { public: env.CATALOGUE_PUBLIC === 'true' },
    metrics: { token: metricsToken },
  };
}
