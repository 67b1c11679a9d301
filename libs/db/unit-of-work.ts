import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

declare const transactionBrand: unique symbol;

/**
 * An open database transaction. Opaque outside libs/db: it is made only by `UnitOfWork.run`, and
 * repositories' write methods take it so that several writes commit or roll back together.
 * It is valid only while the `run` callback that received it has not returned.
 */
export interface Transaction {
  readonly [transactionBrand]: true;
}

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/** The manager behind each handle, kept here so that nothing outside libs/db can reach it. */
const managers = new WeakMap<Transaction, EntityManager>();

/**
 * The EntityManager of a handle (libs/db internal; not exported from the package index). Throws
 * unless its transaction is still active: a handle used after its `run` returned, or one not made
 * by `UnitOfWork.run`, would otherwise write outside any transaction.
 */
export function managerOf(tx: Transaction, who = 'libs/db'): EntityManager {
  const manager = managers.get(tx);
  if (!manager?.queryRunner?.isTransactionActive) {
    throw new Error(`${who}: the Transaction given must be inside an active transaction (use it only within UnitOfWork.run)`);
  }
  return manager;
}

/** Runs `work` in one transaction on `db` (libs/db internal: repositories use it for their own multi-statement writes). */
export function transaction<T>(
  db: DataSource,
  work: (tx: Transaction, manager: EntityManager) => Promise<T>,
  isolation?: IsolationLevel,
): Promise<T> {
  const inHandle = async (manager: EntityManager) => {
    const tx = Object.freeze({}) as Transaction;
    managers.set(tx, manager);
    try {
      return await work(tx, manager);
    } finally {
      managers.delete(tx);
    }
  };
  // Without a level the server default applies (READ COMMITTED), with no extra statement.
  return isolation ? db.transaction(isolation, inHandle) : db.transaction(inHandle);
}

/** Several writes, through any repositories, committed together (or not at all when `work` throws). */
@Injectable()
export class UnitOfWork {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The server's default level (READ COMMITTED) unless told otherwise. */
  run<T>(work: (tx: Transaction) => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    return transaction(this.db, (tx) => work(tx), isolation);
  }
}
