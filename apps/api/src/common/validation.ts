import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  message: string;
}

/** Flattens class-validator's tree into field paths such as `consortium.members[2].country`. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: withFieldPath(message, error.property, field),
    }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** class-validator starts messages with the bare property name ("country must…", "property extra should…"). */
function withFieldPath(message: string, property: string, field: string): string {
  if (message.startsWith(`${property} `)) return `${field}${message.slice(property.length)}`;
  return message.replace(`property ${property} `, `${field} `);
}

/** Whitelisting, unknown fields refused, payloads converted to DTO instances. */
export function apiValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new BadRequestException({ message: 'Request validation failed', details: fieldProblems(errors) }),
  });
}
