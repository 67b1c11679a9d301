import { SearchAttributeType } from '@temporalio/common';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadSealingKey, loadVerifyingKeys } from '../../../libs/audit/audit-seal';
import { loadConfig, projectPath } from '../../../libs/config';
import { SEARCH_ATTRIBUTES } from '../../../libs/contracts/search-attributes';

/** The parts of the Compose specification this file uses. */
interface Service {
  image?: string;
  build?: unknown;
  restart?: string;
  command?: string | string[];
  environment?: Record<string, string | number>;
  secrets?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string | string[] };
  deploy?: { replicas?: number };
  container_name?: string;
}
interface Compose {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
}

// Merge keys (<<) are YAML 1.1, which Docker Compose applies; the yaml package does so on request.
const compose = parse(readFileSync(projectPath('docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
const services = Object.entries(compose.services);
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
const env = (name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(service(name).environment ?? {}).map(([key, value]) => [key, String(value)]));

/** One-shot services: what others wait on to have completed. They run once per `up`, so they need no healthcheck. */
const oneShots = new Set(
  services.flatMap(([, s]) =>
    Object.entries(s.depends_on ?? {})
      .filter(([, { condition }]) => condition === 'service_completed_successfully')
      .map(([target]) => target),
  ),
);

/** The one service that runs each process, found by its command rather than by name. */
const appService = (main: string): string => {
  const found = services.filter(([, s]) => [s.command ?? []].flat().includes(`dist/apps/${main}/src/main.js`));
  if (found.length !== 1) throw new Error(`docker-compose.yml must run dist/apps/${main} in exactly one service`);
  return found[0][0];
};
const API = appService('api');
const WORKER = appService('worker');

/** The one-shot that registers the namespace and search attributes. */
const namespaceService = (): string => {
  const found = [...oneShots].filter((name) => env(name).SEARCH_ATTRIBUTES !== undefined);
  if (found.length !== 1) throw new Error('docker-compose.yml must register the search attributes in exactly one one-shot service');
  return found[0];
};

/** The DATABASE_URL the README has users write into secrets/database-url (its password is theirs). */
const DATABASE_URL_FORM = 'postgres://exports:dummy-password@app-db:5432/exports_desk';

/** The service an environment variable's host:port names, checked to exist. */
const hostOf = (address: string): string => {
  const [host] = address.split(':');
  expect(Object.keys(compose.services)).toContain(host);
  return host;
};

describe('docker-compose.yml', () => {
  it('pins every image to a version (never latest) or builds it from the Dockerfile', () => {
    for (const [name, s] of services) {
      if (s.build !== undefined) continue;
      expect({ name, image: s.image }).toEqual({ name, image: expect.stringMatching(/^[\w./-]+:[\w.-]+$/) });
      expect({ name, tag: s.image?.split(':')[1] }).not.toEqual({ name, tag: 'latest' });
    }
  });

  it('publishes the API on 3000 and the Temporal UI on 8080, and everything else on loopback at most', () => {
    expect(service(API).ports).toEqual(['3000:3000']);
    expect(env(API).PORT).toBe('3000');
    const ui = services.find(([, s]) => s.image?.startsWith('temporalio/ui:'));
    expect(ui?.[1].ports).toEqual(['127.0.0.1:8080:8080']);
    for (const [name, s] of services.filter(([n]) => n !== API))
      for (const port of s.ports ?? []) expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:/) });
  });

  describe('the API and worker environment, through the app configuration loader', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-secrets-'));
    const keys = generateKeyPairSync('ed25519');
    const dummySecrets: Record<string, string> = {
      database_url: `${DATABASE_URL_FORM}\n`,
      jwt_secret: `${'j'.repeat(48)}\n`,
      audit_seal_key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      audit_seal_public_key: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    /** The service's environment with each /run/secrets/<name> path pointed at a dummy file. */
    const withSecretFiles = (name: string): Record<string, string> =>
      Object.fromEntries(
        Object.entries(env(name)).map(([key, value]) => {
          const secret = /^\/run\/secrets\/(\w+)$/.exec(value)?.[1];
          if (!secret) return [key, value];
          expect({ key, mounted: service(name).secrets }).toEqual({ key, mounted: expect.arrayContaining([secret]) });
          expect(compose.secrets[secret]).toBeDefined();
          if (dummySecrets[secret] === undefined) throw new Error(`no dummy content for secret ${secret}: add it to this test`);
          const file = join(dir, secret);
          writeFileSync(file, dummySecrets[secret]);
          return [key, file];
        }),
      );

    it.each([API, WORKER])('%s: accepted in production (no demo users, no sample list), secrets from files', (name) => {
      const config = loadConfig(withSecretFiles(name));
      expect(config.env).toBe('production');
      expect(env(name)).not.toHaveProperty('JWT_SECRET');
      expect(env(name)).not.toHaveProperty('DATABASE_URL');
      expect(env(name)).not.toHaveProperty('DEMO_PASSWORD');
      expect([...loadVerifyingKeys(config).values()].map((key) => key.asymmetricKeyType)).toEqual(['ed25519']);
      expect(service(hostOf(config.temporal.address)).image).toMatch(/^temporalio\/server:/);
      expect(config.temporal.address).toMatch(/:7233$/);
    });

    it('gives the sealing key to the worker only', () => {
      expect(loadSealingKey(loadConfig(withSecretFiles(WORKER))).asymmetricKeyType).toBe('ed25519');
      expect(env(API)).not.toHaveProperty('AUDIT_SEAL_KEY_FILE');
      expect(service(API).secrets).not.toContain('audit_seal_key');
    });

    it('keeps the secret files out of git and out of the image build context', () => {
      const lines = (file: string) => readFileSync(projectPath(file), 'utf8').split('\n');
      expect(lines('.gitignore')).toContain('/secrets/');
      expect(lines('.dockerignore')).toContain('secrets');
      for (const { file } of Object.values(compose.secrets)) expect(file).toMatch(/^\.\/secrets\/[\w.-]+$/);
    });
  });

  it('makes each service wait for what it needs: healthy servers, completed one-shots', () => {
    for (const [name, s] of services)
      for (const [target, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect({ name, target, exists: target in compose.services }).toEqual({ name, target, exists: true });
        expect({ name, target, condition }).toEqual({
          name,
          target,
          condition: oneShots.has(target) ? 'service_completed_successfully' : 'service_healthy',
        });
      }
    for (const app of [API, WORKER]) {
      expect(service(app).depends_on).toMatchObject({
        [new URL(DATABASE_URL_FORM).hostname]: { condition: 'service_healthy' },
        [hostOf(env(app).TEMPORAL_ADDRESS)]: { condition: 'service_healthy' },
        [namespaceService()]: { condition: 'service_completed_successfully' },
      });
    }
  });

  it("connects the app to the application database as that database's owner", () => {
    const url = new URL(DATABASE_URL_FORM);
    const database = env(hostOf(`${url.hostname}:${url.port}`));
    expect(service(url.hostname).image).toMatch(/^postgres:/);
    expect({ user: url.username, db: url.pathname.slice(1) }).toEqual({ user: database.POSTGRES_USER, db: database.POSTGRES_DB });
    expect(database.POSTGRES_PASSWORD_FILE).toMatch(/^\/run\/secrets\//);
    expect(service(url.hostname).secrets).toContain(database.POSTGRES_PASSWORD_FILE.split('/').pop());
  });

  it('runs two worker replicas and one API', () => {
    expect(service(WORKER).deploy?.replicas).toBe(2);
    // Replicas cannot share a container name or a host port.
    expect(service(WORKER).container_name).toBeUndefined();
    expect(service(WORKER).ports).toBeUndefined();
    expect(service(API).deploy?.replicas ?? 1).toBe(1);
  });

  it("points the Temporal server and its schema tool at the Temporal database with that database's credentials", () => {
    const server = services.find(([, s]) => s.image?.startsWith('temporalio/server:'));
    expect(server).toBeDefined();
    const temporal = env(server![0]);
    expect(temporal).toMatchObject({ DB: 'postgres12', DB_PORT: '5432' });
    const database = env(hostOf(temporal.POSTGRES_SEEDS));
    expect(service(temporal.POSTGRES_SEEDS).image).toMatch(/^postgres:/);
    expect(temporal.POSTGRES_USER).toBe(database.POSTGRES_USER);
    expect(temporal.POSTGRES_PWD).toBe(database.POSTGRES_PASSWORD);
    expect(temporal.POSTGRES_PWD).toMatch(/^\$\{\w+:\?/);
    const [schema, ...others] = [...oneShots].filter((name) => env(name).SQL_PLUGIN !== undefined);
    expect(others).toEqual([]);
    expect(env(schema)).toEqual({
      SQL_PLUGIN: temporal.DB,
      SQL_HOST: temporal.POSTGRES_SEEDS,
      SQL_PORT: temporal.DB_PORT,
      SQL_USER: temporal.POSTGRES_USER,
      SQL_PASSWORD: temporal.POSTGRES_PWD,
    });
    const script = [service(schema).command].flat().join('\n');
    expect(script).toContain(`${temporal.DBNAME}:temporal`);
    expect(script).toContain(`${temporal.VISIBILITY_DBNAME}:visibility`);
    expect(service(server![0]).depends_on).toEqual({ [schema]: { condition: 'service_completed_successfully' } });
  });

  it('registers, in the namespace the app uses, exactly the search attributes the workflows declare', () => {
    const CLI_TYPE: Record<string, string> = {
      [SearchAttributeType.KEYWORD]: 'Keyword',
      [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
      [SearchAttributeType.INT]: 'Int',
      [SearchAttributeType.TEXT]: 'Text',
      [SearchAttributeType.DOUBLE]: 'Double',
      [SearchAttributeType.BOOL]: 'Bool',
      [SearchAttributeType.DATETIME]: 'Datetime',
    };
    const setup = env(namespaceService());
    const registered = setup.SEARCH_ATTRIBUTES.trim().split(/\s+/).sort();
    expect(registered).toEqual(SEARCH_ATTRIBUTES.map((key) => `${key.name}=${CLI_TYPE[key.type]}`).sort());
    expect(setup.TEMPORAL_NAMESPACE).toBe(env(API).TEMPORAL_NAMESPACE);
    expect(setup.TEMPORAL_NAMESPACE).toBe(env(WORKER).TEMPORAL_NAMESPACE);
    expect(setup.TEMPORAL_ADDRESS).toBe(env(WORKER).TEMPORAL_ADDRESS);
  });

  it('checks the health of every long-running service and restarts it', () => {
    for (const [name, s] of services.filter(([n]) => !oneShots.has(n))) {
      expect({ name, test: [s.healthcheck?.test ?? []].flat().length > 0 }).toEqual({ name, test: true });
      expect({ name, restart: s.restart }).toEqual({ name, restart: 'unless-stopped' });
    }
  });
});
