import tables from '../../../data/name-normalisation.json';
import {
  countryCodeOf,
  NAME_NORMALISATION_VERSION,
  normaliseName,
  normaliseText,
  transliterationKey,
} from '../../../libs/domain/screening';

const readings = (name: string): string[][] => normaliseName(name).forms.map((form) => [...form.tokens]);

describe('normaliseText (docs/spec.md section 2.2: case, punctuation, legal suffixes, accents, scripts)', () => {
  it.each([
    ['HUAWEI TECHNOLOGIES CO., LTD.', 'huawei technologies'],
    ['Huawei Technologies Co.,Ltd', 'huawei technologies'],
    ['Huawei Technologies Company Limited', 'huawei technologies'],
    ['Olvetra Polska Sp. z o.o.', 'olvetra polska'],
    ['Olvetra Polska spółka z ograniczoną odpowiedzialnością', 'olvetra polska'],
    ['Tovarro Industries de México, S.A. de C.V.', 'tovarro industries mexico'],
    ['PT Sinar Kenari Abadi', 'sinar kenari abadi'],
    ['Sinar Kenari Abadi Perseroan Terbatas', 'sinar kenari abadi'],
    ['Société Générale d’Équipement', 'generale dequipement'],
    ['ООО «Ромашка»', 'romashka'],
    ['Рособоронэкспорт', 'rosoboroneksport'],
    ['M/V PELGARRA GLORY', 'pelgarra glory'],
    ['Harrowvane Intl Freight Svcs', 'harrowvane international freight services'],
    ['N.K. Bansal & Co.', 'nk bansal'],
    ['N K Bansal and Co', 'nk bansal'],
    ['Hoshikaze Maru No. 8', 'hoshikaze maru 8'],
    ['BENEFICIARY: Sarıkaya Hububat Ltd. Şti.', 'sarikaya hububat'],
  ])('%s -> %s', (name, expected) => {
    expect(normaliseText(name)).toBe(expected);
  });

  it('keeps a name that is nothing but a legal form or connecting words', () => {
    expect(normaliseText('Company Limited')).toBe('company limited');
    expect(normaliseText('The And')).toBe('the and');
  });
});

describe('normaliseName readings', () => {
  it('is independent of word order', () => {
    const [a] = normaliseName('SUARL Keita Distribution').forms;
    const [b] = normaliseName('Distribution Keita SUARL').forms;
    expect(a.orderFreeKey).toBe(b.orderFreeKey);
  });

  it('runs words together so a missing space still matches', () => {
    expect(normaliseName('GroupeDiarraImportExport').forms[0].compact).toBe(normaliseName('Groupe Diarra Import-Export').forms[0].compact);
  });

  it('reads a bracketed former name as another name, and drops other bracketed annotations', () => {
    expect(readings('Ocean Pioneer (ex-Cape Diamond)')).toContainEqual(['cape', 'diamond']);
    expect(readings('Muheza Sisal Estates Ltd (Korogwe Branch)')[0]).toEqual(['muheza', 'sisal', 'estates']);
  });

  it('keeps a bracketed country: it names a different subsidiary', () => {
    expect(readings('Marrowby Chemicals (Thailand) Co., Ltd.')[0]).toEqual(['marrowby', 'chemicals', 'thailand']);
  });

  it('also reads the head before an annotation separator, when it has two words or more', () => {
    expect(readings('MV Soja Paranaense, Santos')).toContainEqual(['soja', 'paranaense']);
    expect(readings('Tidewell Process Equipment Inc, 12250 Brevard Ln, Pasadena TX 77506')).toContainEqual([
      'tidewell',
      'process',
      'equipment',
    ]);
    expect(readings('RIM, Ryong Nam')).toEqual([['rim', 'ryong', 'nam']]);
  });

  it("reads a person's name whole: the comma separates surname and given names", () => {
    expect(readings('ESCOBAR BUITRAGO, Walter')).toContainEqual(['escobar', 'buitrago']);
    expect(normaliseName('ESCOBAR BUITRAGO, Walter', { individual: true }).forms.map((f) => f.tokens)).toEqual([
      ['escobar', 'buitrago', 'walter'],
    ]);
  });

  it('records where national legal forms are registered; English forms are generic', () => {
    expect([...normaliseName('Kessendorf GmbH').legalFormCountries]).toContain('DE');
    expect([...normaliseName('Korvessa Industrial Sdn. Bhd.').legalFormCountries]).toEqual(['MY', 'BN']);
    expect(normaliseName('Huawei Technologies Co., Ltd.').legalFormCountries.size).toBe(0);
    expect(normaliseName('Tõrva Puidutöö Ltd').legalFormCountries.size).toBe(0);
  });
});

describe('transliterationKey', () => {
  it.each([
    ['kharitonov', 'haritonov'],
    ['zavyalov', 'zavjalov'],
    ['levitsky', 'levitskiy'],
    ['zhelvinsky', 'jelvinskiy'],
    ['verkhnyaya', 'werchnjaja'],
    ['kipkorir', 'kipkorrir'],
    ['qasr', 'kasr'],
  ])('%s and %s share a key', (a, b) => {
    expect(transliterationKey(a)).toBe(transliterationKey(b));
  });

  it.each([
    ['jinqiao', 'yinqiao'],
    ['star', 'stars'],
    ['11', '1'],
    ['ii', 'i'],
  ])('%s and %s do not', (a, b) => {
    expect(transliterationKey(a)).not.toBe(transliterationKey(b));
  });
});

describe('countryCodeOf', () => {
  it.each([
    ['CN', 'CN'],
    ['China', 'CN'],
    ['Polska', 'PL'],
    ['Brasil', 'BR'],
    ['Korea, North', 'KP'],
    ['Burma', 'MM'],
    ['UK', 'GB'],
    ['Germany', 'DE'],
  ])('%s -> %s', (text, code) => {
    expect(countryCodeOf(text)).toBe(code);
  });

  it('is undefined for text that names no country', () => {
    expect(countryCodeOf('Narnia')).toBeUndefined();
    expect(countryCodeOf('ZZ')).toBeUndefined();
  });
});

it('exposes the version of the word tables so a screening can record it', () => {
  expect(NAME_NORMALISATION_VERSION).toBe(tables.version);
});
