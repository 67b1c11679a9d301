import { ApiPropertyOptional } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { IsIn, IsOptional } from 'class-validator';

/** `?format=csv` on list and report endpoints (JSON otherwise; docs/spec.md section 7). */
export class FormatQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

const cell = (value: unknown): string | number => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return value as string | number;
};

/**
 * The rows of a JSON list as one CSV sheet: a column per field (in the order fields first appear),
 * nested values as JSON, so the sheet holds exactly what the JSON answer holds.
 */
export function rowsToCsv(rows: readonly object[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return stringify(
    rows.map((row) => columns.map((c) => cell((row as Record<string, unknown>)[c]))),
    { header: true, columns },
  );
}

/** Sends a CSV body as a download (the handler returns it with `passthrough`). */
export function asCsvDownload(res: Response, filename: string, csv: string): string {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  return csv;
}
