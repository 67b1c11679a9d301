import sbaSizeStandardsData from '../../../data/sba-size-standards.json';
import { describeCountry, normalizeCountryCode } from '../shared/wording';

/** 13 CFR 121.201 states each industry's standard in average annual receipts or average employees. */
export const SIZE_MEASURES = ['receipts', 'employees'] as const;
export type SizeMeasure = (typeof SIZE_MEASURES)[number];

export interface SizeStandard {
  industry: string;
  type: SizeMeasure;
  /** U.S. dollars for receipts, a head count for employees. */
  value: number;
  note?: string;
}

/** data/sba-size-standards.json: NAICS code -> size standard, as of one edition of the SBA table. */
export interface SbaSizeStandardsTable {
  source: string;
  /** The table edition's effective date; record it with each determination. */
  effective: string;
  standards: Readonly<Partial<Record<string, SizeStandard>>>;
}

/** The size table shipped in data/, checked so a typo in a measure type fails loudly at load. */
export function loadSbaSizeStandards(): SbaSizeStandardsTable {
  const { source, effective, standards } = sbaSizeStandardsData;
  return {
    source,
    effective,
    standards: Object.fromEntries(
      Object.entries(standards).map(([naics, standard]): [string, SizeStandard] => {
        const { type } = standard;
        if (!isSizeMeasure(type)) throw new Error(`data/sba-size-standards.json: NAICS ${naics} has unknown measure "${type}"`);
        return [naics, { ...standard, type }];
      }),
    ),
  };
}

function isSizeMeasure(value: string): value is SizeMeasure {
  return (SIZE_MEASURES as readonly string[]).includes(value);
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

export type SizeStatus = 'SMALL' | 'NOT_SMALL' | 'NOT_US_CONCERN' | 'NEEDS_INFORMATION';

export interface AppliedSizeStandard extends SizeStandard {
  naics: string;
  source: string;
  tableEffective: string;
}

export interface SizeDetermination {
  status: SizeStatus;
  /** Input fields to supply before size can be determined, e.g. "naics" or "affiliates[0].employees". */
  missing: string[];
  standard?: AppliedSizeStandard;
  /** The member's size with its affiliates, in the standard's unit. */
  measure?: number;
  reason: string;
}

type MeasureField = 'averageAnnualReceiptsUsd' | 'employees';

const MEASURE_FIELDS: Readonly<Record<SizeMeasure, MeasureField>> = {
  receipts: 'averageAnnualReceiptsUsd',
  employees: 'employees',
};

const MEASURE_DESCRIPTIONS: Readonly<Record<SizeMeasure, string>> = {
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
 * means NEEDS_INFORMATION, never NOT_SMALL; a concern outside the U.S. is not referred.
 */
export function determineSize(member: SizeSubject, table: SbaSizeStandardsTable): SizeDetermination {
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
  const gaps: Gap[] = [
    ...(usConcern === undefined ? [{ field: 'usConcern', description: 'whether it is a U.S. business concern (13 CFR 121.105)' }] : []),
    ...naicsGaps(naics, standard, table),
    ...(standard ? measureGaps(member, standard.type) : []),
  ];
  if (gaps.length > 0 || !standard) {
    return {
      status: 'NEEDS_INFORMATION',
      missing: gaps.map((gap) => gap.field),
      ...(standard ? { standard } : {}),
      reason: `${member.name}'s size cannot be determined yet (this is not a finding that it is not small). Missing: ${gaps.map((gap) => gap.description).join('; ')}.`,
    };
  }

  const field = MEASURE_FIELDS[standard.type];
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
      `${member.name}${withAffiliates} has ${describeMeasure(standard.type, measure)}, ${small ? 'at or below' : 'above'} the size standard of ` +
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
function measureGaps(member: SizeSubject, measure: SizeMeasure): Gap[] {
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

function describeMeasure(measure: SizeMeasure, value: number): string {
  return measure === 'receipts' ? `average annual receipts of ${USD.format(value)}` : `an average of ${COUNT.format(value)} employees`;
}

function describeStandard(measure: SizeMeasure, value: number): string {
  return measure === 'receipts' ? USD.format(value) : `${COUNT.format(value)} employees`;
}
