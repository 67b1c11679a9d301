import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Authenticated, CurrentUser, Principal, Public, RequestId } from '../../../../libs/auth';
import { IsNotBlank } from '../common/dto-decorators';
import { LoginLimit } from '../common/throttler.guard';
import { AuthService } from './auth.service';

export class LoginDto {
  @IsString() @IsNotBlank() @MaxLength(200) username: string;
  @IsString() @MinLength(1) @MaxLength(1000) password: string;
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @LoginLimit()
  @HttpCode(200)
  login(@Body() body: LoginDto, @RequestId() requestId?: string) {
    return this.auth.login(body.username, body.password, requestId);
  }

  @Get('me')
  @Authenticated()
  @ApiBearerAuth()
  me(@CurrentUser() user: Principal) {
    return user;
  }
}
