import eo from '../../../data/eo-14320.json';
import { joinWords } from '../shared/wording';
import type { BusinessModel, ProposalSubmission } from './submission';

/** One code per proposal element of EO 14320 sec. 3(b) (docs/spec.md section 2.1), in the order's sequence. */
export const DEFICIENCY_CODES = [
  'MISSING_HARDWARE',
  'MISSING_US_MANUFACTURING_STATEMENT',
  'MISSING_DATA_PIPELINES',
  'MISSING_MODELS',
  'MISSING_SECURITY',
  'MISSING_APPLICATIONS',
  'MISSING_TARGET_MARKETS',
  'MISSING_BUSINESS_MODEL',
  'MISSING_FEDERAL_SUPPORT',
  'MISSING_COMPLIANCE_ATTESTATION',
] as const;
export type DeficiencyCode = (typeof DEFICIENCY_CODES)[number];

export interface Deficiency {
  code: DeficiencyCode;
  /** What is missing and how to supply it, addressed to the applicant. */
  message: string;
  /** The EO 14320 section that requires the element, e.g. "3(b)(i)(A)". */
  eoRef: string;
}

/** A required proposal element as data/eo-14320.json records it. */
interface ProposalElement {
  id: string;
  eo_ref: string;
  label: string;
  sub_requirement?: string;
  examples?: string[];
  cited_law?: string[];
  components?: ProposalElement[];
}

const ELEMENTS: ReadonlyMap<string, ProposalElement> = new Map(
  flattenElements(eo.required_proposal_elements).map((element) => [element.id, element]),
);

function flattenElements(elements: readonly ProposalElement[]): ProposalElement[] {
  return elements.flatMap((element) => [element, ...flattenElements(element.components ?? [])]);
}

/** Fails at load time, not mid-check, if the reference data no longer has an element a rule needs. */
function proposalElement(id: string): ProposalElement {
  const element = ELEMENTS.get(id);
  if (!element) throw new Error(`data/eo-14320.json lists no proposal element "${id}"`);
  return element;
}

function requiredText(text: string | undefined, what: string): string {
  if (!text) throw new Error(`data/eo-14320.json lacks ${what}`);
  return text;
}

const HARDWARE = proposalElement('hardware_infra');
const US_MANUFACTURING_REQUIREMENT = requiredText(HARDWARE.sub_requirement, 'the hardware sub_requirement');
const DATA_PIPELINES = proposalElement('data_pipelines');
const MODELS = proposalElement('models');
const SECURITY = proposalElement('security');
const APPLICATIONS = proposalElement('applications');
const TARGETS = proposalElement('targets');
const BUSINESS_MODEL = proposalElement('business_model');
const FEDERAL_SUPPORT = proposalElement('federal_support_requested');
const COMPLIANCE = proposalElement('compliance');

/** EO 3(b)(iii) asks which entities will build, own and operate the infrastructure. */
const BUSINESS_MODEL_ROLES = ['builder', 'owner', 'operator'] as const satisfies readonly (keyof BusinessModel)[];

/** Whitespace-only text says nothing, so it counts as missing. */
function isBlank(text: string | undefined): boolean {
  return !text?.trim();
}

