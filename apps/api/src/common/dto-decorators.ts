import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';

/**
 * A list of nested objects validated as `type`, bounded in size. Applied in the order the
 * decorators would stand written above a property (bottom first), so messages keep their order.
 */
export function NestedList(type: () => new () => object, { min, max }: { min?: number; max: number }): PropertyDecorator {
  return applyDecorators(
    Type(type),
    ValidateNested({ each: true }),
    IsObject({ each: true }),
    ArrayMaxSize(max),
    ...(min === undefined ? [] : [ArrayMinSize(min)]),
    IsArray(),
  );
}

/**
 * A required identifier or statement: a string with something besides whitespace (docs/spec.md
 * section 7: a blank required identifier such as a whitespace-only name is malformed input, 400).
 */
export function IsNotBlank(): PropertyDecorator {
  return ValidateBy({
    name: 'isNotBlank',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0,
      defaultMessage: (args) => `${args?.property ?? 'value'} must not be blank`,
    },
  });
}

/** An optional value of `values` that may also be sent as null (to clear it). */
export function OptionalNullableIn(values: readonly string[]): PropertyDecorator {
  return applyDecorators(
    IsIn(values),
    ValidateIf((_, v) => v !== null),
    IsOptional(),
  );
}

/**
 * A parameter that excludes `other` (docs/spec.md section 7: bad input is 400 with field details):
 * sending both is refused on this field rather than one silently overriding the other.
 */
export function NotWith(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'notWith',
    constraints: [other],
    validator: {
      validate: (value: unknown, args) => value === undefined || (args?.object as Record<string, unknown>)[other] === undefined,
      defaultMessage: (args) => `${args?.property ?? 'value'} cannot be combined with ${other}`,
    },
  });
}

/** The highest page any list serves (README "API"): deeper offsets are refused with 400, never run. */
export const MAX_PAGE = 10_000;

/**
 * An optional whole-number query parameter from `min` to `max` (docs/spec.md section 7: bad input is
 * 400 with field details, never 500). Only plain decimal digits are read as a number; anything else
 * ("1e3", "1.5", "-1", "0x10", "abc", a repeated parameter) stays as sent and is refused.
 */
export function QueryInt({ min, max, example }: { min: number; max: number; example?: number }): PropertyDecorator {
  return applyDecorators(
    ValidateBy({
      name: 'queryInt',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max,
        defaultMessage: (args) => `${args?.property ?? 'value'} must be a whole number from ${min} to ${max}`,
      },
    }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,20}$/.test(value) ? Number(value) : value)),
    IsOptional(),
    ApiPropertyOptional({ type: 'integer', minimum: min, maximum: max, example }),
  );
}

/** `page` of a paged list: 1 to MAX_PAGE. */
export const PageParam = (): PropertyDecorator => QueryInt({ min: 1, max: MAX_PAGE, example: 1 });

/** `pageSize` of a paged list: 1 to `max`. */
export const PageSizeParam = (max: number): PropertyDecorator => QueryInt({ min: 1, max, example: 20 });
