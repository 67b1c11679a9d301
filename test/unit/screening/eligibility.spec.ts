import type {
  ComplianceStatement,
  ConsortiumMember,
  HardwareLayer,
  NamedModel,
  ProposalSubmission,
} from '../../../libs/domain/intake/submission';
import {
  assessEligibility,
  EAR_COUNTRY_GROUP_IDS,
  loadEarCountryGroups,
  type EligibilityAssessment,
  type EligibilityInput,
} from '../../../libs/domain/screening/eligibility';

const COUNTRIES_OF_CONCERN = ['CN', 'HK', 'MO'];
const US_MEMBER: ConsortiumMember = { name: 'Acme Compute Inc.', country: 'US' };
/** 72 % U.S. content and no advanced-computing ECCNs: raises no hardware flag on its own. */
const PLAIN_HARDWARE: HardwareLayer = { description: 'Servers', usContentPct: 72, usManufacturingStatement: 'Assembled in Texas' };

/** Both attestations given: raises no compliance flag on its own. */
const ATTESTED: ComplianceStatement = { exportControlAttestation: true, outboundInvestmentAttestation: true };

function assess(
  parts: {
    members?: ConsortiumMember[];
    targetMarkets?: string[];
    hardware?: HardwareLayer;
    models?: NamedModel[];
    compliance?: ComplianceStatement | null;
  },
  {
    countriesOfConcern = COUNTRIES_OF_CONCERN,
    countryGroups = loadEarCountryGroups(),
    openWeightModelRule = true,
  }: Partial<Omit<EligibilityInput, 'submission'>> = {},
): EligibilityAssessment {
  const submission: ProposalSubmission = {
    title: 'Package',
    consortium: { name: 'Consortium', anchorMember: US_MEMBER.name, members: parts.members ?? [US_MEMBER] },
    stack: { hardware: parts.hardware ?? PLAIN_HARDWARE, models: { description: 'Models', models: parts.models } },
    targetMarkets: parts.targetMarkets ?? ['KE'],
    ...(parts.compliance === null ? {} : { compliance: parts.compliance ?? ATTESTED }),
  };
  return assessEligibility({ submission, countriesOfConcern, countryGroups, openWeightModelRule });
}

const codes = (items: { code: string }[]): string[] => items.map((item) => item.code);

