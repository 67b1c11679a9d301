import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DocumentStoreConfig, loadConfig } from '../libs/config';
import { AuditHead, openBackupSnapshot } from '../libs/db';

export const DUMP_FILE = 'app.dump';
export const DOCUMENTS_FILE = 'documents.tar';
export const MANIFEST_FILE = 'manifest.json';

export interface BackupFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  createdAt: string;
  database: { name: string; serverVersion: string; pgDumpVersion: string; format: 'custom'; file: string };
  documents:
    | { store: 'filesystem'; dir: string; file: string | null; files: number; note?: string }
    | { store: 's3'; bucket: string; keyPrefix: string; note: string };
  audit: AuditHead;
  files: BackupFile[];
}

/** `npm run backup -- <dir>`: the one argument is a folder that does not exist yet or is empty. */
export function parseArgs(argv: string[]): { dir: string } {
  const args = argv.filter((a) => a !== '--');
  if (args.length !== 1 || args[0].startsWith('-')) throw new Error('usage: npm run backup -- <empty-or-new-folder>');
  return { dir: resolve(args[0]) };
}

/** The major version in `pg_dump --version` output, e.g. "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)" → 15. */
export function pgDumpMajor(versionText: string): number {
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(versionText);
  if (!match) throw new Error(`cannot read a version from pg_dump's output: ${versionText.trim()}`);
  return Number(match[1]);
}

/** pg_dump refuses a server of a newer major version; saying so before dumping names the fix. */
export function checkPgDumpVersion(dumpMajor: number, serverVersionNum: number): void {
  const serverMajor = Math.floor(serverVersionNum / 10_000);
  if (dumpMajor < serverMajor)
    throw new Error(
      `pg_dump ${dumpMajor} cannot dump a PostgreSQL ${serverMajor} server: put pg_dump ${serverMajor} or later first on PATH`,
    );
}

/**
 * libpq environment for pg_dump, so the password never appears on its command line (`ps`).
 * Query parameters other than sslmode are not carried over.
 */
export function libpqEnv(databaseUrl: string): Record<string, string> {
  const url = new URL(databaseUrl);
  const env: Record<string, string> = {
    PGHOST: decodeURIComponent(url.hostname.replace(/^\[|\]$/g, '')),
    PGPORT: url.port || '5432',
    PGDATABASE: decodeURIComponent(url.pathname.replace(/^\//, '')),
  };
  if (url.username) env.PGUSER = decodeURIComponent(url.username);
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

export function describeDocuments(store: DocumentStoreConfig, archived: { files: number } | null): Manifest['documents'] {
  if (store.store === 's3')
    return {
      store: 's3',
      bucket: store.bucket,
      keyPrefix: store.keyPrefix,
      note: "not copied: the bucket's own versioning and replication are its backup (docs/runbook.md)",
    };
  if (!archived) return { store: 'filesystem', dir: store.dir, file: null, files: 0, note: 'the documents folder does not exist yet' };
  return { store: 'filesystem', dir: store.dir, file: DOCUMENTS_FILE, files: archived.files };
}

export function buildManifest(input: Omit<Manifest, 'files'>, files: BackupFile[]): Manifest {
  return { ...input, files: [...files].sort((a, b) => a.name.localeCompare(b.name)) };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    child.on('error', (error) => reject(new Error(`${command}: ${error.message}`)));
    child.on('close', (code) => (code === 0 ? resolvePromise(out) : reject(new Error(`${command} exited ${code}: ${err.trim()}`))));
  });
}

function sha256(file: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}

function countFiles(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (n, entry) => n + (entry.isDirectory() ? countFiles(join(dir, entry.name)) : entry.isFile() ? 1 : 0),
    0,
  );
}

/**
 * Dumps the application database and archives the filesystem document store into an empty folder,
 * with manifest.json. pg_dump reads a snapshot exported by a transaction that also reads the audit
 * head, so the manifest describes exactly the dumped data. Documents are archived after the dump:
 * every document the dump refers to is in the archive (uploads are never deleted); newer ones are
 * unreferenced and harmless.
 */
async function main(argv: string[]): Promise<void> {
  const { dir } = parseArgs(argv);
  if (existsSync(dir) && readdirSync(dir).length) throw new Error(`${dir} is not empty`);
  mkdirSync(dir, { recursive: true });
  const config = loadConfig(process.env);
  const pgDumpVersion = (await run('pg_dump', ['--version'])).trim();
  const snapshot = await openBackupSnapshot(config.databaseUrl);
  try {
    checkPgDumpVersion(pgDumpMajor(pgDumpVersion), snapshot.serverVersionNum);
    await run('pg_dump', ['--format=custom', `--snapshot=${snapshot.id}`, `--file=${join(dir, DUMP_FILE)}`], {
      ...process.env,
      ...libpqEnv(config.databaseUrl),
    });
  } finally {
    await snapshot.close();
  }
  const { database: name, serverVersion, audit } = snapshot;

  let archived: { files: number } | null = null;
  const store = config.documents;
  if (store.store === 'filesystem' && existsSync(store.dir) && statSync(store.dir).isDirectory()) {
    await run('tar', ['-C', store.dir, '-cf', join(dir, DOCUMENTS_FILE), '.']);
    archived = { files: countFiles(store.dir) };
  }

  const files: BackupFile[] = [];
  for (const file of [DUMP_FILE, DOCUMENTS_FILE].filter((f) => existsSync(join(dir, f))))
    files.push({ name: file, bytes: statSync(join(dir, file)).size, sha256: await sha256(join(dir, file)) });
  const manifest = buildManifest(
    {
      createdAt: new Date().toISOString(),
      database: { name, serverVersion, pgDumpVersion, format: 'custom', file: DUMP_FILE },
      documents: describeDocuments(store, archived),
      audit,
    },
    files,
  );
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(
    `Backup of ${name} in ${dir}: ${files.map((f) => `${f.name} (${f.bytes} bytes)`).join(', ')}; audit head ${audit.sealedPosition ?? 'none'}`,
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