/** Data labels are title-cased; inside a sentence only a leading acronym ("AI ...") keeps its capitals. */
function inSentence(label: string): string {
  return /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

/** A missing element in plain words: what is wrong, and what the applicant should do about it. */
interface Gap {
  problem: string;
  remedy: string;
}

interface CompletenessRule {
  code: DeficiencyCode;
  element: ProposalElement;
  /** The gap when the element is missing, or null when it is there. */
  findGap(submission: ProposalSubmission): Gap | null;
}

/** A gap for a layer or section that is absent altogether, worded from the order's own label. */
function notIncluded(element: ProposalElement, remedy: string): Gap {
  return { problem: `The proposal does not include ${inSentence(element.label)}`, remedy };
}

/** A stack layer is present when its description says something. */
function describedLayer(
  code: DeficiencyCode,
  element: ProposalElement,
  layer: 'hardware' | 'dataPipelines' | 'models' | 'security',
): CompletenessRule {
  return {
    code,
    element,
    findGap: (submission) =>
      isBlank(submission.stack?.[layer]?.description) ? notIncluded(element, `Describe this layer in stack.${layer}.description.`) : null,
  };
}

const RULES: readonly CompletenessRule[] = [
  /** EO 3(b)(i)(A): AI-optimized hardware, data center storage, cloud services and networking. */
  describedLayer('MISSING_HARDWARE', HARDWARE, 'hardware'),
  {
    /**
     * EO 3(b)(i)(A): "a description of whether and to what extent such items are manufactured in
     * the United States". Only asked once hardware is described, so a missing layer is one gap.
     */
    code: 'MISSING_US_MANUFACTURING_STATEMENT',
    element: HARDWARE,
    findGap: (submission) => {
      const hardware = submission.stack?.hardware;
      return !isBlank(hardware?.description) && isBlank(hardware?.usManufacturingStatement)
        ? {
            problem: `For its hardware, the proposal does not ${US_MANUFACTURING_REQUIREMENT}`,
            remedy: 'Add that statement in stack.hardware.usManufacturingStatement.',
          }
        : null;
    },
  },
  /** EO 3(b)(i)(B): data pipelines and labeling systems. */
  describedLayer('MISSING_DATA_PIPELINES', DATA_PIPELINES, 'dataPipelines'),
  /** EO 3(b)(i)(C): AI models and systems. */
  describedLayer('MISSING_MODELS', MODELS, 'models'),
  /** EO 3(b)(i)(D): security and cybersecurity of the AI models and systems. */
  describedLayer('MISSING_SECURITY', SECURITY, 'security'),
  {
    /**
     * EO 3(b)(i)(E): AI applications for specific use cases. A use case named without a description
     * is a section only partly filled in (docs/spec.md section 2.1), so it is a gap too.
     */
    code: 'MISSING_APPLICATIONS',
    element: APPLICATIONS,
    findGap: (submission) => {
      const applications = submission.stack?.applications ?? [];
      const undescribed = applications.flatMap((application, index) => (isBlank(application.description) ? [index] : []));
      if (undescribed.length === applications.length) {
        return notIncluded(
          APPLICATIONS,
          `Add at least one use case to stack.applications with its sector${
            APPLICATIONS.examples?.length ? ` (e.g. ${APPLICATIONS.examples.join(', ')})` : ''
          } and a description.`,
        );
      }
      return undescribed.length > 0
        ? {
            problem: `The proposal names ${undescribed.length > 1 ? 'use cases' : 'a use case'} of its AI applications without describing ${
              undescribed.length > 1 ? 'them' : 'it'
            }`,
            remedy: `Describe ${undescribed.length > 1 ? 'them' : 'it'} in ${joinWords(
              undescribed.map((index) => `stack.applications[${index}].description`),
            )}.`,
          }
        : null;
    },
  },
  {
    /** EO 3(b)(ii): specific target countries or regional blocs (the 2026 call asks for at least one). */
    code: 'MISSING_TARGET_MARKETS',
    element: TARGETS,
    findGap: (submission) =>
      (submission.targetMarkets ?? []).every(isBlank)
        ? notIncluded(
            TARGETS,
            'List at least one target country in targetMarkets as an ISO 3166-1 alpha-2 code; for a regional bloc, list its member countries.',
          )
        : null,
  },
  {
    /** EO 3(b)(iii): which entities will build, own and operate the data centers; all three must be named. */
    code: 'MISSING_BUSINESS_MODEL',
    element: BUSINESS_MODEL,
    findGap: (submission) => {
      const unnamed = BUSINESS_MODEL_ROLES.filter((role) => isBlank(submission.businessModel?.[role]));
      return unnamed.length > 0
        ? {
            problem: `The proposal does not name the ${joinWords(unnamed)} of the data centers and associated infrastructure`,
            remedy: `Name ${unnamed.length > 1 ? 'them' : 'it'} in ${joinWords(unnamed.map((role) => `businessModel.${role}`))}.`,
          }
        : null;
    },
  },
  {
    /** EO 3(b)(iv): the Federal incentives and support mechanisms requested. */
    code: 'MISSING_FEDERAL_SUPPORT',
    element: FEDERAL_SUPPORT,
    findGap: (submission) =>
      (submission.federalSupport ?? []).every((request) => isBlank(request.instrumentId))
        ? notIncluded(FEDERAL_SUPPORT, 'List each instrument you request in federalSupport, with the amount where known.')
        : null,
  },
  {
    /** EO 3(b)(v): compliance with export controls (50 U.S.C. ch. 58), outbound investment rules and end-user policies. */
    code: 'MISSING_COMPLIANCE_ATTESTATION',
    element: COMPLIANCE,
    findGap: (submission) =>
      submission.compliance?.exportControlAttestation === true
        ? null
        : {
            problem: `The proposal does not attest ${inSentence(COMPLIANCE.label)}`,
            remedy: `Confirm that the package complies${
              COMPLIANCE.cited_law?.length ? `, including with ${joinWords(COMPLIANCE.cited_law)},` : ''
            } by setting compliance.exportControlAttestation to true.`,
          },
  },
];

/**
 * Checks a proposal against every element EO 14320 sec. 3(b) requires (docs/spec.md section 2.1) and returns one
 * deficiency per missing element, in the order's sequence; an empty list means complete.
 */
export function checkCompleteness(submission: ProposalSubmission): Deficiency[] {
  return RULES.flatMap(({ code, element, findGap }) => {
    const gap = findGap(submission);
    return gap ? [{ code, eoRef: element.eo_ref, message: `${gap.problem} (EO 14320 sec. ${element.eo_ref}). ${gap.remedy}` }] : [];
  });
}
