import { Global, Module } from '@nestjs/common';
import { AccountCheck } from './account-check';
import { DenialAggregate } from './denial-aggregate';
import { TokenService } from './token.service';

@Global()
@Module({ providers: [TokenService, AccountCheck, DenialAggregate], exports: [TokenService, AccountCheck, DenialAggregate] })
export class AuthModule {}
