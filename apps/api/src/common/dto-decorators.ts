import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, ValidateIf, ValidateNested } from 'class-validator';

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

/** An optional value of `values` that may also be sent as null (to clear it). */
export function OptionalNullableIn(values: readonly string[]): PropertyDecorator {
  return applyDecorators(
    IsIn(values),
    ValidateIf((_, v) => v !== null),
    IsOptional(),
  );
}
