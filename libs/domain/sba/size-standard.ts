import { parse } from 'csv-parse/sync';
import { readCurrentEdition, type ReferenceEdition } from '../../reference-data/editions';
import { describeCountry, normalizeCountryCode } from '../shared/wording';

/**
 * 13 CFR 121.201 states each industry's standard in average annual receipts or average employees;
 * depository institutions (NAICS 522110, 522130, 522180, 522210) in assets.
 */
export const SIZE_MEASURES = ['receipts', 'employees', 'assets'] as const;
export type SizeMeasure = (typeof SIZE_MEASURES)[number];
/** The measures a member reports (SPEC 7: employees, averageAnnualReceiptsUsd); assets are SBA's to measure. */
type ReportedMeasure = Exclude<SizeMeasure, 'assets'>;

/** A sub-industry of a NAICS code with its own standard, e.g. "541715 (Exception 1)". */
export interface SizeStandardException {
  /** SBA's own label, e.g. "Exception 1". */
  label: string;
  industry: string;
  type: SizeMeasure;
  value: number;
  footnote?: number;
}

export interface SizeStandard {
  industry: string;
  type: SizeMeasure;
  /** U.S. dollars for receipts and assets, a head count for employees. */
  value: number;
  /** The table's footnote number, which qualifies the standard. */
  footnote?: number;
  /** Sub-industries under this code with other standards: the code alone cannot say which applies. */
  exceptions?: SizeStandardException[];
}

/** One edition of the SBA table of size standards: NAICS code -> size standard. */
export interface SbaSizeStandardsTable {
  source: string;
  /** The table edition's effective date; recorded with each determination. */
  effective: string;
  standards: Readonly<Partial<Record<string, SizeStandard>>>;
}

/** The columns of the table as imported (data/sba-size-standards-<edition>.SOURCE.md). */
export const SBA_SIZE_STANDARDS_COLUMNS = ['naics', 'title', 'basis', 'standard', 'footnote'] as const;

const BASES: Readonly<Record<string, { type: SizeMeasure; unit: number }>> = {
  receipts_million_usd: { type: 'receipts', unit: 1_000_000 },
  employees: { type: 'employees', unit: 1 },
  assets_million_usd: { type: 'assets', unit: 1_000_000 },
};
const BASE_CODE = /^\d{6}$/;
/** SBA's cell form for a sub-industry with its own standard: "541715 (Exception 1)" or "237990 (Exception)". */
const EXCEPTION_CODE = /^(\d{6}) \((Exception(?: \d+)?)\)$/;

/**
 * Parses and checks an edition of the SBA table (the CSV layout of data/sba-size-standards-*.csv):
 * every problem is reported with its line, so a new edition with a typo is refused at import.
 */
export function parseSbaSizeStandards(text: string, edition: Pick<ReferenceEdition, 'source' | 'effective'>): SbaSizeStandardsTable {
  const rows = parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  const [header = [], ...body] = rows;
  if (header.join(',') !== SBA_SIZE_STANDARDS_COLUMNS.join(','))
    throw new Error(`SBA size standards: the header must be ${SBA_SIZE_STANDARDS_COLUMNS.join(',')}, found ${header.join(',')}`);
  const problems: string[] = [];
  const standards: Record<string, SizeStandard> = {};
  const exceptions: { naics: string; line: number; exception: SizeStandardException }[] = [];
  body.forEach(([code = '', industry = '', basis = '', standard = '', footnote = ''], index) => {
    const line = index + 2;
    const measure = BASES[basis];
    const value = Number(standard);
    const note = footnote === '' ? undefined : Number(footnote);
    if (!industry.trim()) problems.push(`line ${line}: no title`);
    if (!measure) problems.push(`line ${line}: unknown basis "${basis}" (one of ${Object.keys(BASES).join(', ')})`);
    if (standard.trim() === '' || !Number.isFinite(value) || value <= 0)
      problems.push(`line ${line}: standard "${standard}" is not a positive number`);
    if (note !== undefined && !Number.isInteger(note)) problems.push(`line ${line}: footnote "${footnote}" is not a footnote number`);
    const exception = EXCEPTION_CODE.exec(code);
    if (!exception && !BASE_CODE.test(code))
      problems.push(`line ${line}: "${code}" is neither a 6-digit NAICS code nor "<code> (Exception n)"`);
    else if (!exception && standards[code]) problems.push(`line ${line}: NAICS ${code} appears twice`);
    if (!measure) return;
    const sized = {
      industry,
      type: measure.type,
      value: Math.round(value * measure.unit),
      ...(note !== undefined ? { footnote: note } : {}),
    };
    if (exception) exceptions.push({ naics: exception[1], line, exception: { label: exception[2], ...sized } });
    else if (BASE_CODE.test(code)) standards[code] ??= sized;
  });
  for (const { naics, line, exception } of exceptions) {
    const base = standards[naics];
    if (base) base.exceptions = [...(base.exceptions ?? []), exception];
    else problems.push(`line ${line}: ${naics} (${exception.label}) has no base row`);
  }
  if (problems.length > 0) throw new Error(`SBA size standards: ${problems.length} problem(s):\n  ${problems.slice(0, 20).join('\n  ')}`);
  return { source: edition.source, effective: edition.effective, standards };
}

