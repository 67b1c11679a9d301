import { ApiProperty } from '@nestjs/swagger';

/** A user account as an administrator sees it (never the password hash). */
export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ type: String, nullable: true }) organisation: string | null;
  @ApiProperty({ type: String, nullable: true }) agency: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty() disabled: boolean;
  @ApiProperty() failedLogins: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lockedUntil: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class SessionsRevokedDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'date-time', description: 'Tokens issued before this instant are refused' }) sessionsRevokedAt: string;
}
