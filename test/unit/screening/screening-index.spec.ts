import { createReadStream } from 'node:fs';
import { DEFAULT_MATCH_THRESHOLD, nameSimilarity, parseCslCsv, ScreeningIndex, type ScreeningEntry } from '../../../libs/domain/screening';
import { dataFile } from '../../../libs/reference-data';
import { loadLabeledPairs } from '../../../scripts/screening-quality';

async function loadList(file: string): Promise<ScreeningEntry[]> {
  const entries: ScreeningEntry[] = [];
  for await (const entry of parseCslCsv(createReadStream(dataFile(file)))) entries.push(entry);
  return entries;
}

const entry = (entryId: string, name: string, altNames: string[] = []): ScreeningEntry => ({
  entryId,
  source: 'Test list',
  type: 'Entity',
  name,
  altNames,
  programs: [],
  countries: [],
});

describe('ScreeningIndex on the sample list (docs/spec.md section 2.2)', () => {
  let index: ScreeningIndex;
  beforeAll(async () => {
    index = new ScreeningIndex(await loadList('csl-sample.csv'));
  });

  it('counts its entries', () => {
    expect(index.size).toBe(11);
  });

  it('finds Huawei for "technologies huawei co ltd": word order, case and legal suffix do not matter', () => {
    const [match, ...others] = index.screen('technologies huawei co ltd');
    expect(match).toMatchObject({
      party: 'technologies huawei co ltd',
      entryId: 'sample-el-0001',
      source: 'Entity List (EL) - Bureau of Industry and Security',
      listedName: 'Huawei Technologies Co., Ltd.',
      score: 1,
    });
    expect(others).toEqual([]);
  });

  it.each([
    ['Sugon', 'sample-el-0005'],
    ['SMIC', 'sample-el-0002'],
    ['IRGC', 'sample-sdn-0002'],
    ['Northwind Trading', 'sample-fict-0001'],
  ])('scores an alias hit ("%s") 1.0 and names the alias that matched', (alias, entryId) => {
    const [match] = index.screen(alias);
    expect(match).toMatchObject({ entryId, matchedName: alias, score: 1 });
  });

  it('finds a Cyrillic spelling of a listed name', () => {
    expect(index.screen('АО «Рособоронэкспорт»')[0]).toMatchObject({ entryId: 'sample-sdn-0001', score: 1 });
  });

  it('returns one match per entry, the best of its names (the primary name on a tie)', () => {
    const matches = index.screen('Huawei Technologies');
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({ entryId: 'sample-el-0001', matchedName: 'Huawei Technologies Co., Ltd.', score: 1 });
    expect(index.screen('Dawning Information Industry Company')[0]).toMatchObject({ entryId: 'sample-el-0005', score: 1 });
  });

  it('returns nothing for a party that is not listed', () => {
    expect(index.screen('Acme Cloud Systems, Inc.')).toEqual([]);
    expect(index.screen('')).toEqual([]);
  });

  it('applies the threshold given, best first', () => {
    const loose = index.screen('Meridian Advanced Computing Ltd', 0.5);
    expect(loose.map((m) => m.entryId)).toContain('sample-fict-0002');
    const scores = loose.map((m) => m.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores.every((s) => s >= 0.5)).toBe(true);
    expect(index.screen('Meridian Advanced Computing Ltd', 0.99)).toEqual([]);
  });
});

describe('ScreeningIndex candidate blocking', () => {
  it('finds every labeled pair the matcher itself scores at or above the threshold', () => {
    const pairs = loadLabeledPairs();
    const index = new ScreeningIndex(pairs.map((pair, i) => entry(`pair-${i}`, pair.name2)));
    pairs.forEach((pair, i) => {
      const expected = nameSimilarity(pair.name1, pair.name2) >= DEFAULT_MATCH_THRESHOLD;
      const found = index.screen(pair.name1).some((match) => match.entryId === `pair-${i}`);
      expect({ pair: i, found }).toEqual({ pair: i, found: expected });
    });
  });
});

describe('ScreeningIndex on the 2019 OFAC SDN list (7,379 real entries)', () => {
  let index: ScreeningIndex;
  beforeAll(async () => {
    index = new ScreeningIndex(await loadList('csl-ofac-sdn-2019.csv'));
  });

  it.each([
    ['Banco Nacional de Cuba', 'BANCO NACIONAL DE CUBA'],
    ['National Bank of Cuba', 'BANCO NACIONAL DE CUBA'],
    ['Mahan Air', 'MAHAN AIR'],
    ['Kim Jong Un', 'KIM, Jong Un'],
    ['Walter Escobar Buitrago', 'ESCOBAR BUITRAGO, Walter'],
  ])('finds %s', (party, listedName) => {
    expect(index.screen(party)[0]).toMatchObject({ listedName, score: 1 });
  });

  it.each([
    'Acme Cloud Systems, Inc.',
    'Microsoft Corporation',
    'Pacific Gateway Data Centers LLC',
    'Blue Ridge Semiconductor Corporation',
    'Oracle America, Inc.',
    'Cisco Systems, Inc.',
    'General Electric Company',
    // Listed persons' surnames are not a listed company: "SURNAME, Given" has no head reading.
    'Escobar Buitrago Ltda',
  ])('raises no possible match for the unlisted %s', (party) => {
    expect(index.screen(party)).toEqual([]);
  });
});
