import { parse } from 'csv-parse/sync';
import financingNeedsData from '../../../data/financing-needs.json';
import type { FinancingInstrument } from '../../reference-data';
import { readCurrentEdition, type ReferenceEdition } from '../../reference-data/editions';
import { describeCountry, normalizeCountryCode } from '../shared/wording';

/** World Bank income groups: low, lower-middle, upper-middle and high income. */
export const INCOME_GROUPS = ['LIC', 'LMC', 'UMC', 'HIC'] as const;
export type IncomeGroup = (typeof INCOME_GROUPS)[number];

const INCOME_GROUP_LABELS: Readonly<Record<IncomeGroup, string>> = {
  LIC: 'low income',
  LMC: 'lower-middle income',
  UMC: 'upper-middle income',
  HIC: 'high income',
};

/** One fiscal-year edition of the World Bank classification: ISO alpha-2 -> income group. */
export interface CountryIncomeGroups {
  source: string;
  /** e.g. "FY2026"; cited in each warning so the suggestion can be reproduced. */
  version: string;
  /** Economies the edition leaves unclassified (or without an ISO code) are absent. */
  economies: Readonly<Partial<Record<string, IncomeGroup>>>;
}

/** data/financing-needs.json: which financing need each catalogue instrument meets. */
export interface FinancingNeeds {
  version: string;
  /** need id -> description, phrased to follow "for". */
  needs: Readonly<Partial<Record<string, string>>>;
  /** instrument id -> need id. */
  instruments: Readonly<Partial<Record<string, string>>>;
}

export interface RequestedSupport {
  instrumentId: string;
  amountUsd?: number;
}

export interface RoutingInput {
  federalSupport: readonly RequestedSupport[];
  targetMarkets: readonly string[];
  /** data/financing-instruments.json `instruments`. */
  catalogue: readonly FinancingInstrument[];
  incomeGroups: CountryIncomeGroups;
  needs: FinancingNeeds;
}

export interface RouteSuggestion {
  instrumentId: string;
  /** The catalogue's agency, or null when the instrument is not in the catalogue (the coordinator chooses). */
  agency: string | null;
  amountUsd: number | null;
  warnings: string[];
}

/** The columns of the classification as imported (data/world-bank-income-groups-<edition>.SOURCE.md). */
export const INCOME_GROUP_COLUMNS = ['iso3', 'iso2', 'name', 'income_group', 'fiscal_year'] as const;

const INCOME_GROUP_CELLS: Readonly<Record<string, IncomeGroup | null>> = {
  Low: 'LIC',
  'Lower-middle': 'LMC',
  'Upper-middle': 'UMC',
  High: 'HIC',
  Unclassified: null,
};

/**
 * Parses and checks an edition of the World Bank income groups (data/world-bank-income-groups-*.csv);
 * every row must belong to the edition, so a file of another fiscal year is refused at import.
 */
export function parseCountryIncomeGroups(text: string, edition: Pick<ReferenceEdition, 'source' | 'edition'>): CountryIncomeGroups {
  const rows = parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  const [header = [], ...body] = rows;
  if (header.join(',') !== INCOME_GROUP_COLUMNS.join(','))
    throw new Error(`World Bank income groups: the header must be ${INCOME_GROUP_COLUMNS.join(',')}, found ${header.join(',')}`);
  const problems: string[] = [];
  const economies: Record<string, IncomeGroup> = {};
  const seen = new Set<string>();
  body.forEach(([iso3 = '', iso2 = '', name = '', cell = '', fiscalYear = ''], index) => {
    const line = index + 2;
    const group = INCOME_GROUP_CELLS[cell];
    if (!/^[A-Z]{3}$/.test(iso3) || seen.has(iso3)) problems.push(`line ${line}: "${iso3}" is not a new 3-letter World Bank code`);
    if (iso2 !== '' && (!/^[A-Z]{2}$/.test(iso2) || seen.has(iso2))) problems.push(`line ${line}: "${iso2}" is not a new ISO alpha-2 code`);
    if (!name.trim()) problems.push(`line ${line}: no economy name`);
    if (group === undefined)
      problems.push(`line ${line}: unknown income group "${cell}" (one of ${Object.keys(INCOME_GROUP_CELLS).join(', ')})`);
    if (fiscalYear !== edition.edition) problems.push(`line ${line}: fiscal year "${fiscalYear}" is not the edition ${edition.edition}`);
    seen.add(iso3);
    if (iso2) seen.add(iso2);
    // Kosovo and the Channel Islands have no ISO alpha-2 code, so no target market can name them.
    if (group && iso2) economies[iso2] = group;
  });
  if (problems.length > 0)
    throw new Error(`World Bank income groups: ${problems.length} problem(s):\n  ${problems.slice(0, 20).join('\n  ')}`);
  return { source: edition.source, version: edition.edition, economies };
}

let currentIncomeGroups: CountryIncomeGroups | undefined;

