import { readFileSync } from 'node:fs';

/** The server global setup chose (machine's or embedded); the local default when run without it. */
export function adminUrl(): string {
  const statePath = process.env.EXPORTS_DESK_TEST_STATE;
  return statePath
    ? (JSON.parse(readFileSync(statePath, 'utf8')) as { adminUrl: string }).adminUrl
    : 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** The URL of a database named `name` on the test server (create it with ensureDatabase). */
export function databaseUrlNamed(name: string): string {
  return adminUrl().replace(/\/[^/]*$/, `/${name}`);
}
