import { determineSize, loadSbaSizeStandards, type SbaSizeStandardsTable, type SizeSubject } from '../../../libs/domain/sba/size-standard';

/** Two standards, one of each kind, so the boundaries below do not move when the shipped table is updated. */
const TABLE: SbaSizeStandardsTable = {
  source: '13 CFR 121.201',
  effective: '2023-03-17',
  standards: {
    '541511': { industry: 'Custom Computer Programming Services', type: 'receipts', value: 34_000_000 },
    '334111': { industry: 'Electronic Computer Manufacturing', type: 'employees', value: 1_250 },
  },
};

const PROGRAMMER: SizeSubject = { name: 'Blue River Data LLC', country: 'US', usConcern: true, naics: '541511' };
const MANUFACTURER: SizeSubject = { name: 'Acme Compute Inc.', country: 'US', usConcern: true, naics: '334111' };

describe('determineSize (EO 14320 sec. 4(c)(vi); 13 CFR 121.201, 121.104, 121.106, 121.103)', () => {
  describe('boundaries: at the standard is small, above it is not', () => {
    it.each([
      ['receipts-based, at the standard', { ...PROGRAMMER, averageAnnualReceiptsUsd: 34_000_000 }, 'SMALL', 34_000_000],
      ['receipts-based, one dollar above', { ...PROGRAMMER, averageAnnualReceiptsUsd: 34_000_001 }, 'NOT_SMALL', 34_000_001],
      ['receipts-based, well under', { ...PROGRAMMER, averageAnnualReceiptsUsd: 0 }, 'SMALL', 0],
      ['employees-based, at the standard', { ...MANUFACTURER, employees: 1_250 }, 'SMALL', 1_250],
      ['employees-based, one above', { ...MANUFACTURER, employees: 1_251 }, 'NOT_SMALL', 1_251],
      ['employees-based, a fractional 24-month average just above', { ...MANUFACTURER, employees: 1_250.5 }, 'NOT_SMALL', 1_250.5],
    ])('%s', (_case, member: SizeSubject, status, measure) => {
      expect(determineSize(member, TABLE)).toMatchObject({ status, measure, missing: [] });
    });
  });

  it('measures by the standard of the NAICS code, ignoring the other figure', () => {
    const result = determineSize({ ...MANUFACTURER, employees: 900, averageAnnualReceiptsUsd: 900_000_000 }, TABLE);

    expect(result.status).toBe('SMALL');
  });

  it('records the standard applied and the table edition', () => {
    expect(determineSize({ ...PROGRAMMER, averageAnnualReceiptsUsd: 1 }, TABLE).standard).toEqual({
      naics: '541511',
      industry: 'Custom Computer Programming Services',
      type: 'receipts',
      value: 34_000_000,
      source: '13 CFR 121.201',
      tableEffective: '2023-03-17',
    });
  });

  describe('affiliates count toward size (13 CFR 121.103)', () => {
    it('pushes a receipts-based firm over the standard', () => {
      const member = {
        ...PROGRAMMER,
        averageAnnualReceiptsUsd: 30_000_000,
        affiliates: [{ name: 'Parent Co.', averageAnnualReceiptsUsd: 4_000_001 }],
      };

      const result = determineSize(member, TABLE);

      expect(result).toMatchObject({ status: 'NOT_SMALL', measure: 34_000_001 });
      expect(result.reason).toContain('together with 1 affiliate');
    });

    it('pushes an employees-based firm over the standard', () => {
      const member = { ...MANUFACTURER, employees: 1_000, affiliates: [{ employees: 200 }, { employees: 51 }] };

      expect(determineSize(member, TABLE)).toMatchObject({ status: 'NOT_SMALL', measure: 1_251 });
    });

    it('keeps a firm small when the sum is at the standard', () => {
      const member = { ...MANUFACTURER, employees: 1_000, affiliates: [{ employees: 250 }] };

      expect(determineSize(member, TABLE)).toMatchObject({ status: 'SMALL', measure: 1_250 });
    });

    it("needs every affiliate's figure", () => {
      const member = {
        ...PROGRAMMER,
        averageAnnualReceiptsUsd: 1_000_000,
        affiliates: [{ averageAnnualReceiptsUsd: 5 }, { name: 'Sister LLC', employees: 3 }],
      };

      const result = determineSize(member, TABLE);

      expect(result).toMatchObject({ status: 'NEEDS_INFORMATION', missing: ['affiliates[1].averageAnnualReceiptsUsd'] });
      expect(result.reason).toContain('affiliate Sister LLC');
    });
  });

  describe('missing data means NEEDS_INFORMATION, never NOT_SMALL', () => {
    it.each([
      ['no NAICS code', { ...PROGRAMMER, naics: undefined, averageAnnualReceiptsUsd: 99_000_000 }, ['naics']],
      ['a blank NAICS code', { ...PROGRAMMER, naics: '  ', averageAnnualReceiptsUsd: 1 }, ['naics']],
      ['a NAICS code the table lacks', { ...PROGRAMMER, naics: '54', averageAnnualReceiptsUsd: 1 }, ['naics']],
      ['no receipts for a receipts-based code', { ...PROGRAMMER, employees: 10 }, ['averageAnnualReceiptsUsd']],
      ['no employees for an employees-based code', { ...MANUFACTURER, averageAnnualReceiptsUsd: 10 }, ['employees']],
      ['a figure that is not a number', { ...MANUFACTURER, employees: Number.NaN }, ['employees']],
      ['an undeclared U.S. location and no NAICS', { name: 'Quiet Corp.', country: 'US' }, ['usConcern', 'naics']],
    ])('with %s', (_case, member: SizeSubject, missing) => {
      const result = determineSize(member, TABLE);

      expect(result).toMatchObject({ status: 'NEEDS_INFORMATION', missing });
      expect(result.measure).toBeUndefined();
      expect(result.reason).toContain('not a finding that it is not small');
    });

    it('names the unknown NAICS code and the table edition', () => {
      expect(determineSize({ ...PROGRAMMER, naics: '999999' }, TABLE).reason).toContain(
        'NAICS 999999 is not in the 13 CFR 121.201 table effective 2023-03-17',
      );
    });

    it('keeps the standard it found so the applicant knows which figure to give', () => {
      expect(determineSize(PROGRAMMER, TABLE).standard?.type).toBe('receipts');
    });
  });

  describe('only U.S. concerns are referred', () => {
    it('does not refer a member that declares it is not a U.S. concern, whatever its size', () => {
      expect(determineSize({ ...PROGRAMMER, usConcern: false, averageAnnualReceiptsUsd: 1 }, TABLE)).toMatchObject({
        status: 'NOT_US_CONCERN',
        missing: [],
      });
    });

    it('does not refer an undeclared member located abroad', () => {
      const result = determineSize({ name: 'Rhein KI GmbH', country: 'DE', naics: '541511', averageAnnualReceiptsUsd: 1 }, TABLE);

      expect(result.status).toBe('NOT_US_CONCERN');
      expect(result.reason).toContain('Germany (DE)');
    });

    it('takes a declared U.S. concern at its word wherever it is located', () => {
      expect(determineSize({ ...PROGRAMMER, country: 'CA', averageAnnualReceiptsUsd: 1 }, TABLE).status).toBe('SMALL');
    });

    it('asks an undeclared member in a U.S. territory rather than ruling it out', () => {
      expect(determineSize({ ...PROGRAMMER, country: 'PR', usConcern: undefined, averageAnnualReceiptsUsd: 1 }, TABLE)).toMatchObject({
        status: 'NEEDS_INFORMATION',
        missing: ['usConcern'],
      });
    });
  });

  it('explains a SMALL result with the standard, its basis and the referral', () => {
    expect(determineSize({ ...PROGRAMMER, averageAnnualReceiptsUsd: 12_000_000 }, TABLE).reason).toBe(
      'Blue River Data LLC has average annual receipts of $12,000,000, at or below the size standard of $34,000,000 for NAICS 541511 ' +
        '(Custom Computer Programming Services; 13 CFR 121.201, table effective 2023-03-17), so it is small and qualifies for referral to SBA (EO 14320 sec. 4(c)(vi)).',
    );
  });
});

