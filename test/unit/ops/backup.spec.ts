import {
  buildManifest,
  checkPgDumpVersion,
  describeDocuments,
  DOCUMENTS_FILE,
  libpqEnv,
  parseArgs,
  pgDumpMajor,
} from '../../../scripts/backup';

describe('npm run backup (scripts/backup.ts)', () => {
  it('takes exactly one folder, after an optional --', () => {
    expect(parseArgs(['--', '/tmp/b'])).toEqual({ dir: '/tmp/b' });
    expect(parseArgs(['/tmp/b'])).toEqual({ dir: '/tmp/b' });
    expect(() => parseArgs([])).toThrow(/usage/);
    expect(() => parseArgs(['/a', '/b'])).toThrow(/usage/);
    expect(() => parseArgs(['--help'])).toThrow(/usage/);
  });

  it("reads pg_dump's major version and refuses one older than the server", () => {
    expect(pgDumpMajor('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n')).toBe(15);
    expect(pgDumpMajor('pg_dump (PostgreSQL) 16.10')).toBe(16);
    expect(() => pgDumpMajor('something else')).toThrow(/cannot read a version/);
    expect(() => checkPgDumpVersion(15, 150020)).not.toThrow();
    expect(() => checkPgDumpVersion(16, 150020)).not.toThrow();
    expect(() => checkPgDumpVersion(15, 160010)).toThrow(/pg_dump 15 cannot dump a PostgreSQL 16 server/);
  });

  it('passes the connection to pg_dump as libpq variables, password included, not as an argument', () => {
    expect(libpqEnv('postgres://exports:p%40ss@app-db:5433/exports_desk?sslmode=require')).toEqual({
      PGHOST: 'app-db',
      PGPORT: '5433',
      PGDATABASE: 'exports_desk',
      PGUSER: 'exports',
      PGPASSWORD: 'p@ss',
      PGSSLMODE: 'require',
    });
    expect(libpqEnv('postgres://postgres@127.0.0.1/exports_desk')).toEqual({
      PGHOST: '127.0.0.1',
      PGPORT: '5432',
      PGDATABASE: 'exports_desk',
      PGUSER: 'postgres',
    });
  });

  it('says how documents are covered: an archive of the folder, or the bucket itself', () => {
    expect(describeDocuments({ store: 'filesystem', dir: '/d/documents' }, { files: 3 })).toEqual({
      store: 'filesystem',
      dir: '/d/documents',
      file: DOCUMENTS_FILE,
      files: 3,
    });
    expect(describeDocuments({ store: 'filesystem', dir: '/d/documents' }, null)).toMatchObject({ file: null, files: 0 });
    const s3 = describeDocuments(
      {
        store: 's3',
        endpoint: undefined,
        bucket: 'docs',
        region: 'us-east-1',
        forcePathStyle: false,
        keyPrefix: 'p/',
        credentials: undefined,
      },
      null,
    );
    expect(s3).toMatchObject({ store: 's3', bucket: 'docs', keyPrefix: 'p/' });
    expect(JSON.stringify(s3)).toMatch(/versioning and replication/);
  });

  it('lists the files with their digests in name order', () => {
    const manifest = buildManifest(
      {
        createdAt: '2026-12-02T00:00:00.000Z',
        database: {
          name: 'exports_desk',
          serverVersion: '15.20',
          pgDumpVersion: 'pg_dump (PostgreSQL) 15.20',
          format: 'custom',
          file: 'app.dump',
        },
        documents: { store: 'filesystem', dir: '/d', file: DOCUMENTS_FILE, files: 1 },
        audit: { lastEventId: '9', sealedPosition: '9', sealedEventId: '9', sealedHash: 'ab', lastCheckpointId: '2' },
      },
      [
        { name: DOCUMENTS_FILE, bytes: 10, sha256: 'b' },
        { name: 'app.dump', bytes: 20, sha256: 'a' },
      ],
    );
    expect(manifest.files.map((f) => f.name)).toEqual(['app.dump', DOCUMENTS_FILE]);
    expect(manifest.audit.sealedPosition).toBe('9');
  });
});
