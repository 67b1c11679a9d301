import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A file attached to a proposal (docs/spec.md section 7); its bytes are in the document store under `storageKey`. */
@Entity('document')
@Index('idx_document_proposal', ['proposalId', 'uploadedAt'])
export class DocumentEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'proposal_id' }) proposalId: string;
  /** The uploaded file name, made safe for a Content-Disposition header. */
  @Column('text') name: string;
  /** Detected from the content, never taken from the client. */
  @Column('text', { name: 'media_type' }) mediaType: string;
  @Column('int') size: number;
  @Column('char', { length: 64 }) sha256: string;
  @Column('text', { name: 'storage_key', unique: true }) storageKey: string;
  @Column('text', { name: 'uploaded_by' }) uploadedBy: string;
  /** The applicant organisation that uploaded it; null for an agency user's upload. */
  @Column('text', { name: 'uploader_organisation', nullable: true }) uploaderOrganisation: string | null;
  @Column('text', { name: 'uploader_agency', nullable: true }) uploaderAgency: string | null;
  @Column('timestamptz', { name: 'uploaded_at', default: () => 'now()' }) uploadedAt: Date;
}
