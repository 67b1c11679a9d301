export * from './agency-adapter';
export * from './agency-adapters';
export * from './webhook-signature';
export * from './webhook.adapter';
export * from './document-store';
export * from './document-store.filesystem';
export * from './document-stores';
