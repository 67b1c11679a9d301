import { applyDecorators, UnprocessableEntityException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsUUID } from 'class-validator';

/** More citations than any answer or milestone needs; bounds the lookup. */
export const MAX_CITED_DOCUMENTS = 20;

/** `documentIds?: string[]`: documents an answer or a milestone's evidence cites (docs/spec.md section 7), by id. */
export function CitedDocumentIds(): PropertyDecorator {
  return applyDecorators(
    IsUUID('all', { each: true }),
    ArrayUnique(),
    ArrayMaxSize(MAX_CITED_DOCUMENTS),
    IsArray(),
    IsOptional(),
    ApiPropertyOptional({
      type: [String],
      format: 'uuid',
      maxItems: MAX_CITED_DOCUMENTS,
      description: 'Ids of documents uploaded to the same proposal (POST /proposals/:id/documents)',
    }),
  );
}

/** 422 naming each cited id that is not a document the citation may name (`missing` from DocumentRepository.findMissing). */
export function refuseMissingDocuments(
  field: string,
  cited: readonly string[],
  missing: readonly string[],
  allowed = 'a document of this proposal',
): void {
  if (!missing.length) return;
  throw new UnprocessableEntityException({
    message: `Cited documents must each be ${allowed}`,
    details: missing.map((id) => ({ field: `${field}[${cited.indexOf(id)}]`, message: `${id} is not ${allowed}` })),
  });
}
