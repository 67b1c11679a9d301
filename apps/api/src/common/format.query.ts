import { IsIn, IsOptional } from 'class-validator';

/** `?format=csv` on report endpoints (JSON otherwise). */
export class FormatQuery {
  @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}
