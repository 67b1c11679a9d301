import {
  loadCountryIncomeGroups,
  loadFinancingNeeds,
  parseCountryIncomeGroups,
  suggestRoutes,
  type RequestedSupport,
  type RouteSuggestion,
} from '../../../libs/domain/financing/routing';
import { FINANCING_INSTRUMENTS } from '../../../libs/reference-data';

function routes(federalSupport: RequestedSupport[], targetMarkets: string[] = ['KE']): RouteSuggestion[] {
  return suggestRoutes({
    federalSupport,
    targetMarkets,
    catalogue: FINANCING_INSTRUMENTS,
    incomeGroups: loadCountryIncomeGroups(),
    needs: loadFinancingNeeds(),
  });
}

const warningsFor = (instrumentId: string, targetMarkets?: string[]): string[] => routes([{ instrumentId }], targetMarkets)[0].warnings;

describe('suggestRoutes (EO 14320 sec. 4(d); docs/spec.md section 2.4)', () => {
  it('suggests one route per request at the catalogue agency, keeping the amount', () => {
    expect(
      routes([
        { instrumentId: 'exim_loan_guarantee', amountUsd: 50_000_000 },
        { instrumentId: 'ustda_feasibility' },
        { instrumentId: 'dfc_equity', amountUsd: 10_000_000 },
      ]),
    ).toEqual([
      { instrumentId: 'exim_loan_guarantee', agency: 'EXIM', amountUsd: 50_000_000, warnings: [] },
      { instrumentId: 'ustda_feasibility', agency: 'USTDA', amountUsd: null, warnings: [] },
      { instrumentId: 'dfc_equity', agency: 'DFC', amountUsd: 10_000_000, warnings: [] },
    ]);
  });

  it('suggests nothing when nothing is requested', () => {
    expect(routes([])).toEqual([]);
  });

  it('leaves the agency to the coordinator for an instrument the catalogue lacks', () => {
    expect(routes([{ instrumentId: 'retired_instrument', amountUsd: 1 }])).toEqual([
      {
        instrumentId: 'retired_instrument',
        agency: null,
        amountUsd: 1,
        warnings: [expect.stringContaining('not in the financing catalogue')],
      },
    ]);
  });

  describe('instruments the order does not name', () => {
    it.each(['exim_credit_insurance', 'exim_working_capital', 'ustda_pilot', 'sba_oii_sbic', 'ita_advocacy'])(
      'warns for %s',
      (instrumentId) => {
        expect(warningsFor(instrumentId)).toEqual([expect.stringContaining('is not among the tools EO 14320 sec. 4(d) lists')]);
      },
    );
  });

  describe("DFC's statutory focus on low and lower-middle income countries (22 U.S.C. 9612)", () => {
    it.each([
      ['a low-income target', ['AE', 'AF']],
      ['a lower-middle-income target', ['KE']],
      ['a lower-middle-income target given in lower case', ['ae', 'in']],
    ])('does not warn with %s', (_case, targets) => {
      expect(warningsFor('dfc_pri', targets)).toEqual([]);
    });

    it('warns when every target is upper-middle or high income, naming each', () => {
      const [warning] = warningsFor('dfc_loan_guaranty', ['AE', 'BR']);

      expect(warning).toContain('22 U.S.C. 9612');
      expect(warning).toContain('United Arab Emirates (AE): high income');
      expect(warning).toContain('Brazil (BR): upper-middle income');
      expect(warning).toContain('World Bank FY2026');
    });

    it('says so when a target has no classification', () => {
      expect(warningsFor('dfc_equity', ['VE'])).toEqual([expect.stringContaining('(VE): not classified')]);
    });

    // The compiled FY2026 list this edition replaced had Ethiopia as low income (no warning there);
    // the World Bank's CLASS file leaves it unclassified for FY26.
    it('warns for Ethiopia, unclassified in the FY2026 edition, citing the edition', () => {
      const [warning] = warningsFor('dfc_equity', ['ET']);

      expect(warning).toContain('Ethiopia (ET): not classified');
      expect(warning).toContain('World Bank FY2026');
    });

    it('warns when there is no target market to check', () => {
      expect(warningsFor('dfc_cofinancing', [])).toEqual([expect.stringContaining('names no target market')]);
    });

    it('does not apply to other agencies', () => {
      expect(warningsFor('exim_direct_loan', ['AE'])).toEqual([]);
    });
  });

  describe('one need requested from two agencies', () => {
    it('warns on both an EXIM loan guarantee and a DFC loan guaranty', () => {
      const [exim, dfc] = routes([{ instrumentId: 'exim_loan_guarantee' }, { instrumentId: 'dfc_loan_guaranty' }]);

      expect(exim.warnings).toEqual([expect.stringContaining('Direct loan / loan guaranty (DFC)')]);
      expect(dfc.warnings).toEqual([expect.stringContaining('Loan guarantee (medium/long-term buyer financing) (EXIM)')]);
      expect(exim.warnings[0]).toContain('debt financing for the project or the foreign buyer');
    });

    it('warns on exporter working capital from EXIM and SBA', () => {
      const suggestions = routes([{ instrumentId: 'exim_working_capital' }, { instrumentId: 'sba_oit_export_loans' }]);

      for (const suggestion of suggestions)
        expect(suggestion.warnings).toContainEqual(expect.stringContaining('Also requested for the same need'));
    });

    it('does not warn for two instruments of the same agency', () => {
      const suggestions = routes([{ instrumentId: 'exim_direct_loan' }, { instrumentId: 'exim_loan_guarantee' }]);

      expect(suggestions.flatMap((suggestion) => suggestion.warnings)).toEqual([]);
    });

    it('does not treat export credit insurance and political risk insurance as one need', () => {
      const [, pri] = routes([{ instrumentId: 'exim_credit_insurance' }, { instrumentId: 'dfc_pri' }]);

      expect(pri.warnings).toEqual([]);
    });
  });

  it('combines warnings on one route', () => {
    const [, dfc] = routes([{ instrumentId: 'exim_direct_loan' }, { instrumentId: 'dfc_loan_guaranty' }], ['SG']);

    expect(dfc.warnings).toEqual([expect.stringContaining('22 U.S.C. 9612'), expect.stringContaining('(EXIM)')]);
  });
});

