import earCountryGroupsData from '../../../data/ear-country-groups.json';
import eo from '../../../data/eo-14320.json';
import type { ProposalSubmission } from '../intake/submission';
import { describeCountry, joinWords, normalizeCountryCode } from '../shared/wording';

/** The EAR Country Groups data/ear-country-groups.json carries (15 CFR 740 Supp. 1). */
export const EAR_COUNTRY_GROUP_IDS = ['D:1', 'D:2', 'D:3', 'D:4', 'D:5', 'E:1', 'E:2'] as const;
export type EarCountryGroupId = (typeof EAR_COUNTRY_GROUP_IDS)[number];

export interface EarCountryGroup {
  name: string;
  /** ISO 3166-1 alpha-2 members. */
  iso2: string[];
  confidence?: string;
  must_equal?: string;
}

/** The shape of data/ear-country-groups.json: a dated snapshot of 15 CFR 740 Supp. 1. */
export interface EarCountryGroups {
  source: string;
  /** Snapshot date; record it with each decision so the decision can be reproduced. */
  as_of: string;
  groups: Record<EarCountryGroupId, EarCountryGroup>;
  notes: string[];
}

/** The country-group snapshot shipped in data/, typed; its `as_of` names the version a decision used. */
export function loadEarCountryGroups(): EarCountryGroups {
  return earCountryGroupsData;
}

export type EligibilityReasonCode = 'MEMBER_IN_COUNTRY_OF_CONCERN' | 'TARGET_EMBARGOED' | 'OPEN_WEIGHT_MODEL_FROM_COUNTRY_OF_CONCERN';
export type ScreeningFlagCode =
  | 'TARGET_ARMS_EMBARGOED'
  | 'LICENSE_REVIEW_ADVANCED_COMPUTING'
  | 'US_CONTENT_BELOW_PRESUMPTION'
  | 'HEADQUARTERS_IN_D5_OR_MACAU'
  | 'OUTBOUND_INVESTMENT_NOT_ATTESTED';

/** Makes the proposal INELIGIBLE. */
export interface EligibilityReason {
  code: EligibilityReasonCode;
  message: string;
}

/** Does not block; every reviewer sees it. */
export interface ScreeningFlag {
  code: ScreeningFlagCode;
  message: string;
}

export interface EligibilityInput {
  submission: ProposalSubmission;
  /** ISO alpha-2 codes (configuration COUNTRIES_OF_CONCERN; the call's reported list is CN, HK, MO). */
  countriesOfConcern: string[];
  countryGroups: EarCountryGroups;
  /** Configuration OPEN_WEIGHT_MODEL_RULE: whether the reported open-weight model bar applies. */
  openWeightModelRule: boolean;
}

export interface EligibilityAssessment {
  eligible: boolean;
  reasons: EligibilityReason[];
  flags: ScreeningFlag[];
}

const CALL_FOR_PROPOSALS = `the 2026 call for proposals (FR ${eo.call_for_proposals_2026.fr_doc})`;

/** Per the data file's note, the EAR has treated Hong Kong as China since 2020: look HK up as CN. */
const EAR_LOOKUP_ALIASES: Readonly<Partial<Record<string, string>>> = { HK: 'CN' };

const EMBARGO_GROUPS: readonly EarCountryGroupId[] = ['E:1', 'E:2'];
const ARMS_EMBARGO_GROUP: EarCountryGroupId = 'D:5';
/** The advanced-computing rule (FR 2023-23055) requires licenses for D:1, D:4, D:5 and Macau. */
const ADVANCED_COMPUTING_LICENSE_GROUPS: readonly EarCountryGroupId[] = ['D:1', 'D:4', 'D:5'];
const ADVANCED_COMPUTING_LICENSE_COUNTRIES: readonly string[] = ['MO'];
const ADVANCED_COMPUTING_ECCNS: readonly string[] = ['3A090', '4A090'];
/** The headquarters test names Macau beside D:5 (Macau is in D:1, D:3 and D:4, not D:5). */
const HEADQUARTERS_TEST_COUNTRIES: readonly string[] = ['MO'];
const US_CONTENT_PRESUMPTION_PCT = eo.call_for_proposals_2026.us_content_presumption.threshold_pct;

