import { applyDecorators, Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiPropertyOptions,
  ApiResponse,
  ApiSecurity,
  getSchemaPath,
  SchemaObject,
} from '@nestjs/swagger';
import type { MetadataStorage as TransformerStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { STATUS_CODES } from 'node:http';

// class-transformer keeps the @Type() of nested fields in a storage its index does not export.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerStorage };

/** One field-level problem of a refused request (docs/spec.md section 7). */
export class ErrorDetailDto {
  @ApiProperty({ example: 'consortium.name' }) field: string;
  @ApiProperty({ example: 'consortium.name must not be blank' }) message: string;
}

/** Every error the API answers with (docs/spec.md section 7; apps/api/src/common/http-exception.filter.ts). */
export class ErrorBodyDto {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'Bad Request' }) error: string;
  @ApiProperty({ example: 'Request validation failed' }) message: string;
  @ApiProperty({ type: [ErrorDetailDto] }) details: ErrorDetailDto[];
}

/** The 4xx answers of docs/spec.md section 7, and when each is given. */
const ERROR_MEANINGS = {
  400: 'Malformed input: wrong types, unknown fields, bad codes, blank required identifiers (field-level details)',
  401: 'No valid bearer token',
  403: "The caller's role or agency may not do this",
  404: 'No such resource (or not visible to the caller)',
  409: 'The resource is not in a state that allows this',
  413: 'The body is too large',
  415: 'The media type is not one the operation accepts',
  422: 'A valid request that a rule refuses',
  429: 'Too many requests; retry later',
} as const;

/** Any route whose dependency is down answers 503 with Retry-After (http-exception.filter.ts), never 500. */
const UNAVAILABLE = 'PostgreSQL or Temporal is unavailable; retry after the Retry-After delay';
export type ErrorStatus = keyof typeof ERROR_MEANINGS;

export interface OperationDoc {
  /** One line saying what the operation does; redocly's recommended rules require it. */
  summary: string;
  description?: string;
  /** The success body: a response DTO class, or `[Dto]` for a bare list. Omitted: no body. */
  ok?: Type<unknown> | [Type<unknown>];
  /** A success schema given as JSON schema, where no DTO describes it (free-form reference data). */
  okSchema?: SchemaObject;
  /** The success status; 200 unless given. */
  status?: 200 | 201 | 202 | 204;
  /** What the success answer means, when more than the summary. */
  okDescription?: string;
  /** The 4xx answers this operation gives besides 401 (which every signed-in route has). */
  errors?: ErrorStatus[];
  /** No bearer token needed (login, health, signed agency callbacks): no 401, anonymous security. */
  public?: boolean;
  /** Media types the success answer may have besides the JSON of `ok`, e.g. 'text/csv'. */
  produces?: string[];
}

/**
 * Everything one operation needs in the OpenAPI document at /docs: summary, success schema, its 4xx
 * answers with the error body of docs/spec.md section 7, and its security (bearer unless public).
 *
 *   @ApiOperationDoc({ summary: 'Reassign a task', ok: TaskDto, errors: [400, 403, 404, 409, 422] })
 */
export function ApiOperationDoc(doc: OperationDoc): MethodDecorator {
  const status = doc.status ?? 200;
  const errors = [...new Set<ErrorStatus>([...(doc.public ? [] : [401 as const]), ...(doc.errors ?? [])])].sort();
  return applyDecorators(
    ApiOperation({ summary: doc.summary, description: doc.description }),
    ...successResponse(doc, status),
    ...errors.map((code) => ApiResponse({ status: code, description: ERROR_MEANINGS[code], type: ErrorBodyDto })),
    ApiResponse({ status: 503, description: UNAVAILABLE, type: ErrorBodyDto }),
    // An empty requirement is OpenAPI's "no authentication": the route is declared public, not forgotten.
    doc.public ? ApiSecurity({}) : ApiBearerAuth(),
  );
}

/**
 * The success answer: JSON of `ok` (or `okSchema`), and each other media type of `produces` as text
 * (a CSV export or an iCalendar file is a document of its own, not the JSON schema).
 */
function successResponse(doc: OperationDoc, status: number): (ClassDecorator | MethodDecorator | PropertyDecorator)[] {
  const description = doc.okDescription ?? STATUS_CODES[status] ?? 'Success';
  if (!doc.produces) return [ApiResponse({ status, description, type: doc.ok, schema: doc.okSchema })];
  const [dto] = Array.isArray(doc.ok) ? doc.ok : [doc.ok];
  const reference = dto && { $ref: getSchemaPath(dto) };
  const json = reference ? (Array.isArray(doc.ok) ? { type: 'array', items: reference } : reference) : doc.okSchema;
  const content = Object.fromEntries([
    ...(json ? [['application/json', { schema: json }]] : []),
    ...doc.produces.map((mediaType) => [mediaType, { schema: { type: 'string' } }]),
  ]);
  return [...(dto ? [ApiExtraModels(dto)] : []), ApiResponse({ status, description, content })];
}

