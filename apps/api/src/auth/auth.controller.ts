import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Authenticated, CurrentUser, Principal, Public, RequestId } from '../../../../libs/auth';
import { IsNotBlank } from '../common/dto-decorators';
import { LoginLimit } from '../common/throttler.guard';
import { AuthService } from './auth.service';
import { ApiOperationDoc } from '../common/openapi';
import { PrincipalDto } from '../common/response.dto';
import { LoginResponseDto } from './auth-responses.dto';

export class LoginDto {
  @IsString() @IsNotBlank() @MaxLength(200) username: string;
  @IsString() @MinLength(1) @MaxLength(1000) password: string;
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

  @ApiOperationDoc({ summary: 'The signed-in caller', ok: PrincipalDto })
  @Get('me')
  @Authenticated()
  me(@CurrentUser() user: Principal) {
    return user;
  }
}