/** The current edition of the classification (data/reference-editions.json), parsed once per process. */
export function loadCountryIncomeGroups(): CountryIncomeGroups {
  if (!currentIncomeGroups) {
    const { edition, text } = readCurrentEdition('world-bank-income-groups');
    currentIncomeGroups = parseCountryIncomeGroups(text, edition);
  }
  return currentIncomeGroups;
}

/** The need grouping shipped in data/, checked so every instrument points at a described need. */
export function loadFinancingNeeds(): FinancingNeeds {
  const { version, needs, instruments } = financingNeedsData;
  for (const [instrumentId, need] of Object.entries(instruments)) {
    if (!Object.hasOwn(needs, need)) throw new Error(`data/financing-needs.json: ${instrumentId} has undescribed need "${need}"`);
  }
  return { version, needs, instruments };
}

const DFC_AGENCY = 'DFC';
/** 22 U.S.C. 9612: DFC prioritizes support in low- and lower-middle-income countries. */
const DFC_PRIORITY_INCOME_GROUPS: readonly IncomeGroup[] = ['LIC', 'LMC'];

/**
 * Suggested EDAG routes for the requested Federal support (EO 14320 sec. 4(a), 4(d); docs/spec.md section 2.4):
 * one suggestion per request, at the agency the catalogue names, with the warnings the EDAG
 * coordinator should weigh before assigning.
 */
export function suggestRoutes(input: RoutingInput): RouteSuggestion[] {
  const { federalSupport, catalogue, needs } = input;
  const byId = new Map(catalogue.map((instrument) => [instrument.id, instrument]));
  const dfcFocusWarning = dfcOutsideStatutoryFocus(input.targetMarkets, input.incomeGroups);
  const requested = federalSupport.flatMap((request) => byId.get(request.instrumentId) ?? []);

  return federalSupport.map((request) => {
    const instrument = byId.get(request.instrumentId);
    const amountUsd = request.amountUsd ?? null;
    if (!instrument) {
      return {
        instrumentId: request.instrumentId,
        agency: null,
        amountUsd,
        warnings: [`"${request.instrumentId}" is not in the financing catalogue; choose the agency by hand.`],
      };
    }
    const warnings = [
      notNamedByTheOrder(instrument),
      instrument.agency === DFC_AGENCY ? dfcFocusWarning : null,
      overlapAcrossAgencies(instrument, requested, needs),
    ].filter((warning): warning is string => warning !== null);
    return { instrumentId: instrument.id, agency: instrument.agency, amountUsd, warnings };
  });
}

/**
 * EO 14320 sec. 4(d) lists the tools by statute (12 U.S.C. 635, 22 U.S.C. 9621, 22 U.S.C.
 * 2421(b)); the list is open ("including"), so an unlisted tool is a question, not a refusal.
 */
function notNamedByTheOrder(instrument: FinancingInstrument): string | null {
  return instrument.eo_listed
    ? null
    : `${instrument.label} is not among the tools EO 14320 sec. 4(d) lists; confirm ${instrument.agency} can support it for a priority package.`;
}

/**
 * DFC must prioritize low- and lower-middle-income countries and restricts support elsewhere
 * (22 U.S.C. 9612), so DFC instruments for packages aimed only at richer markets need a reason.
 */
function dfcOutsideStatutoryFocus(targetMarkets: readonly string[], incomeGroups: CountryIncomeGroups): string | null {
  const targets = [...new Set(targetMarkets.map(normalizeCountryCode).filter(Boolean))];
  const groupOf = (country: string): IncomeGroup | undefined => incomeGroups.economies[country];
  if (targets.some((country) => DFC_PRIORITY_INCOME_GROUPS.some((group) => group === groupOf(country)))) return null;
  const basis = 'DFC must prioritize low- and lower-middle-income countries (22 U.S.C. 9612)';
  if (targets.length === 0) return `${basis}, and the proposal names no target market to check.`;
  const classified = targets.map((country) => {
    const group = groupOf(country);
    return `${describeCountry(country)}: ${group ? INCOME_GROUP_LABELS[group] : 'not classified'}`;
  });
  return `${basis}, and no target market is one (World Bank ${incomeGroups.version}: ${classified.join('; ')}).`;
}

/** Two agencies asked to meet the same need invites double financing; EDAG coordinates one answer (EO 4(a)). */
function overlapAcrossAgencies(
  instrument: FinancingInstrument,
  requested: readonly FinancingInstrument[],
  needs: FinancingNeeds,
): string | null {
  const need = needs.instruments[instrument.id];
  if (need === undefined) return null;
  const overlapping = requested.filter((other) => other.agency !== instrument.agency && needs.instruments[other.id] === need);
  const others = [...new Set(overlapping.map((other) => `${other.label} (${other.agency})`))];
  return others.length > 0
    ? `Also requested for the same need, ${needs.needs[need] ?? need}: ${others.join(', ')}. Assign the need to one agency or split it deliberately.`
    : null;
}
