import type { DataSource, EntityManager } from 'typeorm';

/** Whatever runs SQL inside libs/db: the pool, or a transaction's manager. */
export type Runner = Pick<DataSource | EntityManager, 'query'>;

/** A SELECT or INSERT … RETURNING, typed by its column aliases. */
export function select<T>(runner: Runner, sql: string, params: unknown[] = []): Promise<T[]> {
  return runner.query<T[]>(sql, params);
}

/** An UPDATE or DELETE (… RETURNING): TypeORM's postgres driver answers `[rows, affected count]`. */
export async function change<T = never>(runner: Runner, sql: string, params: unknown[] = []): Promise<{ rows: T[]; count: number }> {
  const [rows, count] = await runner.query<[T[], number]>(sql, params);
  return { rows, count };
}