/**
 * Eligibility and export-control screening of a proposal (docs/spec.md section 2.2; EO 14320 sec. 3(b)(v); the
 * 2026 call for proposals; EAR Country Groups, 15 CFR 740 Supp. 1). Party screening against the
 * Consolidated Screening List is a separate step.
 */
export function assessEligibility(input: EligibilityInput): EligibilityAssessment {
  const { submission, countriesOfConcern, countryGroups } = input;
  const targets = [...new Set((submission.targetMarkets ?? []).map(normalizeCountryCode).filter(Boolean))];
  const reasons = [
    ...membersInCountriesOfConcern(submission, countriesOfConcern),
    ...embargoedTargets(targets, countryGroups),
    ...(input.openWeightModelRule ? openWeightModelsFromCountriesOfConcern(submission, countriesOfConcern) : []),
  ];
  const flags = [
    ...armsEmbargoedTargets(targets, countryGroups),
    ...advancedComputingLicenseReviews(submission, targets, countryGroups),
    ...usContentBelowPresumption(submission),
    ...headquartersInD5OrMacau(submission, countryGroups),
    ...outboundInvestmentNotAttested(submission),
  ];
  return { eligible: reasons.length === 0, reasons, flags };
}

/**
 * MEMBER_IN_COUNTRY_OF_CONCERN: the 2026 call for proposals admits foreign members unless they are
 * located in, or owned or controlled from, a country of concern; the ultimate parent's country
 * stands for ownership and control.
 */
function membersInCountriesOfConcern(submission: ProposalSubmission, countriesOfConcern: readonly string[]): EligibilityReason[] {
  const concern = new Set(countriesOfConcern.map(normalizeCountryCode));
  const inConcern = (country: string | undefined): country is string => country !== undefined && concern.has(normalizeCountryCode(country));
  return submission.consortium.members.flatMap((member): EligibilityReason[] => {
    const ties: string[] = [];
    if (inConcern(member.country)) ties.push(`it is located in ${describeCountry(member.country)}`);
    if (inConcern(member.ultimateParentCountry)) {
      const parentName = member.ultimateParentName?.trim();
      ties.push(`its ultimate parent${parentName ? ` "${parentName}"` : ''} is in ${describeCountry(member.ultimateParentCountry)}`);
    }
    if (ties.length === 0) return [];
    return [
      {
        code: 'MEMBER_IN_COUNTRY_OF_CONCERN',
        message:
          `Consortium member "${member.name}" is tied to a country of concern: ${ties.join(' and ')}. Under ${CALL_FOR_PROPOSALS}, ` +
          'no member may be located in, or owned or controlled from, a country of concern (EO 14320 sec. 3(b)(v)).',
      },
    ];
  });
}

/** TARGET_EMBARGOED: E:1 (terrorist-supporting) and E:2 (unilateral embargo) destinations, 15 CFR 740 Supp. 1; EO 3(b)(v). */
function embargoedTargets(targets: readonly string[], countryGroups: EarCountryGroups): EligibilityReason[] {
  return targets.flatMap((target): EligibilityReason[] => {
    const groups = earGroupsOf(target, countryGroups).filter((group) => EMBARGO_GROUPS.includes(group));
    if (groups.length === 0) return [];
    return [
      {
        code: 'TARGET_EMBARGOED',
        message:
          `Target market ${describeTarget(target)} is in ${describeGroups(groups, countryGroups)}. The program cannot promote ` +
          'exports there: EO 14320 sec. 3(b)(v) requires compliance with U.S. export controls. Remove it from targetMarkets.',
      },
    ];
  });
}

/** TARGET_ARMS_EMBARGOED: D:5, the U.S. arms-embargoed countries (15 CFR 740 Supp. 1, mirroring ITAR 22 CFR 126.1). */
function armsEmbargoedTargets(targets: readonly string[], countryGroups: EarCountryGroups): ScreeningFlag[] {
  return targets
    .filter((target) => earGroupsOf(target, countryGroups).includes(ARMS_EMBARGO_GROUP))
    .map((target): ScreeningFlag => ({
      code: 'TARGET_ARMS_EMBARGOED',
      message:
        `Target market ${describeTarget(target)} is in ${describeGroups([ARMS_EMBARGO_GROUP], countryGroups)}; ` +
        'expect license requirements and restrictive review for much of the package.',
    }));
}

