import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { AGENCIES, Agency, Role, ROLES } from '../../../../libs/domain/identity/roles';
import { IsNotBlank, OptionalNullableIn } from '../common/dto-decorators';

export class CreateUserDto {
  @Matches(/^[a-z0-9][a-z0-9._-]{2,63}$/, { message: 'username must be 3 to 64 lower-case letters, digits, dots, dashes or underscores' })
  username: string;
  @IsString() @IsNotBlank() @MaxLength(200) displayName: string;
  @IsString() @MinLength(12, { message: 'password must be at least 12 characters' }) @MaxLength(1000) password: string;
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles: Role[];
  @ApiPropertyOptional({ enum: AGENCIES, nullable: true })
  @OptionalNullableIn(AGENCIES)
  agency?: Agency | null;
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(300) organisation?: string | null;
  /** Where notifications go when SMTP_URL is set. */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsEmail() email?: string | null;
}

export class UpdateUserDto {
  @IsOptional() @IsString() @IsNotBlank() @MaxLength(200) displayName?: string;
  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES, { each: true })
  roles?: Role[];
  @ApiPropertyOptional({ enum: AGENCIES, nullable: true })
  @OptionalNullableIn(AGENCIES)
  agency?: Agency | null;
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(300) organisation?: string | null;
  @IsOptional() @IsBoolean() disabled?: boolean;
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsEmail() email?: string | null;
  /** A new password (reset by the administrator): the user's sessions are revoked and any lockout cleared. */
  @IsOptional() @IsString() @MinLength(12, { message: 'password must be at least 12 characters' }) @MaxLength(1000) password?: string;
}
