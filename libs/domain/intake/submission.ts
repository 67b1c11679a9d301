/**
 * A proposal as the consortium's anchor member submits it: the body of `POST /proposals` (docs/spec.md
 * section 7), shaped by EO 14320 sec. 3(b). Every section but the title and the consortium is
 * optional here, and so is the content of each section, because completeness (EO 3(b)) is a domain
 * rule that returns deficiencies to the applicant rather than a validation error (docs/spec.md section 2.1).
 */

/** The five layers of a full-stack AI export package, EO 14320 sec. 3(b)(i)(A)-(E). */
export const STACK_LAYERS = ['HARDWARE', 'DATA_PIPELINES', 'MODELS', 'SECURITY', 'APPLICATIONS'] as const;
export type StackLayer = (typeof STACK_LAYERS)[number];

/** Use-case sectors for AI applications; the order's examples in sec. 3(b)(i)(E), plus OTHER. */
export const APPLICATION_SECTORS = ['SOFTWARE_ENGINEERING', 'EDUCATION', 'HEALTHCARE', 'AGRICULTURE', 'TRANSPORTATION', 'OTHER'] as const;
export type ApplicationSector = (typeof APPLICATION_SECTORS)[number];

export interface ConsortiumMember {
  name: string;
  /** ISO 3166-1 alpha-2 country where the member is located. */
  country: string;
  ultimateParentName?: string;
  /** ISO 3166-1 alpha-2. */
  ultimateParentCountry?: string;
  layers?: StackLayer[];
  /** A U.S. business concern in the sense of 13 CFR 121.105 (SBA referral, EO 4(c)(vi)). */
  usConcern?: boolean;
  naics?: string;
  /** Average employees over the preceding 24 completed calendar months (13 CFR 121.106). */
  employees?: number;
  /** Average annual receipts over the last 5 completed fiscal years (13 CFR 121.104). */
  averageAnnualReceiptsUsd?: number;
}

export interface Consortium {
  name: string;
  /** The name of the member that leads and submits (2026 call for proposals). */
  anchorMember: string;
  members: ConsortiumMember[];
}

/** EO 3(b)(i)(A): hardware, storage, cloud and networking, and how much of it is made in the U.S. */
export interface HardwareLayer {
  description?: string;
  /** Share of the hardware layer's value that is U.S.-origin (the call's 51 % presumption). */
  usContentPct?: number;
  usManufacturingStatement?: string;
  /** Export Control Classification Numbers, e.g. 3A090 or 4A090.a. */
  eccns?: string[];
}

export interface DescribedLayer {
  description?: string;
}

export interface AiApplication {
  sector: ApplicationSector;
  description?: string;
}

/** A model the models layer names; its origin and open weights matter for eligibility (the 2026 call, as reported). */
export interface NamedModel {
  name: string;
  /** ISO 3166-1 alpha-2 country of the model's developer. */
  originCountry: string;
  openWeights: boolean;
}

/** EO 3(b)(i)(C): the AI models, optionally named one by one. */
export interface ModelsLayer extends DescribedLayer {
  models?: NamedModel[];
}

export interface Stack {
  hardware?: HardwareLayer;
  dataPipelines?: DescribedLayer;
  models?: ModelsLayer;
  security?: DescribedLayer;
  applications?: AiApplication[];
}

/** EO 3(b)(iii): which entities build, own and operate the data centers. */
export interface BusinessModel {
  builder?: string;
  owner?: string;
  operator?: string;
  description?: string;
}

/** EO 3(b)(iv): one requested Federal incentive or support mechanism. */
export interface FederalSupportRequest {
  /** An id from data/financing-instruments.json. */
  instrumentId: string;
  amountUsd?: number;
  notes?: string;
}

/** EO 3(b)(v): export control, outbound investment and end-user compliance. */
export interface ComplianceStatement {
  exportControlAttestation?: boolean;
  outboundInvestmentAttestation?: boolean;
  endUserScreening?: string;
}

export interface ProposalSubmission {
  title: string;
  summary?: string;
  consortium: Consortium;
  stack?: Stack;
  /** ISO 3166-1 alpha-2 codes. */
  targetMarkets?: string[];
  businessModel?: BusinessModel;
  federalSupport?: FederalSupportRequest[];
  compliance?: ComplianceStatement;
}
