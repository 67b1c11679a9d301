import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** Makes AuditService available everywhere; needs the global AuditRepository from DbModule. */
@Global()
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
