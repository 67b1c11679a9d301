export * from './agency-adapter';
export * from './agency-adapters';
export * from './webhook-signature';
export * from './webhook.adapter';
