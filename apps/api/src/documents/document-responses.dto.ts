import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** POST /proposals/:id/documents (docs/spec.md section 7). */
export class DocumentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The file name as uploaded' }) name: string;
  @ApiProperty({ description: 'The media type detected from the content' }) mediaType: string;
  @ApiProperty({ description: 'Bytes' }) size: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) sha256: string;
}

/** A document as listed on GET /proposals/:id; who uploaded it is shown to staff only. */
export class ListedDocumentDto extends DocumentDto {
  @ApiProperty({ format: 'date-time' }) uploadedAt: string;
  @ApiPropertyOptional({ description: 'Staff only' }) uploadedBy?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Staff only' }) uploaderAgency?: string | null;
}
