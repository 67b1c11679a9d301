import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DOCUMENT_STORE, DocumentNotFoundError, DocumentStore } from '../../../../libs/adapters';
import { AuditService } from '../../../../libs/audit';
import { hasRole, Principal } from '../../../../libs/auth';
import { DocumentEntity, DocumentRepository, ProposalEntity, TaskRepository, UnitOfWork } from '../../../../libs/db';
import { ProposalsService } from '../proposals/proposals.service';
import { mayHoldTask } from '../../../../libs/domain/tasks/task-holders';
import { documentMediaType, safeDocumentName } from './document-types';

/** An uploaded file as the multipart parser hands it over (in memory, at most MAX_DOCUMENT_BYTES). */
export interface UploadedDocument {
  originalname: string;
  /** The type detected from the content (FileTypeValidator with overrideMimeType), never the client's claim. */
  mimetype: string;
  buffer: Buffer;
  size: number;
}

/**
 * Documents attached to proposals (docs/spec.md section 7): bytes in the configured DocumentStore,
 * metadata and SHA-256 in the database and the audit trail. Who may read a proposal may read its
 * documents, except that an applicant sees only its own organisation's uploads.
 */
@Injectable()
export class DocumentsService {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly store: DocumentStore,
    private readonly documents: DocumentRepository,
    private readonly proposals: ProposalsService,
    private readonly tasks: TaskRepository,
    private readonly audit: AuditService,
    private readonly uow: UnitOfWork,
  ) {}

  async upload(proposalId: string, file: UploadedDocument, user: Principal, requestId?: string) {
    const proposal = await this.proposals.readable(proposalId, user, requestId);
    if (!hasRole(user, 'APPLICANT')) await this.assertActsOn(proposal, user, requestId);
    const name = safeDocumentName(file.originalname);
    const mediaType = documentMediaType(file.mimetype, name);
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const id = randomUUID();
    const storageKey = `proposals/${proposalId}/${id}`;
    // Bytes first: a failure after this leaves an unreferenced file, never a record without its file.
    await this.store.put(storageKey, file.buffer, mediaType);
    const applicant = hasRole(user, 'APPLICANT');
    const stored = await this.uow.run(async (tx) => {
      const row = await this.documents.insert(tx, {
        id,
        proposalId,
        name,
        mediaType,
        size: file.size,
        sha256,
        storageKey,
        uploadedBy: user.username,
        uploaderOrganisation: applicant ? proposal.organisation : null,
        uploaderAgency: applicant ? null : user.agency,
      });
      await this.audit.record(
        {
          actor: user.username,
          role: user.roles.join(','),
          agency: user.agency,
          action: 'DOCUMENT_UPLOADED',
          subjectType: 'proposal',
          subjectId: proposalId,
          after: { documentId: id, name, mediaType, size: file.size, sha256 },
          requestId,
        },
        tx,
      );
      return row;
    });
    return { id: stored.id, name: stored.name, mediaType: stored.mediaType, size: stored.size, sha256: stored.sha256 };
  }

  /** The document and its bytes, if the caller may read it; otherwise 404 (its existence is confidential to other applicants). */
  async download(id: string, user: Principal, requestId?: string): Promise<{ document: DocumentEntity; content: Readable }> {
    const document = await this.documents.findById(id);
    if (!document) throw new NotFoundException(`Document ${id} not found`);
    const proposal = await this.proposals.readable(document.proposalId, user, requestId);
    if (hasRole(user, 'APPLICANT') && document.uploaderOrganisation !== proposal.organisation) {
      await this.deny(user, id, 'document', 'A document the applicant did not upload', requestId);
      throw new NotFoundException(`Document ${id} not found`);
    }
    try {
      return { document, content: await this.store.get(document.storageKey) };
    } catch (error) {
      if (error instanceof DocumentNotFoundError) throw new NotFoundException(`Document ${id} has no stored content`);
      throw error;
    }
  }

  /** Agency staff attach documents to proposals they act on: their agency has a task on it that they may take (or supervise). */
  private async assertActsOn(proposal: ProposalEntity, user: Principal, requestId?: string): Promise<void> {
    const tasks = await this.tasks.forProposal(proposal.id);
    if (tasks.some((task) => mayHoldTask(user, task))) return;
    await this.deny(user, proposal.id, 'proposal', 'Uploads only to proposals the caller acts on', requestId);
    throw new ForbiddenException('Only the applicant or an agency user acting on this proposal may attach documents to it');
  }

  private deny(user: Principal, subjectId: string, subjectType: string, reason: string, requestId?: string) {
    return this.audit.record({
      actor: user.username,
      role: user.roles.join(','),
      agency: user.agency,
      action: 'ACCESS_DENIED',
      subjectType,
      subjectId,
      reason,
      requestId,
    });
  }
}
