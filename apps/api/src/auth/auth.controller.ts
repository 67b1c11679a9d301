import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { Authenticated, CurrentUser, Principal, Public, RequestId } from '../../../../libs/auth';
import { IsNotBlank } from '../common/dto-decorators';
import { LoginLimit } from '../common/throttler.guard';
import { AuthService } from './auth.service';
import { ApiOperationDoc } from '../common/openapi';
import { PrincipalDto } from '../common/response.dto';
import { LoginResponseDto, SignInMethodsDto } from './auth-responses.dto';

export class LoginDto {
  @IsString() @IsNotBlank() @MaxLength(200) username: string;
  @IsString() @MinLength(1) @MaxLength(1000) password: string;
}

/** The code the identity provider sent the browser back with, and the PKCE verifier only that browser holds. */
export class OidcCodeDto {
  @IsString() @IsNotBlank() @MaxLength(4000) code: string;
  /** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
  @Matches(/^[A-Za-z0-9._~-]{43,128}$/, { message: 'codeVerifier must be 43 to 128 characters of A-Z, a-z, 0-9 and -._~ (RFC 7636)' })
  codeVerifier: string;
  /** The redirect_uri of the authorization request, which the provider checks again. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) @MaxLength(2000) redirectUri: string;
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @ApiOperationDoc({
    summary: 'Sign in with a username and password for a bearer token',
    ok: LoginResponseDto,
    public: true,
    errors: [400, 401, 429],
  })
  @Post('login')
  @Public()
  @LoginLimit()
  @HttpCode(200)
  login(@Body() body: LoginDto, @RequestId() requestId?: string) {
    return this.auth.login(body.username, body.password, requestId);
  }

  @ApiOperationDoc({
    summary: 'How one may sign in here: password accounts, single sign-on (OIDC), or both',
    ok: SignInMethodsDto,
    public: true,
    errors: [429],
  })
  @Get('sign-in-methods')
  @Public()
  signInMethods() {
    return this.auth.signInMethods();
  }

  @ApiOperationDoc({
    summary: "Complete single sign-on: the identity provider's authorization code for its bearer token",
    description:
      'The web UI sends the user to the authorization endpoint of GET /auth/sign-in-methods with a PKCE challenge; the code it comes back with is exchanged here, and the token must be one this API accepts (audience, a known role).',
    ok: LoginResponseDto,
    public: true,
    errors: [400, 401, 403, 429],
  })
  @Post('oidc/token')
  @Public()
  @LoginLimit()
  @HttpCode(200)
  oidcToken(@Body() body: OidcCodeDto, @RequestId() requestId?: string) {
    return this.auth.completeOidcSignIn(body.code, body.codeVerifier, body.redirectUri, requestId);
  }

  @ApiOperationDoc({ summary: 'The signed-in caller', ok: PrincipalDto })
  @Get('me')
  @Authenticated()
  me(@CurrentUser() user: Principal) {
    return user;
  }
}