let current: SbaSizeStandardsTable | undefined;

/** The current edition of the table (data/reference-editions.json), parsed once per process. */
export function loadSbaSizeStandards(): SbaSizeStandardsTable {
  if (!current) {
    const { edition, text } = readCurrentEdition('sba-size-standards');
    current = parseSbaSizeStandards(text, edition);
  }
  return current;
}

export interface AffiliateSize {
  name?: string;
  employees?: number;
  averageAnnualReceiptsUsd?: number;
}

/** A consortium member as far as its size matters (the submission's member, plus any affiliates). */
export interface SizeSubject {
  name: string;
  /** ISO alpha-2 location; used only when usConcern is not stated. */
  country?: string;
  usConcern?: boolean;
  naics?: string;
  /** Average over the preceding 24 completed calendar months (13 CFR 121.106). */
  employees?: number;
  /** Average over the last 5 completed fiscal years (13 CFR 121.104). */
  averageAnnualReceiptsUsd?: number;
  /** Domestic and foreign affiliates, whose size counts with the member's (13 CFR 121.103). */
  affiliates?: AffiliateSize[];
}

/**
 * SBA_TO_DETERMINE: the table cannot decide (an asset-based standard, or a code with exception rows
 * whose sub-industry the member's NAICS code does not reveal); the member is referred to SBA for
 * its own determination, as a small member is.
 */
export type SizeStatus = 'SMALL' | 'NOT_SMALL' | 'NOT_US_CONCERN' | 'NEEDS_INFORMATION' | 'SBA_TO_DETERMINE';

export interface AppliedSizeStandard extends SizeStandard {
  naics: string;
  source: string;
  tableEffective: string;
}

export interface SizeDetermination {
  status: SizeStatus;
  /** The table edition the determination used, whatever its outcome. */
  table: { source: string; effective: string };
  /** Input fields to supply before size can be determined, e.g. "naics" or "affiliates[0].employees". */
  missing: string[];
  standard?: AppliedSizeStandard;
  /** The member's size with its affiliates, in the standard's unit. */
  measure?: number;
  reason: string;
}

type MeasureField = 'averageAnnualReceiptsUsd' | 'employees';

const MEASURE_FIELDS: Readonly<Record<ReportedMeasure, MeasureField>> = {
  receipts: 'averageAnnualReceiptsUsd',
  employees: 'employees',
};

const MEASURE_DESCRIPTIONS: Readonly<Record<ReportedMeasure, string>> = {
  receipts: 'average annual receipts over the last 5 completed fiscal years (13 CFR 121.104)',
  employees: 'average employees over the preceding 24 completed calendar months (13 CFR 121.106)',
};

/**
 * SBA serves the territories as well as the states, so a member located there is asked whether it
 * is a U.S. concern rather than ruled out.
 */
const US_LOCATIONS: readonly string[] = ['US', 'PR', 'GU', 'VI', 'AS', 'MP'];

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

interface Gap {
  field: string;
  description: string;
}

/**
 * Whether a consortium member is a small business to refer to SBA's Office of Investment and
 * Innovation (EO 14320 sec. 4(c)(vi)): its size with all affiliates (13 CFR 121.103) against the
 * standard for its primary NAICS code (13 CFR 121.201). At the standard is small. Missing data
 * means NEEDS_INFORMATION, never NOT_SMALL; a concern outside the U.S. is not referred; a standard
 * the table cannot apply by itself is SBA_TO_DETERMINE.
 */
export function determineSize(member: SizeSubject, table: SbaSizeStandardsTable): SizeDetermination {
  return { table: { source: table.source, effective: table.effective }, ...sizeOf(member, table) };
}