describe('routing reference data', () => {
  it('assigns a described need to every instrument in the catalogue', () => {
    const needs = loadFinancingNeeds();

    const withoutNeed = FINANCING_INSTRUMENTS.filter((instrument) => needs.needs[needs.instruments[instrument.id] ?? ''] === undefined);

    expect(withoutNeed.map((instrument) => instrument.id)).toEqual([]);
  });

  it('loads the current FY2026 income classification (data/reference-editions.json) with its changes of July 2025', () => {
    const incomeGroups = loadCountryIncomeGroups();

    expect(incomeGroups).toMatchObject({ version: 'FY2026', source: 'World Bank country classifications by income level' });
    expect(incomeGroups.economies).toMatchObject({
      CR: 'HIC',
      NA: 'LMC',
      CV: 'UMC',
      WS: 'UMC',
      KE: 'LMC',
      IN: 'LMC',
      BR: 'UMC',
      US: 'HIC',
    });
    // 218 economies: Ethiopia and Venezuela unclassified, Kosovo and the Channel Islands without an ISO alpha-2 code.
    expect(Object.keys(incomeGroups.economies)).toHaveLength(214);
    expect(incomeGroups.economies.ET).toBeUndefined();
  });

  describe('parseCountryIncomeGroups (the import check)', () => {
    const HEADER = 'iso3,iso2,name,income_group,fiscal_year\n';
    const edition = { source: 'World Bank', edition: 'FY2027' };

    it('refuses rows of another fiscal year, unknown groups and repeated codes, naming each line', () => {
      const csv = HEADER + 'KEN,KE,Kenya,Lower-middle,FY2026\nBRA,BR,Brazil,Middle,FY2027\nKEN,KX,Again,Low,FY2027\n';

      expect(() => parseCountryIncomeGroups(csv, edition)).toThrow(
        /line 2: fiscal year "FY2026" is not the edition FY2027[\s\S]*line 3: unknown income group "Middle"[\s\S]*line 4: "KEN" is not a new/,
      );
    });

    it('keeps economies without an ISO alpha-2 code out, and Namibia (NA) in', () => {
      const csv = HEADER + 'XKX,,Kosovo,Upper-middle,FY2027\nNAM,NA,Namibia,Lower-middle,FY2027\n';

      expect(parseCountryIncomeGroups(csv, edition).economies).toEqual({ NA: 'LMC' });
    });
  });
});