/**
 * LICENSE_REVIEW_ADVANCED_COMPUTING: advanced-computing items (ECCN 3A090, 4A090 and their
 * sub-paragraphs) need a license, or a license exception such as NAC or ACA, for D:1, D:4, D:5
 * and Macau (EAR advanced-computing rule; 15 CFR 740 Supp. 1; EO 3(b)(v)).
 */
function advancedComputingLicenseReviews(
  submission: ProposalSubmission,
  targets: readonly string[],
  countryGroups: EarCountryGroups,
): ScreeningFlag[] {
  const eccns = (submission.stack?.hardware?.eccns ?? []).map((eccn) => eccn.trim());
  const controlled = [...new Set(eccns.filter((eccn) => ADVANCED_COMPUTING_ECCNS.includes(eccn.split('.')[0].toUpperCase())))];
  if (controlled.length === 0) return [];
  return targets.flatMap((target): ScreeningFlag[] => {
    const groups = earGroupsOf(target, countryGroups).filter((group) => ADVANCED_COMPUTING_LICENSE_GROUPS.includes(group));
    const listedByName = ADVANCED_COMPUTING_LICENSE_COUNTRIES.includes(target);
    if (groups.length === 0 && !listedByName) return [];
    const where = groups.length > 0 ? `is in ${describeGroups(groups, countryGroups)}` : 'is named by the advanced-computing rule';
    return [
      {
        code: 'LICENSE_REVIEW_ADVANCED_COMPUTING',
        message:
          `The hardware includes advanced-computing items (${controlled.join(', ')}) and target market ${describeTarget(target)} ${where}; ` +
          'a BIS license or a license exception (NAC/ACA) is likely required, so the package needs export licensing review.',
      },
    ];
  });
}

/**
 * US_CONTENT_BELOW_PRESUMPTION: the 2026 call for proposals presumes the U.S.-content component of
 * the national interest determination met when the hardware layer is at least 51 % U.S.-origin by
 * value; below that, reviewers must weigh U.S. content themselves.
 */
function usContentBelowPresumption(submission: ProposalSubmission): ScreeningFlag[] {
  const usContentPct = submission.stack?.hardware?.usContentPct;
  if (usContentPct === undefined || usContentPct >= US_CONTENT_PRESUMPTION_PCT) return [];
  return [
    {
      code: 'US_CONTENT_BELOW_PRESUMPTION',
      message:
        `The hardware layer is ${usContentPct} % U.S.-origin by value, below the ${US_CONTENT_PRESUMPTION_PCT} % at which ` +
        `${CALL_FOR_PROPOSALS} presumes the U.S.-content component met; reviewers must assess U.S. content directly.`,
    },
  ];
}

/**
 * OPEN_WEIGHT_MODEL_FROM_COUNTRY_OF_CONCERN: the 2026 call is reported to bar open-weight models
 * from countries of concern (e.g. DeepSeek, Qwen, Kimi; GPPi, 2026-08-20). The call's own text has
 * not been checked, so the rule is configurable and its message says it is reported.
 */
function openWeightModelsFromCountriesOfConcern(
  submission: ProposalSubmission,
  countriesOfConcern: readonly string[],
): EligibilityReason[] {
  const concern = new Set(countriesOfConcern.map(normalizeCountryCode));
  return (submission.stack?.models?.models ?? [])
    .filter((model) => model.openWeights && concern.has(normalizeCountryCode(model.originCountry)))
    .map((model): EligibilityReason => ({
      code: 'OPEN_WEIGHT_MODEL_FROM_COUNTRY_OF_CONCERN',
      message:
        `The models layer names "${model.name}", an open-weight model from ${describeCountry(model.originCountry)}, a country of concern. ` +
        `${CALL_FOR_PROPOSALS} is reported to bar open-weight models from countries of concern (GPPi, 20 August 2026; reported, ` +
        'not yet confirmed in the official text). Replace the model or show it is not open-weight.',
    }));
}

