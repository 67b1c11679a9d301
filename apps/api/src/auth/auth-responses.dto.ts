import { ApiProperty } from '@nestjs/swagger';

export class LoginUserDto {
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty({ type: String, nullable: true }) agency: string | null;
  @ApiProperty({ type: String, nullable: true }) organisation: string | null;
}

/** POST /auth/login (docs/spec.md section 7). */
export class LoginResponseDto {
  @ApiProperty({ description: 'Bearer token for the Authorization header' }) accessToken: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ type: LoginUserDto }) user: LoginUserDto;
}

export class OidcWebSignInDto {
  @ApiProperty({ description: 'How the sign-in page names the identity provider (OIDC_PROVIDER_NAME)' }) providerName: string;
  @ApiProperty({ description: "The provider's authorization endpoint, from its discovery document" }) authorizationEndpoint: string;
  @ApiProperty({ description: "The web UI's public client at the provider (OIDC_CLIENT_ID)" }) clientId: string;
  @ApiProperty({ description: 'The scopes to request (OIDC_SCOPE)' }) scope: string;
}

/** GET /auth/sign-in-methods. */
export class SignInMethodsDto {
  @ApiProperty({ description: 'Whether POST /auth/login takes passwords (LOCAL_ACCOUNTS)' }) localAccounts: boolean;
  @ApiProperty({ type: OidcWebSignInDto, nullable: true, description: 'Single sign-on, when OIDC_CLIENT_ID is set' })
  oidc: OidcWebSignInDto | null;
}
