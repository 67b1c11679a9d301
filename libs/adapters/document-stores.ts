import type { DocumentStoreConfig } from '../config';
import type { DocumentStore } from './document-store';
import { FilesystemDocumentStore } from './document-store.filesystem';

/** The store DOCUMENT_STORE configures: the data folder by default, an S3-compatible bucket when asked. */
export async function documentStoreFor(config: DocumentStoreConfig): Promise<DocumentStore> {
  if (config.store === 'filesystem') return new FilesystemDocumentStore(config.dir);
  // Loaded only when configured: the default store needs none of the AWS SDK.
  const { S3DocumentStore } = await import('./document-store.s3');
  return new S3DocumentStore(config);
}