/**
 * HEADQUARTERS_IN_D5_OR_MACAU: the advanced-computing rule (FR 2023-23055) requires a license for
 * its items to entities anywhere headquartered in, or with an ultimate parent headquartered in,
 * D:5 or Macau (restated in BIS guidance of 31 May 2026). A member's location stands for its
 * headquarters; the ultimate parent's country for the parent's.
 */
function headquartersInD5OrMacau(submission: ProposalSubmission, countryGroups: EarCountryGroups): ScreeningFlag[] {
  const where = (country: string | undefined): string | undefined => {
    if (!country) return undefined;
    const code = normalizeCountryCode(country);
    if (HEADQUARTERS_TEST_COUNTRIES.includes(code)) return `${describeCountry(code)}, named by the rule`;
    return earGroupsOf(code, countryGroups).includes(ARMS_EMBARGO_GROUP)
      ? `${describeTarget(code)} in ${describeGroups([ARMS_EMBARGO_GROUP], countryGroups)}`
      : undefined;
  };
  return submission.consortium.members.flatMap((member): ScreeningFlag[] => {
    const own = where(member.country);
    const parent = where(member.ultimateParentCountry);
    const parentName = member.ultimateParentName?.trim();
    const ties = [
      ...(own ? [`it is headquartered in ${own}`] : []),
      ...(parent ? [`its ultimate parent${parentName ? ` "${parentName}"` : ''} is headquartered in ${parent}`] : []),
    ];
    if (ties.length === 0) return [];
    return [
      {
        code: 'HEADQUARTERS_IN_D5_OR_MACAU',
        message:
          `Consortium member "${member.name}": ${ties.join(' and ')}. Advanced-computing items (ECCN 3A090, 4A090) need a BIS license ` +
          'for an entity headquartered in, or whose ultimate parent is headquartered in, D:5 or Macau, wherever it is located ' +
          '(EAR advanced-computing rule, FR 2023-23055; BIS guidance of 31 May 2026).',
      },
    ];
  });
}

/**
 * OUTBOUND_INVESTMENT_NOT_ATTESTED: EO 14320 sec. 3(b)(v) requires compliance with outbound
 * investment regulations, Treasury's program at 31 CFR part 850; without the attestation a
 * reviewer has to establish it.
 */
function outboundInvestmentNotAttested(submission: ProposalSubmission): ScreeningFlag[] {
  const attestation = submission.compliance?.outboundInvestmentAttestation;
  if (attestation === true) return [];
  const stated = attestation === false ? 'states that it does not attest' : 'does not attest';
  return [
    {
      code: 'OUTBOUND_INVESTMENT_NOT_ATTESTED',
      message:
        `The consortium ${stated} compliance with the outbound investment rules (Treasury, 31 CFR part 850), which EO 14320 ` +
        'sec. 3(b)(v) requires; reviewers must check whether any member or transaction is covered.',
    },
  ];
}

function earGroupsOf(country: string, countryGroups: EarCountryGroups): EarCountryGroupId[] {
  const lookup = EAR_LOOKUP_ALIASES[country] ?? country;
  return EAR_COUNTRY_GROUP_IDS.filter((id) => countryGroups.groups[id].iso2.includes(lookup));
}

function describeTarget(target: string): string {
  const alias = EAR_LOOKUP_ALIASES[target];
  return alias ? `${describeCountry(target)}, treated as ${alias} under the EAR,` : describeCountry(target);
}

/** Names the groups and cites the snapshot, so a reader can check the decision against its source. */
function describeGroups(groups: readonly EarCountryGroupId[], countryGroups: EarCountryGroups): string {
  const named = groups.map((id) => `${id} (${countryGroups.groups[id].name})`);
  return `EAR Country Group${groups.length > 1 ? 's' : ''} ${joinWords(named)} under 15 CFR 740 Supp. 1 as of ${countryGroups.as_of}`;
}
