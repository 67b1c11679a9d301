import { readFileSync } from 'node:fs';
import { isReferredToSba, sbaReferralStatus } from '../../../libs/domain/sba/referral';
import {
  determineSize,
  loadSbaSizeStandards,
  parseSbaSizeStandards,
  type SbaSizeStandardsTable,
  type SizeSubject,
} from '../../../libs/domain/sba/size-standard';
import { dataFile } from '../../../libs/reference-data';
import { readEditionsManifest } from '../../../libs/reference-data/editions';

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

describe('determineSize on the full SBA table effective 2023-03-17', () => {
  // Pinned to the edition's own file, so a later current edition does not move these cases.
  const TABLE_2023 = parseSbaSizeStandards(readFileSync(dataFile('sba-size-standards-2023-03-17.csv'), 'utf8'), {
    source: '13 CFR 121.201',
    effective: '2023-03-17',
  });
  const member = (naics: string, figures: Partial<SizeSubject>): SizeSubject => ({
    name: 'Member LLC',
    usConcern: true,
    naics,
    ...figures,
  });

  // The old 33-code table (partly from memory) had 541690 at $19.5M: $19.25M was SMALL there.
  it('sizes a receipts code by its real standard: 541690 is $19.0M', () => {
    const result = determineSize(member('541690', { averageAnnualReceiptsUsd: 19_250_000 }), TABLE_2023);

    expect(result).toMatchObject({ status: 'NOT_SMALL', measure: 19_250_000, standard: { type: 'receipts', value: 19_000_000 } });
    expect(result.reason).toContain('$19,000,000 for NAICS 541690 (Other Scientific and Technical Consulting Services');
  });

  // The old table had no 333242, so this member was NEEDS_INFORMATION ("not in the table").
  it('sizes an employees code the old table lacked: 333242 Semiconductor Machinery Manufacturing, 1,500 employees', () => {
    expect(determineSize(member('333242', { employees: 1_400 }), TABLE_2023)).toMatchObject({
      status: 'SMALL',
      measure: 1_400,
      standard: { naics: '333242', type: 'employees', value: 1_500 },
    });
  });

  // The old table decided 541519 by $34M receipts alone (SMALL here), ignoring its ITVAR exception row.
  it('leaves a code with exception rows to SBA: 541519 and its IT value-added reseller exception', () => {
    const result = determineSize(member('541519', { averageAnnualReceiptsUsd: 10_000_000 }), TABLE_2023);

    expect(result).toMatchObject({ status: 'SBA_TO_DETERMINE', missing: [], standard: { naics: '541519', type: 'receipts' } });
    expect(result.measure).toBeUndefined();
    expect(result.reason).toContain('Exception, Information Technology Value Added Resellers: 150 employees');
    expect(result.reason).toContain("referred to SBA for SBA's own size determination");
    expect(isReferredToSba(result)).toBe(true);
  });

  it('names every exception of a code with several: 541715', () => {
    const { status, standard } = determineSize(member('541715', { employees: 900 }), TABLE_2023);

    expect(status).toBe('SBA_TO_DETERMINE');
    expect(standard?.exceptions?.map((e) => [e.label, e.value])).toEqual([
      ['Exception 1', 1_500],
      ['Exception 2', 1_250],
      ['Exception 3', 1_300],
    ]);
  });

  // The old table had no 522110, so a bank was NEEDS_INFORMATION, asking for a figure that does not decide it.
  it('leaves an asset-based code to SBA: 522110 Commercial Banking, $850M in assets', () => {
    const result = determineSize(member('522110', {}), TABLE_2023);

    expect(result).toMatchObject({
      status: 'SBA_TO_DETERMINE',
      missing: [],
      standard: { type: 'assets', value: 850_000_000, footnote: 8 },
    });
    expect(result.reason).toContain('is measured by assets ($850,000,000 in assets, footnote 8)');
  });

  it('still asks whether the member is a U.S. concern before referring it', () => {
    expect(determineSize({ name: 'Bank', country: 'US', naics: '522110' }, TABLE_2023)).toMatchObject({
      status: 'NEEDS_INFORMATION',
      missing: ['usConcern'],
    });
  });

  it.each([
    ['SMALL', member('333242', { employees: 1 })],
    ['NEEDS_INFORMATION', member('999999', {})],
    ['NOT_US_CONCERN', { name: 'Abroad GmbH', country: 'DE' }],
    ['SBA_TO_DETERMINE', member('522130', {})],
  ])('cites the table edition in a %s determination', (status, subject: SizeSubject) => {
    expect(determineSize(subject, TABLE_2023)).toMatchObject({ status, table: { source: '13 CFR 121.201', effective: '2023-03-17' } });
  });
});

