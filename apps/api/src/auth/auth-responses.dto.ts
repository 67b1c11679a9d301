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