describe('loadSbaSizeStandards (data/sba-size-standards.json)', () => {
  const table = loadSbaSizeStandards();

  it('is versioned and cites 13 CFR 121.201', () => {
    expect(table).toMatchObject({ source: '13 CFR 121.201', effective: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  });

  it.each([
    '334111',
    '334112',
    '334118',
    '334413',
    '334210',
    '334220',
    '334290',
    '334419',
    '517111',
    '517112',
    '517121',
    '518210',
    '519290',
    '541511',
    '541512',
    '541513',
    '541519',
    '541330',
    '541690',
    '541715',
    '236220',
    '238210',
    '611430',
    '621999',
  ])('covers NAICS %s', (naics) => {
    expect(table.standards[naics]).toEqual(
      expect.objectContaining({ type: expect.stringMatching(/^(receipts|employees)$/), value: expect.any(Number) }),
    );
  });

  it('carries the values DOMAIN.md section 5 gives', () => {
    expect(table.standards).toMatchObject({
      '541511': { type: 'receipts', value: 34_000_000 },
      '541330': { type: 'receipts', value: 25_500_000 },
      '541690': { type: 'receipts', value: 19_500_000 },
      '541715': { type: 'employees', value: 1_000 },
      '518210': { type: 'receipts', value: 40_000_000 },
      '334413': { type: 'employees', value: 1_250 },
      '517111': { type: 'employees', value: 1_500 },
      '236220': { type: 'receipts', value: 45_000_000 },
      '238210': { type: 'receipts', value: 19_000_000 },
    });
  });
});
