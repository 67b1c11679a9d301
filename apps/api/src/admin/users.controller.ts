import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, RequestId, Roles } from '../../../../libs/auth';
import { CreateUserDto, UpdateUserDto } from './users.dto';
import { UsersService } from './users.service';
import { ApiOperationDoc } from '../common/openapi';
import { SessionsRevokedDto, UserDto } from './users-responses.dto';

@ApiTags('admin')
@Controller('admin/users')
@Roles('ADMIN')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @ApiOperationDoc({ summary: 'List user accounts', ok: [UserDto], errors: [403] })
  @Get()
  list() {
    return this.users.list();
  }

  @ApiOperationDoc({ summary: 'Create a user account', ok: UserDto, status: 201, errors: [400, 403, 409] })
  @Post()
  create(@Body() body: CreateUserDto, @CurrentUser() admin: Principal, @RequestId() requestId?: string) {
    return this.users.create(body, admin, requestId);
  }

  @ApiOperationDoc({ summary: 'Change a user account (roles, agency, disabled...)', ok: UserDto, errors: [400, 403, 404] })
  @Patch(':id')
  update(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
    @Body() body: UpdateUserDto,
    @CurrentUser() admin: Principal,
    @RequestId() requestId?: string,
  ) {
    return this.users.update(id, body, admin, requestId);
  }

  @Post(':id/sessions/revoke')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiOperationDoc({
    summary: 'Revoke every session of a user: its tokens issued so far are refused from now on (audited)',
    ok: SessionsRevokedDto,
    errors: [403, 404],
  })
  revokeSessions(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
    @CurrentUser() admin: Principal,
    @RequestId() requestId?: string,
  ) {
    return this.users.revokeSessions(id, admin, requestId);
  }
}
