import { Global, Module } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '../config';
import { loadVerifyingKeys } from './audit-seal';
import { AUDIT_VERIFYING_KEYS, AuditService } from './audit.service';

/** Makes AuditService available everywhere; needs the global AuditRepository from DbModule and the config. */
@Global()
@Module({
  providers: [
    AuditService,
    { provide: AUDIT_VERIFYING_KEYS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadVerifyingKeys(config) },
  ],
  exports: [AuditService, AUDIT_VERIFYING_KEYS],
})
export class AuditModule {}
