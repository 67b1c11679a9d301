import type { SubmitProposalDto } from '../../../apps/api/src/proposals/submit-proposal.dto';
import { checkCompleteness, DEFICIENCY_CODES, type DeficiencyCode } from '../../../libs/domain/intake/completeness';
import type { ProposalSubmission } from '../../../libs/domain/intake/submission';

/** Every element of EO 14320 sec. 3(b) present. */
function completeSubmission(): ProposalSubmission {
  return {
    title: 'Sovereign AI cloud for Kenya',
    consortium: {
      name: 'Acme AI Export Consortium',
      anchorMember: 'Acme Compute Inc.',
      members: [{ name: 'Acme Compute Inc.', country: 'US', layers: ['HARDWARE'], usConcern: true, naics: '334111', employees: 800 }],
    },
    stack: {
      hardware: {
        description: 'GPU servers, storage and networking',
        usContentPct: 72,
        usManufacturingStatement: 'Servers assembled in Texas',
        eccns: ['4A090'],
      },
      dataPipelines: { description: 'Labeling and ingestion pipelines' },
      models: { description: 'U.S. foundation models' },
      security: { description: 'Model weight protection' },
      applications: [{ sector: 'HEALTHCARE', description: 'Clinical decision support' }],
    },
    targetMarkets: ['KE'],
    businessModel: { builder: 'Acme Compute Inc.', owner: 'Kenya Digital Infrastructure Ltd.', operator: 'Blue River Data LLC' },
    federalSupport: [{ instrumentId: 'exim_loan_guarantee', amountUsd: 50_000_000 }],
    compliance: { exportControlAttestation: true },
  };
}

function codesOf(submission: ProposalSubmission): DeficiencyCode[] {
  return checkCompleteness(submission).map((deficiency) => deficiency.code);
}

