import { Global, Module } from '@nestjs/common';
import { AccountCheck } from './account-check';
import { DenialAggregate } from './denial-aggregate';
import { OidcSignIn } from './oidc-sign-in';
import { TokenService } from './token.service';

@Global()
@Module({
  providers: [TokenService, AccountCheck, DenialAggregate, OidcSignIn],
  exports: [TokenService, AccountCheck, DenialAggregate, OidcSignIn],
})
export class AuthModule {}
