import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DocumentEntity } from '../entities';
import { select } from '../sql';
import { managerOf, Transaction } from '../unit-of-work';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type NewDocument = Omit<DocumentEntity, 'uploadedAt'>;

/** Which documents a citation may name: those of one proposal, and for an applicant only its organisation's uploads. */
export interface DocumentScope {
  proposalId?: string;
  uploaderOrganisation?: string;
}

/** The only door to the document metadata (the bytes are in the document store, libs/adapters). */
@Injectable()
export class DocumentRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(tx: Transaction, document: NewDocument): Promise<DocumentEntity> {
    const manager = managerOf(tx);
    await manager.insert(DocumentEntity, document as QueryDeepPartialEntity<DocumentEntity>);
    return manager.findOneByOrFail(DocumentEntity, { id: document.id });
  }

  findById(id: string): Promise<DocumentEntity | null> {
    return this.db.getRepository(DocumentEntity).findOneBy({ id });
  }

  /** A proposal's documents, oldest first. */
  forProposal(proposalId: string): Promise<DocumentEntity[]> {
    return this.db.getRepository(DocumentEntity).find({ where: { proposalId }, order: { uploadedAt: 'ASC', id: 'ASC' } });
  }

  /**
   * The ids among `ids` that name no document in scope (not uploaded, another proposal's, or for an
   * applicant not its own): what a citation of documents must not contain.
   */
  async findMissing(ids: readonly string[], scope: DocumentScope = {}): Promise<string[]> {
    // What is not a UUID names no document (and would not cast).
    const candidates = ids.filter((id) => UUID.test(id));
    if (!candidates.length) return [...ids];
    const found = await select<{ id: string }>(
      this.db,
      `SELECT id::text AS id FROM document
        WHERE id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR proposal_id = $2) AND ($3::text IS NULL OR uploader_organisation = $3)`,
      [candidates, scope.proposalId ?? null, scope.uploaderOrganisation ?? null],
    );
    const present = new Set(found.map((row) => row.id));
    return ids.filter((id) => !present.has(id.toLowerCase()));
  }
}
