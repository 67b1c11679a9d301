import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import columns from '../../../data/csl-columns.json';
import { countryCodeOf } from './normalize';

/** Column order of the Consolidated Screening List CSV (trade.gov), from data/csl-columns.json (docs/spec.md section 2.2). */
export const CSL_COLUMNS: readonly string[] = columns.columns;

/** One listed party of the Consolidated Screening List. */
export interface ScreeningEntry {
  /** The list's `_id`; `entity_number`, or a hash of source and name, when a row has none. */
  entryId: string;
  /** The list it comes from, e.g. "Entity List (EL) - Bureau of Industry and Security". */
  source: string;
  /** Entity, Individual, Vessel, Aircraft; empty on lists that do not say. */
  type: string;
  name: string;
  altNames: string[];
  programs: string[];
  /** ISO 3166-1 alpha-2 codes guessed from addresses, citizenships and nationalities; may be empty. */
  countries: string[];
  remarks?: string;
}

/** Columns without which a row cannot be screened against. */
const REQUIRED_COLUMNS = ['source', 'name'];

/** Multi-valued cells are separated by semicolons (data/csl-columns.json `note`). */
const splitCell = (cell: string | undefined): string[] => [
  ...new Set(
    (cell ?? '')
      .split(';')
      .map((value) => value.trim())
      .filter(Boolean),
  ),
];

/**
 * The country an address names: its last comma-separated part ("Shenzhen, Guangdong, CN",
 * "Havana, Cuba"), or the last two read together ("Pyongyang, Korea, North").
 */
function countryOfAddress(address: string): string | undefined {
  const parts = address
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const last = parts[parts.length - 1];
  if (!last) return undefined;
  return countryCodeOf(last) ?? (parts.length > 1 ? countryCodeOf(parts.slice(-2).join(' ')) : undefined);
}

function countriesOf(row: Record<string, string>): string[] {
  const found = [
    ...splitCell(row.addresses).map(countryOfAddress),
    ...[...splitCell(row.citizenships), ...splitCell(row.nationalities)].map((value) => countryCodeOf(value)),
  ];
  return [...new Set(found.filter((code): code is string => code !== undefined))];
}

function entryOf(row: Record<string, string>): ScreeningEntry | undefined {
  const name = row.name?.trim();
  if (!name) return undefined;
  const source = row.source?.trim() ?? '';
  const entryId =
    row._id?.trim() || row.entity_number?.trim() || createHash('sha256').update(`${source}\n${name}`).digest('hex').slice(0, 32);
  const remarks = row.remarks?.trim();
  return {
    entryId,
    source,
    type: row.type?.trim() ?? '',
    name,
    altNames: splitCell(row.alt_names).filter((alt) => alt !== name),
    programs: splitCell(row.programs),
    countries: countriesOf(row),
    ...(remarks ? { remarks } : {}),
  };
}

/**
 * Streams the entries of a CSV in the CSL layout (docs/spec.md section 2.2). `input` is a readable stream of the
 * file (e.g. fs.createReadStream) or the CSV text itself. The header row names the columns, so a
 * reordered or extended file still reads; the real trade.gov file's byte-order mark, quoted line
 * breaks, CRLF or mixed line endings, short rows and empty cells are accepted. Rows without a name are skipped.
 */
export async function* parseCslCsv(input: NodeJS.ReadableStream | string): AsyncGenerator<ScreeningEntry> {
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      const names = header.map((column) => column.trim());
      const missing = REQUIRED_COLUMNS.filter((column) => !names.includes(column));
      if (missing.length > 0) throw new Error(`not a Consolidated Screening List CSV: no ${missing.join(', ')} column`);
      return names;
    },
    // Mixed line endings occur when lists are concatenated; any of them ends a record.
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    skip_empty_lines: true,
  });
  const source = typeof input === 'string' ? Readable.from([input]) : input;
  source.on('error', (error: Error) => parser.destroy(error));
  source.pipe(parser);
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    const entry = entryOf(row);
    if (entry) yield entry;
  }
}
