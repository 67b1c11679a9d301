import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, RequestId, Roles } from '../../../../libs/auth';
import { CreateUserDto, UpdateUserDto } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/users')
@Roles('ADMIN')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list() {
    return this.users.list();
  }

  @Post()
  create(@Body() body: CreateUserDto, @CurrentUser() admin: Principal, @RequestId() requestId?: string) {
    return this.users.create(body, admin, requestId);
  }

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
  @ApiOperation({ summary: 'Revoke every session of a user: its tokens issued so far are refused from now on (audited)' })
  revokeSessions(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
    @CurrentUser() admin: Principal,
    @RequestId() requestId?: string,
  ) {
    return this.users.revokeSessions(id, admin, requestId);
  }
}