/** `{items, total, page, pageSize}` of a paged list (docs/spec.md section 7); extend it to name the schema: `class TaskPageDto extends PagedListDto(TaskDto) {}`. */
export function PagedListDto<T>(item: Type<T>): Type<{ items: T[]; total: number; page: number; pageSize: number }> {
  class PagedList {
    @ApiProperty({ type: [item] }) items: T[];
    @ApiProperty() total: number;
    @ApiProperty() page: number;
    @ApiProperty() pageSize: number;
  }
  return PagedList;
}

/** The options of @ApiProperty, built up one check at a time. */
type SchemaOptions = Record<string, unknown>;

/** String formats class-validator checks, as OpenAPI names them. */
const STRING_CHECKS: Record<string, SchemaOptions> = {
  isString: {},
  isNotBlank: { minLength: 1, pattern: '\\S' },
  isIso31661Alpha2: { pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' },
  isUuid: { format: 'uuid' },
  isIso8601: { format: 'date' },
  isUrl: { format: 'uri' },
  isEmail: { format: 'email' },
};

/** The JSON schema of one value (a whole property, or each item of a list) from the checks class-validator runs on it. */
function schemaFromChecks(checks: ValidationMetadata[], nested: (() => Type<unknown>) | undefined): SchemaOptions {
  const schema: SchemaOptions = {};
  for (const check of checks) {
    const name = check.name ?? '';
    if (check.type === ValidationTypes.NESTED_VALIDATION && nested) Object.assign(schema, { type: nested() });
    else if (name in STRING_CHECKS) Object.assign(schema, { type: 'string' }, STRING_CHECKS[name]);
    else if (name === 'isIn') Object.assign(schema, { enum: [...(check.constraints[0] as unknown[])] });
    else if (name === 'matches') Object.assign(schema, { type: 'string', pattern: (check.constraints[0] as RegExp).source });
    else if (name === 'isInt') Object.assign(schema, { type: 'integer' });
    else if (name === 'isNumber') schema.type ??= 'number';
    else if (name === 'isBoolean') Object.assign(schema, { type: 'boolean' });
    else if (name === 'isObject') schema.type ??= 'object';
    else if (name === 'maxLength') schema.maxLength = check.constraints[0] as number;
    else if (name === 'minLength') schema.minLength = check.constraints[0] as number;
    else if (name === 'arrayMaxSize') schema.maxItems = check.constraints[0] as number;
    else if (name === 'arrayMinSize') schema.minItems = check.constraints[0] as number;
    else if (name === 'max') schema.maximum = check.constraints[0] as number;
    else if (name === 'min') schema.minimum = check.constraints[0] as number;
  }
  return schema;
}

/**
 * Declares in the OpenAPI document every request field that class-validator checks and that has no
 * @ApiProperty of its own, from those very checks: the documented request schemas are the validated
 * ones, and a field added to a DTO is documented without a second decorator. Explicit @ApiProperty
 * (descriptions, examples, nested lists) wins. Runs once, before the document is built.
 */
export function documentValidatedFields(): void {
  // class-validator exposes no list of decorated classes; its storage keeps them in this map.
  const byClass = (getMetadataStorage() as unknown as { validationMetadatas: Map<object | string, ValidationMetadata[]> })
    .validationMetadatas;
  if (!(byClass instanceof Map))
    throw new Error('class-validator no longer keeps validationMetadatas in a Map: documentValidatedFields needs updating');
  for (const [target, checks] of byClass) {
    if (typeof target !== 'function') continue;
    const documented: string[] = Reflect.getMetadata('swagger/apiModelPropertiesArray', target.prototype) ?? [];
    const byField = new Map<string, ValidationMetadata[]>();
    for (const check of checks) byField.set(check.propertyName, [...(byField.get(check.propertyName) ?? []), check]);
    for (const [field, fieldChecks] of byField) {
      if (documented.includes(`:${field}`) || fieldChecks.some((check) => check.type === ValidationTypes.WHITELIST)) continue;
      const nested = defaultMetadataStorage.findTypeMetadata(target, field)?.typeFunction as (() => Type<unknown>) | undefined;
      const optional = fieldChecks.some((check) => check.type === ValidationTypes.CONDITIONAL_VALIDATION && check.name === 'isOptional');
      const isList = fieldChecks.some((check) => check.name === 'isArray');
      const own = schemaFromChecks(
        fieldChecks.filter((check) => !check.each && check.type !== ValidationTypes.NESTED_VALIDATION),
        undefined,
      );
      const each = schemaFromChecks(
        fieldChecks.filter((check) => check.each || check.type === ValidationTypes.NESTED_VALIDATION),
        nested,
      );
      const schema = isList ? { ...own, ...itemsOf(each) } : { ...own, ...each };
      (optional ? ApiPropertyOptional : ApiProperty)(schema as ApiPropertyOptions)(target.prototype, field);
    }
  }
}

/** A list's item schema in the form @ApiProperty takes it: a class as `type: [Class]`, anything else as `items`. */
function itemsOf(item: SchemaOptions): SchemaOptions {
  if (typeof item.type === 'function') return { type: [item.type] };
  return { type: 'array', items: { type: 'string', ...item } };
}