describe('assessEligibility (docs/spec.md section 2.2; EO 14320 sec. 3(b)(v); 15 CFR 740 Supp. 1; 2026 call for proposals)', () => {
  it('passes a U.S. consortium targeting an unrestricted market with no flags', () => {
    expect(assess({})).toEqual({ eligible: true, reasons: [], flags: [] });
  });

  describe('MEMBER_IN_COUNTRY_OF_CONCERN', () => {
    it('rules out a member located in a country of concern, naming it and the country', () => {
      const result = assess({ members: [US_MEMBER, { name: 'Shenzhen Compute Co., Ltd.', country: 'CN' }] });

      expect(result.eligible).toBe(false);
      expect(codes(result.reasons)).toEqual(['MEMBER_IN_COUNTRY_OF_CONCERN']);
      expect(result.reasons[0].message).toContain('"Shenzhen Compute Co., Ltd."');
      expect(result.reasons[0].message).toContain('China (CN)');
    });

    it('rules out a member whose ultimate parent is in a country of concern', () => {
      const result = assess({
        members: [{ name: 'Harbor Data Ltd.', country: 'SG', ultimateParentName: 'Pearl Holdings', ultimateParentCountry: 'HK' }],
      });

      expect(result.eligible).toBe(false);
      expect(result.reasons[0].message).toContain('its ultimate parent "Pearl Holdings" is in');
      expect(result.reasons[0].message).toContain('(HK)');
    });

    it('gives one reason per member even when both the member and its parent are tied', () => {
      const result = assess({ members: [{ name: 'Macau Cloud', country: 'MO', ultimateParentCountry: 'CN' }] });

      expect(result.reasons).toHaveLength(1);
      expect(result.reasons[0].message).toMatch(/it is located in .*\(MO\) and its ultimate parent is in China \(CN\)/);
    });

    it('uses the configured list, whatever the case of the codes', () => {
      const members = [
        { name: 'Volga Systems', country: 'ru' },
        { name: 'Shenzhen Compute', country: 'CN' },
      ];

      const result = assess({ members }, { countriesOfConcern: ['RU'] });

      expect(result.reasons.map((reason) => reason.message)).toEqual([expect.stringContaining('"Volga Systems"')]);
    });
  });

  describe('TARGET_EMBARGOED (E:1, E:2)', () => {
    it.each([
      ['IR', 'E:1 (Terrorist supporting countries)'],
      ['KP', 'E:1 (Terrorist supporting countries)'],
      ['CU', 'E:2 (Unilateral embargo)'],
    ])('rules out target %s in %s', (target, group) => {
      const result = assess({ targetMarkets: ['KE', target] });

      expect(result.eligible).toBe(false);
      expect(codes(result.reasons)).toEqual(['TARGET_EMBARGOED']);
      expect(result.reasons[0].message).toContain(group);
      expect(result.reasons[0].message).toContain('under 15 CFR 740 Supp. 1 as of 2026-07-08');
    });

    it('reports a target listed twice once', () => {
      expect(assess({ targetMarkets: ['SY', 'sy'] }).reasons).toHaveLength(1);
    });
  });

  describe('TARGET_ARMS_EMBARGOED (D:5)', () => {
    it('flags a D:5 target without blocking', () => {
      const result = assess({ targetMarkets: ['VE'] });

      expect(result.eligible).toBe(true);
      expect(codes(result.flags)).toEqual(['TARGET_ARMS_EMBARGOED']);
    });

    it('looks Hong Kong up as China (data note: HK maps to CN)', () => {
      const result = assess({ targetMarkets: ['HK'] });

      expect(codes(result.flags)).toEqual(['TARGET_ARMS_EMBARGOED']);
      expect(result.flags[0].message).toContain('treated as CN under the EAR');
    });

    it('does not flag Macau, which is not in D:5', () => {
      expect(assess({ targetMarkets: ['MO'] }).flags).toEqual([]);
    });
  });

  describe('LICENSE_REVIEW_ADVANCED_COMPUTING (3A090/4A090 to D:1, D:4, D:5 or Macau)', () => {
    const flagged = (targetMarkets: string[], eccns: string[]): boolean =>
      codes(assess({ targetMarkets, hardware: { ...PLAIN_HARDWARE, eccns } }).flags).includes('LICENSE_REVIEW_ADVANCED_COMPUTING');

    it.each([
      ['a D:1 target', ['VN'], ['4A090']],
      ['a D:4 target', ['AE'], ['3A090']],
      ['a D:5 target', ['ZW'], ['4A090']],
      ['Macau', ['MO'], ['3A090']],
      ['Hong Kong, as China', ['HK'], ['4A090']],
      ['a sub-paragraph ECCN', ['SA'], ['3A090.a']],
      ['a lower-case ECCN', ['QA'], ['4a090.b']],
    ])('flags %s', (_case, targets, eccns) => {
      expect(flagged(targets, eccns)).toBe(true);
    });

    it.each([
      ['an unrestricted target', ['KE'], ['4A090']],
      ['other ECCNs', ['AE'], ['5A002', '3A001', '4A003']],
      ['no ECCNs', ['AE'], []],
    ])('does not flag %s', (_case, targets, eccns) => {
      expect(flagged(targets, eccns)).toBe(false);
    });

    it('flags Macau by name even where a snapshot leaves it out of every group', () => {
      const countryGroups = loadEarCountryGroups();
      const groups = structuredClone(countryGroups.groups);
      for (const id of EAR_COUNTRY_GROUP_IDS) groups[id].iso2 = groups[id].iso2.filter((country) => country !== 'MO');

      const result = assess(
        { targetMarkets: ['MO'], hardware: { ...PLAIN_HARDWARE, eccns: ['4A090'] } },
        { countryGroups: { ...countryGroups, groups } },
      );

      expect(result.flags).toEqual([
        { code: 'LICENSE_REVIEW_ADVANCED_COMPUTING', message: expect.stringContaining('is named by the advanced-computing rule') },
      ]);
    });

    it('names the controlled ECCNs and the group', () => {
      const result = assess({ targetMarkets: ['AE'], hardware: { ...PLAIN_HARDWARE, eccns: ['4A090', '4A090', '3A090.a', '5A002'] } });

      expect(result.flags).toEqual([
        {
          code: 'LICENSE_REVIEW_ADVANCED_COMPUTING',
          message: expect.stringMatching(
            /\(4A090, 3A090\.a\).*United Arab Emirates \(AE\) is in EAR Country Group D:4 \(Missile Technology\) under/,
          ),
        },
      ]);
    });
  });

  describe('US_CONTENT_BELOW_PRESUMPTION (51 %)', () => {
    it.each([
      [50.9, true],
      [0, true],
      [51, false],
      [100, false],
    ])('at %s %% U.S. content, flagged: %s', (usContentPct, expected) => {
      const result = assess({ hardware: { ...PLAIN_HARDWARE, usContentPct } });

      expect(result.eligible).toBe(true);
      expect(codes(result.flags).includes('US_CONTENT_BELOW_PRESUMPTION')).toBe(expected);
    });

    it('does not flag hardware that states no U.S. content share', () => {
      expect(assess({ hardware: { description: 'Servers' } }).flags).toEqual([]);
    });
  });

  describe('OPEN_WEIGHT_MODEL_FROM_COUNTRY_OF_CONCERN (reported; configurable)', () => {
    const QWEN: NamedModel = { name: 'Qwen2.5-72B', originCountry: 'CN', openWeights: true };

    it('makes a proposal naming an open-weight model from a country of concern ineligible, saying the bar is reported', () => {
      const result = assess({ models: [{ name: 'Llama 3.1', originCountry: 'US', openWeights: true }, QWEN] });

      expect(result.eligible).toBe(false);
      expect(result.reasons).toEqual([
        {
          code: 'OPEN_WEIGHT_MODEL_FROM_COUNTRY_OF_CONCERN',
          message: expect.stringContaining('"Qwen2.5-72B", an open-weight model from China (CN), a country of concern'),
        },
      ]);
      expect(result.reasons[0].message).toContain('FR 2026-06952');
      expect(result.reasons[0].message).toContain('reported, not yet confirmed in the official text');
    });

    it.each([
      ['a closed-weight model from a country of concern', [{ ...QWEN, openWeights: false }], true],
      ['an open-weight model from elsewhere', [{ ...QWEN, originCountry: 'FR' }], true],
      ['an open-weight model from Macau, given in lower case', [{ ...QWEN, originCountry: 'mo' }], false],
      ['no named models', undefined, true],
    ])('with %s: eligible %s', (_case, models, eligible) => {
      expect(assess({ models }).eligible).toBe(eligible);
    });

    it('follows the configured countries of concern', () => {
      expect(assess({ models: [QWEN] }, { countriesOfConcern: ['RU'] }).eligible).toBe(true);
    });

    it('does not apply when OPEN_WEIGHT_MODEL_RULE is off', () => {
      expect(assess({ models: [QWEN] }, { openWeightModelRule: false })).toMatchObject({ eligible: true, reasons: [] });
    });
  });

  describe('HEADQUARTERS_IN_D5_OR_MACAU (advanced-computing headquarters test; a flag, not a bar)', () => {
    it.each([
      [
        'a member headquartered in D:5',
        { name: 'Caracas Data', country: 'VE' },
        'it is headquartered in Venezuela (VE) in EAR Country Group D:5',
      ],
      [
        'a member whose ultimate parent is in D:5',
        { name: 'Nordic AI AB', country: 'SE', ultimateParentName: 'Minsk Holdings', ultimateParentCountry: 'BY' },
        'its ultimate parent "Minsk Holdings" is headquartered in Belarus (BY) in EAR Country Group D:5',
      ],
      [
        'a member whose ultimate parent is in Macau',
        { name: 'Lisbon Compute', country: 'PT', ultimateParentCountry: 'MO' },
        'its ultimate parent is headquartered in Macao SAR China (MO), named by the rule',
      ],
      [
        'a member in Hong Kong (CN under the EAR)',
        { name: 'Harbour AI', country: 'HK' },
        'Hong Kong SAR China (HK), treated as CN under the EAR, in EAR Country Group D:5',
      ],
    ])('flags %s, citing the rule', (_case, member: ConsortiumMember, text) => {
      const result = assess({ members: [US_MEMBER, member] }, { countriesOfConcern: [] });

      expect(result.eligible).toBe(true);
      expect(codes(result.flags)).toEqual(['HEADQUARTERS_IN_D5_OR_MACAU']);
      expect(result.flags[0].message).toContain(text);
      expect(result.flags[0].message).toContain('FR 2023-23055');
    });

    it('does not flag members and parents outside D:5 and Macau', () => {
      const members = [US_MEMBER, { name: 'Rhein KI GmbH', country: 'DE', ultimateParentCountry: 'JP' }];

      expect(assess({ members }).flags).toEqual([]);
    });
  });

  describe('OUTBOUND_INVESTMENT_NOT_ATTESTED (31 CFR part 850)', () => {
    it.each([
      ['missing', { exportControlAttestation: true }, 'does not attest'],
      ['false', { exportControlAttestation: true, outboundInvestmentAttestation: false }, 'states that it does not attest'],
      ['absent with the whole compliance section', null, 'does not attest'],
    ])('flags an attestation that is %s', (_case, compliance: ComplianceStatement | null, text) => {
      const result = assess({ compliance });

      expect(result.eligible).toBe(true);
      expect(result.flags).toEqual([{ code: 'OUTBOUND_INVESTMENT_NOT_ATTESTED', message: expect.stringContaining(`consortium ${text}`) }]);
      expect(result.flags[0].message).toContain('31 CFR part 850');
    });
  });

  it('reports every reason and flag together', () => {
    const result = assess({
      members: [US_MEMBER, { name: 'Shenzhen Compute', country: 'CN' }],
      targetMarkets: ['IR', 'MM'],
      hardware: { ...PLAIN_HARDWARE, usContentPct: 30, eccns: ['4A090'] },
    });

    expect(result.eligible).toBe(false);
    expect(codes(result.reasons)).toEqual(['MEMBER_IN_COUNTRY_OF_CONCERN', 'TARGET_EMBARGOED']);
    expect(codes(result.flags)).toEqual([
      'TARGET_ARMS_EMBARGOED',
      'TARGET_ARMS_EMBARGOED',
      'LICENSE_REVIEW_ADVANCED_COMPUTING',
      'LICENSE_REVIEW_ADVANCED_COMPUTING',
      'US_CONTENT_BELOW_PRESUMPTION',
      'HEADQUARTERS_IN_D5_OR_MACAU',
    ]);
  });
});

describe('loadEarCountryGroups', () => {
  it('returns the versioned snapshot with every group the rules use', () => {
    const countryGroups = loadEarCountryGroups();

    expect(countryGroups.as_of).toBe('2026-07-08');
    expect(countryGroups.source).toContain('15 CFR 740 Supp. 1');
    for (const id of EAR_COUNTRY_GROUP_IDS) expect(countryGroups.groups[id].iso2.length).toBeGreaterThan(0);
  });
});