describe('sbaReferralStatus (EO 14320 sec. 4(c)(vi))', () => {
  it.each([
    [['SBA_TO_DETERMINE', 'NOT_SMALL'], 'PENDING'],
    [['SMALL', 'NEEDS_INFORMATION'], 'PENDING'],
    [['NEEDS_INFORMATION', 'NOT_US_CONCERN'], 'NEEDS_INFORMATION'],
    [['NOT_SMALL', 'NOT_US_CONCERN'], 'NOT_APPLICABLE'],
  ] as const)('%j -> %s', (statuses, expected) => {
    expect(sbaReferralStatus(statuses.map((status) => ({ status })))).toBe(expected);
  });
});

describe('parseSbaSizeStandards (the import check)', () => {
  const HEADER = 'naics,title,basis,standard,footnote\n';
  const edition = { source: '13 CFR 121.201', effective: '2030-01-01' };

  it('refuses a malformed edition, naming each line', () => {
    const csv =
      HEADER +
      '12345,Short Code,receipts_million_usd,1.0,\n111110,Soybean Farming,receipts,-1,a\n999999 (Exception),Orphan,employees,10,\n';

    expect(() => parseSbaSizeStandards(csv, edition)).toThrow(
      /line 2: "12345" is neither[\s\S]*line 3: unknown basis "receipts"[\s\S]*line 3: standard "-1"[\s\S]*line 3: footnote "a"[\s\S]*line 4: 999999 \(Exception\) has no base row/,
    );
  });

  it('refuses a duplicate code and a wrong header', () => {
    expect(() => parseSbaSizeStandards(HEADER + '111110,A,employees,1,\n111110,B,employees,2,\n', edition)).toThrow(
      'line 3: NAICS 111110 appears twice',
    );
    expect(() => parseSbaSizeStandards('naics,title,standard\n', edition)).toThrow(
      'the header must be naics,title,basis,standard,footnote',
    );
  });

  it('converts millions of dollars to dollars', () => {
    expect(parseSbaSizeStandards(HEADER + '111110,Soybean Farming,receipts_million_usd,2.25,\n', edition).standards['111110']?.value).toBe(
      2_250_000,
    );
  });
});

describe('loadSbaSizeStandards (the current edition in data/reference-editions.json)', () => {
  const table = loadSbaSizeStandards();
  const current = readEditionsManifest().datasets['sba-size-standards'];

  it('is the current edition and cites 13 CFR 121.201', () => {
    expect(table).toMatchObject({ source: '13 CFR 121.201', effective: current.editions[current.current].effective });
  });

  it('holds the whole table: 978 codes, 18 exception rows, 4 asset-based codes', () => {
    const standards = Object.values(table.standards);

    expect(standards).toHaveLength(978);
    expect(standards.reduce((sum, s) => sum + (s?.exceptions?.length ?? 0), 0)).toBe(18);
    expect(standards.filter((s) => s?.type === 'assets')).toHaveLength(4);
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
      expect.objectContaining({ type: expect.stringMatching(/^(receipts|employees|assets)$/), value: expect.any(Number) }),
    );
  });

  // DOMAIN.md section 5 quotes 541690 at $19.5M; the SBA table itself says $19.0M.
  it('carries the values of the SBA table for the codes DOMAIN.md section 5 quotes', () => {
    expect(table.standards).toMatchObject({
      '541511': { type: 'receipts', value: 34_000_000 },
      '541330': { type: 'receipts', value: 25_500_000 },
      '541690': { type: 'receipts', value: 19_000_000 },
      '541715': { type: 'employees', value: 1_000 },
      '518210': { type: 'receipts', value: 40_000_000 },
      '334413': { type: 'employees', value: 1_250 },
      '517111': { type: 'employees', value: 1_500 },
      '236220': { type: 'receipts', value: 45_000_000 },
      '238210': { type: 'receipts', value: 19_000_000 },
    });
  });
});
