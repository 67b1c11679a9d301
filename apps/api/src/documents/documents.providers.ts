import type { Provider } from '@nestjs/common';
import { DOCUMENT_STORE, documentStoreFor } from '../../../../libs/adapters';
import { AppConfig, APP_CONFIG } from '../../../../libs/config';
import { DocumentsService } from './documents.service';

/** The documents service and the DocumentStore that DOCUMENT_STORE configures. */
export const DOCUMENT_PROVIDERS: Provider[] = [
  DocumentsService,
  { provide: DOCUMENT_STORE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => documentStoreFor(config.documents) },
];