describe('checkCompleteness (EO 14320 sec. 3(b), docs/spec.md section 2.1)', () => {
  it('finds nothing missing in a complete submission', () => {
    expect(checkCompleteness(completeSubmission())).toEqual([]);
  });

  const gaps: [string, (submission: ProposalSubmission) => void, DeficiencyCode, string][] = [
    ['no hardware layer', (s) => delete s.stack!.hardware, 'MISSING_HARDWARE', '3(b)(i)(A)'],
    ['a whitespace-only hardware description', (s) => (s.stack!.hardware!.description = '  \n'), 'MISSING_HARDWARE', '3(b)(i)(A)'],
    [
      'no U.S. manufacturing statement',
      (s) => delete s.stack!.hardware!.usManufacturingStatement,
      'MISSING_US_MANUFACTURING_STATEMENT',
      '3(b)(i)(A)',
    ],
    [
      'a blank U.S. manufacturing statement',
      (s) => (s.stack!.hardware!.usManufacturingStatement = ' '),
      'MISSING_US_MANUFACTURING_STATEMENT',
      '3(b)(i)(A)',
    ],
    ['no data pipelines', (s) => delete s.stack!.dataPipelines, 'MISSING_DATA_PIPELINES', '3(b)(i)(B)'],
    ['blank models', (s) => (s.stack!.models = { description: '\t' }), 'MISSING_MODELS', '3(b)(i)(C)'],
    ['no security measures', (s) => delete s.stack!.security, 'MISSING_SECURITY', '3(b)(i)(D)'],
    ['no applications', (s) => (s.stack!.applications = []), 'MISSING_APPLICATIONS', '3(b)(i)(E)'],
    [
      'only blank applications',
      (s) => (s.stack!.applications = [{ sector: 'EDUCATION', description: ' ' }]),
      'MISSING_APPLICATIONS',
      '3(b)(i)(E)',
    ],
    ['no target markets', (s) => delete s.targetMarkets, 'MISSING_TARGET_MARKETS', '3(b)(ii)'],
    ['only blank target markets', (s) => (s.targetMarkets = ['  ']), 'MISSING_TARGET_MARKETS', '3(b)(ii)'],
    ['no business model', (s) => delete s.businessModel, 'MISSING_BUSINESS_MODEL', '3(b)(iii)'],
    ['no operator named', (s) => (s.businessModel!.operator = ' '), 'MISSING_BUSINESS_MODEL', '3(b)(iii)'],
    [
      'a hardware layer without a description',
      (s) => (s.stack!.hardware = { usContentPct: 72, eccns: ['4A090'] }),
      'MISSING_HARDWARE',
      '3(b)(i)(A)',
    ],
    ['a data pipelines section without a description', (s) => (s.stack!.dataPipelines = {}), 'MISSING_DATA_PIPELINES', '3(b)(i)(B)'],
    ['a models section without a description', (s) => (s.stack!.models = {}), 'MISSING_MODELS', '3(b)(i)(C)'],
    ['a security section without a description', (s) => (s.stack!.security = {}), 'MISSING_SECURITY', '3(b)(i)(D)'],
    [
      'an application without a description',
      (s) => (s.stack!.applications = [{ sector: 'HEALTHCARE' }]),
      'MISSING_APPLICATIONS',
      '3(b)(i)(E)',
    ],
    [
      'one described application and one without a description',
      (s) => s.stack!.applications!.push({ sector: 'EDUCATION' }),
      'MISSING_APPLICATIONS',
      '3(b)(i)(E)',
    ],
    [
      'a business model naming a builder and owner but no operator',
      (s) => delete s.businessModel!.operator,
      'MISSING_BUSINESS_MODEL',
      '3(b)(iii)',
    ],
    ['an empty business model', (s) => (s.businessModel = {}), 'MISSING_BUSINESS_MODEL', '3(b)(iii)'],
    ['no federal support requested', (s) => (s.federalSupport = []), 'MISSING_FEDERAL_SUPPORT', '3(b)(iv)'],
    ['no compliance section', (s) => delete s.compliance, 'MISSING_COMPLIANCE_ATTESTATION', '3(b)(v)'],
    [
      'a compliance section without the attestation',
      (s) => (s.compliance = { outboundInvestmentAttestation: true }),
      'MISSING_COMPLIANCE_ATTESTATION',
      '3(b)(v)',
    ],
    [
      'an export-control attestation of false',
      (s) => (s.compliance!.exportControlAttestation = false),
      'MISSING_COMPLIANCE_ATTESTATION',
      '3(b)(v)',
    ],
  ];

  it.each(gaps)('reports exactly one deficiency for %s', (_case, removeElement, code, eoRef) => {
    const submission = completeSubmission();
    removeElement(submission);

    const deficiencies = checkCompleteness(submission);

    expect(deficiencies).toEqual([{ code, eoRef, message: expect.stringContaining(`(EO 14320 sec. ${eoRef})`) }]);
  });

  it('asks for the manufacturing statement only once hardware is described', () => {
    const submission = completeSubmission();
    submission.stack!.hardware = { description: ' ' };

    expect(codesOf(submission)).toEqual(['MISSING_HARDWARE']);
  });

  it('lists every gap of a bare submission in the order of sec. 3(b)', () => {
    const bare: ProposalSubmission = { title: 'Bare', consortium: completeSubmission().consortium };

    expect(codesOf(bare)).toEqual(DEFICIENCY_CODES.filter((code) => code !== 'MISSING_US_MANUFACTURING_STATEMENT'));
  });

  describe('messages an applicant can act on', () => {
    it('quote the order and point to the field to fill', () => {
      const submission = completeSubmission();
      delete submission.stack!.dataPipelines;

      expect(checkCompleteness(submission)[0].message).toBe(
        'The proposal does not include data pipelines and labeling systems (EO 14320 sec. 3(b)(i)(B)). Describe this layer in stack.dataPipelines.description.',
      );
    });

    it('keep a leading acronym capitalised', () => {
      const submission = completeSubmission();
      delete submission.stack!.models;

      expect(checkCompleteness(submission)[0].message).toMatch(/^The proposal does not include AI models and systems /);
    });

    it('name only the business-model roles that are missing', () => {
      const submission = completeSubmission();
      submission.businessModel = { builder: 'Acme Compute Inc.', owner: '', operator: ' ' };

      const [deficiency] = checkCompleteness(submission);

      expect(deficiency.message).toContain('does not name the owner and operator of the data centers');
      expect(deficiency.message).toContain('businessModel.owner and businessModel.operator');
      expect(deficiency.message).not.toContain('builder');
    });

    it('point to each use case that lacks a description', () => {
      const submission = completeSubmission();
      submission.stack!.applications = [
        { sector: 'EDUCATION' },
        { sector: 'HEALTHCARE', description: 'Clinical decision support' },
        { sector: 'AGRICULTURE', description: ' ' },
      ];

      const [deficiency] = checkCompleteness(submission);

      expect(deficiency.message).toContain('names use cases of its AI applications without describing them');
      expect(deficiency.message).toContain('stack.applications[0].description and stack.applications[2].description');
    });

    it('say what the U.S. manufacturing statement must cover', () => {
      const submission = completeSubmission();
      delete submission.stack!.hardware!.usManufacturingStatement;

      expect(checkCompleteness(submission)[0].message).toContain('whether and to what extent items are manufactured in the U.S.');
    });

    it("give the order's examples of use cases", () => {
      const submission = completeSubmission();
      submission.stack!.applications = [];

      expect(checkCompleteness(submission)[0].message).toContain(
        'e.g. software engineering, education, healthcare, agriculture, transportation',
      );
    });
  });

  it('accepts everything the API validates (the DTO fits ProposalSubmission)', () => {
    const dtoFits: SubmitProposalDto extends ProposalSubmission ? true : false = true;
    expect(dtoFits).toBe(true);
  });
});