function sizeOf(member: SizeSubject, table: SbaSizeStandardsTable): Omit<SizeDetermination, 'table'> {
  const usConcern = usConcernOf(member);
  if (usConcern === false) {
    const why =
      member.usConcern === false
        ? 'declares it is not'
        : `is located in ${describeCountry(member.country ?? '')} and does not declare itself`;
    return {
      status: 'NOT_US_CONCERN',
      missing: [],
      reason: `${member.name} ${why} a U.S. business concern (13 CFR 121.105), so it is not referred to SBA under EO 14320 sec. 4(c)(vi).`,
    };
  }

  const naics = member.naics?.trim();
  const found = naics ? table.standards[naics] : undefined;
  const standard = naics && found ? { ...found, naics, source: table.source, tableEffective: table.effective } : undefined;
  // Only a standard in a figure the member reports, with no exception rows, can be applied here.
  const reported = standard && !standard.exceptions?.length && standard.type !== 'assets' ? standard.type : undefined;
  const gaps: Gap[] = [
    ...(usConcern === undefined ? [{ field: 'usConcern', description: 'whether it is a U.S. business concern (13 CFR 121.105)' }] : []),
    ...naicsGaps(naics, standard, table),
    ...(reported ? measureGaps(member, reported) : []),
  ];
  if (gaps.length > 0 || !standard) {
    return {
      status: 'NEEDS_INFORMATION',
      missing: gaps.map((gap) => gap.field),
      ...(standard ? { standard } : {}),
      reason: `${member.name}'s size cannot be determined yet (this is not a finding that it is not small). Missing: ${gaps.map((gap) => gap.description).join('; ')}.`,
    };
  }
  if (!reported) {
    return {
      status: 'SBA_TO_DETERMINE',
      missing: [],
      standard,
      reason:
        `${member.name}'s size is not decided by the table: ${whySbaDetermines(standard)} (13 CFR 121.201, table effective ` +
        `${standard.tableEffective}). It is referred to SBA for SBA's own size determination (EO 14320 sec. 4(c)(vi)).`,
    };
  }

  const field = MEASURE_FIELDS[reported];
  const affiliates = member.affiliates ?? [];
  const measure = [member, ...affiliates].reduce((sum, party) => sum + (party[field] ?? 0), 0);
  const small = measure <= standard.value;
  const withAffiliates =
    affiliates.length > 0 ? ` together with ${affiliates.length} affiliate${affiliates.length > 1 ? 's' : ''} (13 CFR 121.103)` : '';
  return {
    status: small ? 'SMALL' : 'NOT_SMALL',
    missing: [],
    standard,
    measure,
    reason:
      `${member.name}${withAffiliates} has ${describeMeasure(reported, measure)}, ${small ? 'at or below' : 'above'} the size standard of ` +
      `${describeStandard(standard.type, standard.value)} for NAICS ${standard.naics} (${standard.industry}; 13 CFR 121.201, table effective ` +
      `${standard.tableEffective}), so it is ${small ? 'small and qualifies for referral to SBA (EO 14320 sec. 4(c)(vi))' : 'not small'}.`,
  };
}

/**
 * A stated answer wins. Otherwise a member located outside the U.S. is taken as not a U.S. concern
 * (13 CFR 121.105 requires a place of business in the United States) and any other is asked.
 */
function usConcernOf(member: SizeSubject): boolean | undefined {
  if (member.usConcern !== undefined) return member.usConcern;
  return member.country === undefined || US_LOCATIONS.includes(normalizeCountryCode(member.country)) ? undefined : false;
}

/** 13 CFR 121.107: size is measured against the standard of the concern's primary industry. */
function naicsGaps(naics: string | undefined, standard: AppliedSizeStandard | undefined, table: SbaSizeStandardsTable): Gap[] {
  if (!naics) return [{ field: 'naics', description: 'its primary 6-digit NAICS code (13 CFR 121.107)' }];
  if (!standard) {
    return [
      {
        field: 'naics',
        description: `a primary NAICS code with a size standard (NAICS ${naics} is not in the 13 CFR 121.201 table effective ${table.effective})`,
      },
    ];
  }
  return [];
}

/** The member's own figure and every affiliate's are needed: affiliates count toward size (13 CFR 121.103). */
function measureGaps(member: SizeSubject, measure: ReportedMeasure): Gap[] {
  const field = MEASURE_FIELDS[measure];
  const own = isKnownFigure(member[field]) ? [] : [{ field, description: `its ${MEASURE_DESCRIPTIONS[measure]}` }];
  const affiliates = (member.affiliates ?? []).flatMap((affiliate, index) =>
    isKnownFigure(affiliate[field])
      ? []
      : [
          {
            field: `affiliates[${index}].${field}`,
            description: `the same figure for affiliate ${affiliate.name?.trim() || `#${index + 1}`}`,
          },
        ],
  );
  return [...own, ...affiliates];
}

function isKnownFigure(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value >= 0;
}

/**
 * An asset-based standard (its footnote 8 says how assets are measured) is not a figure the
 * member reports; a code with exception rows depends on the member's activity within the code.
 */
function whySbaDetermines(standard: AppliedSizeStandard): string {
  const code = `NAICS ${standard.naics} (${standard.industry})`;
  const footnote = standard.footnote === undefined ? '' : `, footnote ${standard.footnote}`;
  if (standard.type === 'assets')
    return `${code} is measured by assets (${describeStandard('assets', standard.value)}${footnote}), which the proposal does not report`;
  const exceptions = (standard.exceptions ?? []).map((e) => `${e.label}, ${e.industry}: ${describeStandard(e.type, e.value)}`);
  return (
    `${code} has ${exceptions.length} exception${exceptions.length > 1 ? 's' : ''} with ${exceptions.length > 1 ? 'their' : 'its'} own ` +
    `standard (${exceptions.join('; ')}) besides ${describeStandard(standard.type, standard.value)}, and the NAICS code alone does not say which applies`
  );
}

function describeMeasure(measure: ReportedMeasure, value: number): string {
  return measure === 'receipts' ? `average annual receipts of ${USD.format(value)}` : `an average of ${COUNT.format(value)} employees`;
}

function describeStandard(measure: SizeMeasure, value: number): string {
  if (measure === 'assets') return `${USD.format(value)} in assets`;
  return measure === 'receipts' ? USD.format(value) : `${COUNT.format(value)} employees`;
}
