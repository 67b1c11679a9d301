import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Free-form JSON the API passes through (a submission, task data, audit detail). */
export const ANY_OBJECT = { type: 'object', additionalProperties: true } as const;

/** Who acted, as the API names a signed-in user in its answers. */
export class ActorDto {
  @ApiProperty() username: string;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty({ type: String, nullable: true }) agency: string | null;
}

/** The signed-in caller (GET /auth/me). */
export class PrincipalDto extends ActorDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: "An applicant's consortium; null for staff" }) organisation:
    string | null;
}
