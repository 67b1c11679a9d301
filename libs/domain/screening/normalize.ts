import anyAscii from 'any-ascii';
import tables from '../../../data/name-normalisation.json';

/**
 * Party-name normalisation for Consolidated Screening List matching (docs/spec.md section 2.2: case, punctuation,
 * legal suffixes such as "Co., Ltd.", word order, alternate names). The word tables live in
 * data/name-normalisation.json; record NAME_NORMALISATION_VERSION with each screening so a result
 * can be reproduced.
 */
export const NAME_NORMALISATION_VERSION: string = tables.version;

/** One reading of a name, ready for comparison. */
export interface NameForm {
  /** Distinctive words in order: legal forms, connecting words and vessel prefixes removed. */
  readonly tokens: readonly string[];
  /** Transliteration key of each token (see transliterationKey). */
  readonly keys: readonly string[];
  /** Per token: how it was written (see TokenKind). */
  readonly kinds: readonly TokenKind[];
  /** The words run together, connecting words kept: "EtsKoffietFreres" = "Ets Koffi et Freres". */
  readonly compact: string;
  /** Sorted keys: the same for any word order ("SUARL Keita Distribution" = "Keita Distribution SUARL"). */
  readonly orderFreeKey: string;
}

export interface NormalisedName {
  /** The readings compared, main reading first: without annotations, as written, its head, former names. */
  readonly forms: readonly NameForm[];
  /**
   * Countries where the national legal forms found in the name are registered (GmbH: DE, AT, ...).
   * Empty when the name has no legal form or only English/generic ones (Ltd, LLC, JSC).
   */
  readonly legalFormCountries: ReadonlySet<string>;
}

/**
 * How a token was written: `abbreviation` when a dot followed a word ("Ind.", "Comm."), `initials`
 * when it was joined from single letters ("I. P." -> "ip"), otherwise `word`.
 */
export type TokenKind = 'word' | 'abbreviation' | 'initials';

/** A word as tokenised. */
interface Word {
  text: string;
  kind: TokenKind;
}

/**
 * Transliterates to Latin, splits camel case ("GroupeDiarraImportExport"), lower-cases and splits
 * into words. Runs of single letters are joined into initials however they are written ("N.K.",
 * "N. K.", "N K" -> "nk"; "S.A." -> "sa"; "M/V" -> "mv"), and other dots inside a word are dropped
 * ("F.lli" -> "flli").
 */
