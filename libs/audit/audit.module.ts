import { Global, Module } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '../config';
import { loadVerifyingKey } from './audit-seal';
import { AUDIT_VERIFYING_KEY, AuditService } from './audit.service';

/** Makes AuditService available everywhere; needs the global AuditRepository from DbModule and the config. */
@Global()
@Module({
  providers: [
    AuditService,
    { provide: AUDIT_VERIFYING_KEY, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadVerifyingKey(config) },
  ],
  exports: [AuditService, AUDIT_VERIFYING_KEY],
})
export class AuditModule {}