function tokenise(text: string): Word[] {
  const cleaned = anyAscii(text)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['"`]/g, '')
    .replace(/_/g, ' ')
    .replace(/\b[a-z](?:\/[a-z])+\b/g, (letters) => letters.replace(/\//g, ''))
    // "N.K.", "o.o.": one group of initials, marked with "_" so it does not merge with its neighbours.
    .replace(/\b[a-z](?:\.[a-z])+\b\.?/g, (letters) => `${letters.replace(/\./g, '')}_`)
    .replace(/([a-z])\.(?=[a-z])/g, '$1')
    .replace(/[^a-z0-9._]+/g, ' ');
  const words: Word[] = [];
  let previousWasLetter = false;
  for (const [, text, initialsMark, dot] of cleaned.matchAll(/([a-z0-9]+)(_?)(\.?)/g)) {
    const isLetter = text.length === 1 && text >= 'a' && text <= 'z' && !initialsMark;
    const previous = words[words.length - 1];
    if (isLetter && previousWasLetter && previous) {
      previous.text += text;
      previous.kind = 'initials';
    } else {
      const kind = initialsMark ? 'initials' : dot && text.length > 1 ? 'abbreviation' : 'word';
      words.push({ text, kind });
    }
    previousWasLetter = isLetter;
  }
  return words;
}

const wordsOf = (text: string): string[] => tokenise(text).map((w) => w.text);
const compactOf = (text: string): string => wordsOf(text).join('');
const wordSet = (list: readonly string[]): Set<string> => new Set(list.map(compactOf).filter(Boolean));

const LEGAL_FORM_GROUPS = tables.legalForms.groups;
/** English and generic forms: they may translate any national form, so they place a name nowhere. */
const GENERIC_LEGAL_FORMS = new Set(LEGAL_FORM_GROUPS.filter((g) => g.countries.length === 0).flatMap((g) => g.forms.map(compactOf)));
/** Legal forms keyed by their words run together, with the countries that register them. */
const LEGAL_FORMS = new Map<string, Set<string>>();
for (const group of LEGAL_FORM_GROUPS) {
  for (const form of group.forms) {
    const key = compactOf(form);
    const countries = LEGAL_FORMS.get(key) ?? new Set<string>();
    if (!GENERIC_LEGAL_FORMS.has(key)) group.countries.forEach((country) => countries.add(country));
    LEGAL_FORMS.set(key, countries);
  }
}
const LONGEST_LEGAL_FORM = Math.max(...LEGAL_FORM_GROUPS.flatMap((g) => g.forms.map((f) => wordsOf(f).length)));

const ABBREVIATIONS = new Map(Object.entries(tables.abbreviations.words).map(([short, long]) => [compactOf(short), wordsOf(long)]));
const STOP_WORDS = wordSet(tables.stopWords.words);
const VESSEL_PREFIXES = wordSet(tables.vesselPrefixes.words);
const COURTESY_TITLES = wordSet(tables.courtesyTitles.words);
const NUMBER_MARKERS = wordSet(tables.numberMarkers.words);
const FORMER_NAME_MARKERS = tables.formerNameMarkers.words.map(wordsOf);
const TRANSLITERATION_RULES = tables.transliterationEquivalents.rules.map(([from, to]) => [new RegExp(from, 'g'), to] as const);

const transliterationKeys = new Map<string, string>();

/** Numbers and roman numerals (to XXXIX) tell sister ships and numbered companies apart: compared only exactly. */
export const isNumeral = (word: string): boolean => /\d/.test(word) || /^(?=[ivx]+$)x{0,3}(ix|iv|v?i{0,3})$/.test(word);

/**
 * A word's comparison key: spellings that romanisation systems use for the same sound are mapped to
 * one ("Kharitonov"/"Haritonov", "Zavyalov"/"Zavjalov", "Levitsky"/"Levitskiy"), doubled letters
 * collapsed ("Kipkorrir"/"Kipkorir"); rules in data/name-normalisation.json. Memoised: a list
 * repeats the same words many times.
 */
export function transliterationKey(word: string): string {
  let key = transliterationKeys.get(word);
  if (key === undefined) {
    key = isNumeral(word) ? word : TRANSLITERATION_RULES.reduce((text, [from, to]) => text.replace(from, to), word);
    transliterationKeys.set(word, key);
  }
  return key;
}

/** Removes legal forms wherever they stand (prefix "PT", suffix "Sp. z o.o.", middle "S.a.s. di"); longest first. */
function stripLegalForms(words: Word[], countries: Set<string>): Word[] {
  const kept: Word[] = [];
  for (let i = 0; i < words.length;) {
    let matched = 0;
    for (let length = Math.min(LONGEST_LEGAL_FORM, words.length - i); length > 0 && !matched; length--) {
      const formCountries = LEGAL_FORMS.get(
        words
          .slice(i, i + length)
          .map((w) => w.text)
          .join(''),
      );
      if (formCountries) {
        formCountries.forEach((c) => countries.add(c));
        matched = length;
      }
    }
    if (matched) i += matched;
    else kept.push(words[i++]);
  }
  // A name that is nothing but a legal form ("Company Limited") keeps its words.
  return kept.length > 0 ? kept : words;
}

/** Builds a comparable form from a piece of name text; undefined when nothing distinctive is left. */
function formOf(text: string, legalFormCountries: Set<string>): NameForm | undefined {
  let words = tokenise(text);
  while (words.length > 1 && (VESSEL_PREFIXES.has(words[0].text) || COURTESY_TITLES.has(words[0].text))) words = words.slice(1);
  words = stripLegalForms(words, legalFormCountries).filter(
    (w, i, all) => !(NUMBER_MARKERS.has(w.text) && /^\d/.test(all[i + 1]?.text ?? '')),
  );
  words = words.flatMap((w) => ABBREVIATIONS.get(w.text)?.map((text): Word => ({ text, kind: 'word' })) ?? [w]);
  const compact = words.map((w) => w.text).join('');
  const distinctive = words.filter((w) => !STOP_WORDS.has(w.text));
  if (distinctive.length > 0) words = distinctive;
  if (words.length === 0) return undefined;
  const tokens = words.map((w) => w.text);
  const keys = tokens.map(transliterationKey);
  return { tokens, keys, kinds: words.map((w) => w.kind), compact, orderFreeKey: [...keys].sort().join(' ') };
}

/** "ex-Cape Diamond" -> "Cape Diamond" when bracketed text opens with a former-name marker. */
function formerName(bracketed: string): string | undefined {
  const words = wordsOf(bracketed);
  for (const marker of FORMER_NAME_MARKERS) {
    if (marker.length < words.length && marker.every((m, i) => words[i] === m)) {
      // Cut the raw text after the marker's last word so the former name keeps its own spelling.
      const markerEnd = new RegExp(`^\\W*${marker.map((m) => m.split('').join('\\W*')).join('\\W+')}\\W*`, 'i');
      return anyAscii(bracketed).replace(markerEnd, '');
    }
  }
  return undefined;
}

/** "FIELD 59: Blackwood Cattle" or "BENEFICIARY: X" in payment messages: the name follows the label. */
const PARTY_LABEL = /^\s*[^:]{1,30}:\s*(?=\S)/;
const ANNOTATION_SEPARATORS = tables.annotationSeparators.marks;

export interface NormaliseOptions {
  /**
   * The name is a person's: a comma separates surname and given names ("ESCOBAR BUITRAGO, Walter"),
   * so the part before it is no reading of its own.
   */
  individual?: boolean;
}

/**
 * The readings of a name that are compared: without bracketed annotations (port, flag, branch; a
 * bracketed country stays, "(Thailand)" marks a different subsidiary); as written; its head before
 * an annotation separator ("MV Soja Paranaense, Santos", "X Ltd - Malindi Branch", "X c/o Y") when
 * the head still has two words; and former names given in brackets ("(ex-Cape Diamond)").
 */
export function normaliseName(name: string, { individual = false }: NormaliseOptions = {}): NormalisedName {
  const legalFormCountries = new Set<string>();
  const labelled = PARTY_LABEL.exec(name);
  const withoutLabel = labelled && labelled[0].trim().split(/\s+/).length <= 3 ? name.slice(labelled[0].length) : name;
  const formerNames: string[] = [];
  const main = withoutLabel.replace(/[([]([^()[\]]*)[)\]]/g, (_bracket, inner: string) => {
    const former = formerName(inner);
    if (former) formerNames.push(former);
    return !former && countryCodeOf(inner) ? ` ${inner} ` : ' ';
  });
  const readings = [main, name].map((text) => ({ text, minTokens: 1 }));
  const separatorAt = Math.min(...ANNOTATION_SEPARATORS.map((mark) => main.indexOf(mark)).filter((i) => i > 0));
  // A one-word head is too little to stand for the name ("CECOEX, S.A.", "RIM, Ryong Nam").
  if (Number.isFinite(separatorAt) && !individual) readings.push({ text: main.slice(0, separatorAt), minTokens: 2 });
  readings.push(...formerNames.map((text) => ({ text, minTokens: 1 })));

  const forms: NameForm[] = [];
  const seen = new Set<string>();
  for (const { text, minTokens } of readings) {
    const form = formOf(text, legalFormCountries);
    if (!form || form.tokens.length < minTokens) continue;
    const identity = `${form.compact}|${form.orderFreeKey}`;
    if (!seen.has(identity)) forms.push(form);
    seen.add(identity);
  }
  return { forms, legalFormCountries };
}

/** The name as one normalised string (main reading): "Huawei Technologies Co., Ltd." -> "huawei technologies". */
export function normaliseText(name: string): string {
  return normaliseName(name).forms[0]?.tokens.join(' ') ?? '';
}

let countryNames: Map<string, string> | undefined;
let countryCodes: Set<string> | undefined;

/** The current code for a region code: deprecated ones map to their successor ("DD" -> "DE", "UK" -> "GB"). */
const canonicalRegion = (code: string): string => Intl.getCanonicalLocales(`und-${code}`)[0].slice('und-'.length);

/** Country names in the configured languages (CLDR via Intl.DisplayNames) and aliases, by their words. */
function countryNameIndex(): Map<string, string> {
  if (countryNames) return countryNames;
  countryNames = new Map<string, string>();
  const excluded = new Set(tables.nonCountryRegionCodes.codes);
  const letters = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
  const codes = letters.flatMap((a) => letters.map((b) => a + b)).filter((code) => !excluded.has(code) && canonicalRegion(code) === code);
  for (const language of tables.countryNameLanguages.languages) {
    const names = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
    for (const code of codes) {
      const label = names.of(code);
      if (!label || label === code) continue;
      // "Myanmar (Burma)": both the name and the bracketed one.
      for (const variant of [label, ...label.split(/[()]/)]) {
        const key = wordsOf(variant).join(' ');
        if (key && !countryNames.has(key)) countryNames.set(key, code);
      }
    }
  }
  for (const [alias, code] of Object.entries(tables.countryAliases.names)) countryNames.set(wordsOf(alias).join(' '), code);
  countryCodes = new Set(countryNames.values());
  return countryNames;
}

/**
 * The ISO 3166-1 alpha-2 code a piece of text names: a country name in one of the configured
 * languages ("China", "Polska", "Korea, North") or a code ("CN"; deprecated "UK" reads as "GB");
 * undefined otherwise.
 */
export function countryCodeOf(text: string): string | undefined {
  const trimmed = text.trim();
  const byName = countryNameIndex().get(wordsOf(trimmed).join(' '));
  if (byName) return byName;
  const code = /^[A-Z]{2}$/.test(trimmed) ? canonicalRegion(trimmed) : undefined;
  return code && countryCodes?.has(code) ? code : undefined;
}
