import { isNumeral, normaliseName, type NameForm, type NormalisedName, type TokenKind } from './normalize';

/**
 * Score at or above which a party name is a possible match to a listed name and opens a
 * SCREENING_ADJUDICATION task (docs/spec.md section 2.2). Tuned on data/name-match-pairs.csv with
 * `node dist/scripts/screening-quality.js` (precision 0.99, recall 0.82, F1 0.90 there; recall is
 * the same anywhere from 0.80 to 0.95, and below 0.90 names with one extra word, such as a holding
 * or a national subsidiary, start to count as the same party).
 */
export const DEFAULT_MATCH_THRESHOLD = 0.9;

/** Jaro-Winkler similarity in [0,1] (no installed package offers it). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j <= Math.min(b.length - 1, i + window); j++) {
      if (!bMatched[j] && a[i] === b[j]) {
        aMatched[i] = bMatched[j] = true;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j++]) transpositions++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Word scores: equal under transliteration, abbreviation ("Ind." / "Industria"), initial ("R." / "Renzo"), otherwise a discounted Jaro-Winkler. */
const TRANSLITERATION_EQUAL = 0.95;
const ABBREVIATION = 0.9;
const INITIAL = 0.85;
/**
 * Below this Jaro-Winkler two words are unrelated. Above it, the score rises to NEAR_MISS_CEILING at
 * 1.0: a one-letter change in a real word ("Exports"/"Experts", "Lixing"/"Lixin") usually names
 * another company, so it counts well below an equal word.
 */
const NEAR_MISS_FLOOR = 0.8;
const NEAR_MISS_CEILING = 0.6;
/** Two names registered under national legal forms of different countries are different companies. */
const OTHER_JURISDICTION_FACTOR = 0.8;

/** Similarity of token i of reading a and token j of reading b. */
function tokenSimilarity(a: NameForm, i: number, b: NameForm, j: number): number {
  const [aToken, bToken] = [a.tokens[i], b.tokens[j]];
  if (aToken === bToken) return 1;
  if (isNumeral(aToken) || isNumeral(bToken)) return 0;
  if (a.keys[i] === b.keys[j]) return TRANSLITERATION_EQUAL;
  const abbreviates = (short: string, shortKind: TokenKind, long: string): boolean =>
    (shortKind === 'abbreviation' || short.length === 1) && long.startsWith(short);
  if (abbreviates(aToken, a.kinds[i], bToken) || abbreviates(bToken, b.kinds[j], aToken)) {
    return aToken.length === 1 || bToken.length === 1 ? INITIAL : ABBREVIATION;
  }
  const similarity = jaroWinkler(a.keys[i], b.keys[j]);
  return similarity <= NEAR_MISS_FLOOR ? 0 : ((similarity - NEAR_MISS_FLOOR) / (1 - NEAR_MISS_FLOOR)) * NEAR_MISS_CEILING;
}

interface Pairing {
  a: number[];
  b: number[];
  similarity: number;
}

interface MultiWordPairing {
  short: number;
  long: number[];
  similarity: number;
}

/**
 * Pairings of one word of `short` with several adjacent words of `long`: run together
 * ("Wirralong" / "Wirra long") or spelled by initials ("I. P." / "Ivan Petrovich").
 */
function multiWordPairings(short: NameForm, long: NameForm): MultiWordPairing[] {
  const pairings: MultiWordPairing[] = [];
  short.tokens.forEach((token, i) => {
    for (let j = 0; j + 1 < long.tokens.length; j++) {
      if (token === long.tokens[j] + long.tokens[j + 1]) pairings.push({ short: i, long: [j, j + 1], similarity: 1 });
    }
    if (short.kinds[i] !== 'initials') return;
    for (let j = 0; j + token.length <= long.tokens.length; j++) {
      const spelled = Array.from({ length: token.length }, (_, n) => j + n);
      if (spelled.every((k, n) => long.tokens[k][0] === token[n])) pairings.push({ short: i, long: spelled, similarity: INITIAL });
    }
  });
  return pairings;
}

function candidatePairings(a: NameForm, b: NameForm): Pairing[] {
  const pairings: Pairing[] = [];
  for (let i = 0; i < a.tokens.length; i++) {
    for (let j = 0; j < b.tokens.length; j++) {
      const similarity = tokenSimilarity(a, i, b, j);
      if (similarity > 0) pairings.push({ a: [i], b: [j], similarity });
    }
  }
  for (const p of multiWordPairings(a, b)) pairings.push({ a: [p.short], b: p.long, similarity: p.similarity });
  for (const p of multiWordPairings(b, a)) pairings.push({ a: p.long, b: [p.short], similarity: p.similarity });
  return pairings;
}

/**
 * Similarity of two readings: 1 when they are the same words in any order or the same letters
 * however spaced; otherwise each word is paired with its best counterpart (greedy best-first, words
 * in any order) and the score is the share of both names' words that found a counterpart, weighted
 * by how well they match. Words without a counterpart (a missing or extra word) lower the score.
 */
export function formSimilarity(a: NameForm, b: NameForm): number {
  if (a.compact === b.compact || a.orderFreeKey === b.orderFreeKey) return 1;
  const pairings = candidatePairings(a, b).sort((x, y) => y.similarity - x.similarity);
  const aUsed = new Set<number>();
  const bUsed = new Set<number>();
  let matched = 0;
  for (const pairing of pairings) {
    if (pairing.a.some((i) => aUsed.has(i)) || pairing.b.some((j) => bUsed.has(j))) continue;
    pairing.a.forEach((i) => aUsed.add(i));
    pairing.b.forEach((j) => bUsed.add(j));
    matched += pairing.similarity * (pairing.a.length + pairing.b.length);
  }
  return matched / (a.tokens.length + b.tokens.length);
}

/**
 * The most one token can contribute to formSimilarity, found with string tests only (no
 * Jaro-Winkler): 1 when the other reading has its key or it runs together with a neighbour into a
 * word there (or the reverse); ABBREVIATION when an abbreviation or initial could pair it; else the
 * near-miss ceiling (numbers: 0). Lets the index skip names that cannot reach the threshold.
 */
function tokenCeiling(form: NameForm, i: number, other: NameForm): number {
  const token = form.tokens[i];
  const otherTokens = other.tokens;
  if (other.keys.includes(form.keys[i])) return 1;
  const joinsNeighbour = (neighbour: string | undefined, joined: (n: string) => string): boolean =>
    neighbour !== undefined && otherTokens.includes(joined(neighbour));
  const runsTogether =
    joinsNeighbour(form.tokens[i - 1], (n) => n + token) ||
    joinsNeighbour(form.tokens[i + 1], (n) => token + n) ||
    otherTokens.some((t, j) => j + 1 < otherTokens.length && token === t + otherTokens[j + 1]);
  if (runsTogether) return 1;
  const couldAbbreviate =
    form.kinds[i] !== 'word' || token.length === 1 || other.kinds.some((kind, j) => kind !== 'word' || otherTokens[j].length === 1);
  if (couldAbbreviate) return ABBREVIATION;
  return isNumeral(token) ? 0 : NEAR_MISS_CEILING;
}

/** An upper bound of formSimilarity(a, b): each token at its ceiling. */
function formSimilarityCeiling(a: NameForm, b: NameForm): number {
  if (a.compact === b.compact || a.orderFreeKey === b.orderFreeKey) return 1;
  let ceiling = 0;
  a.tokens.forEach((_, i) => (ceiling += tokenCeiling(a, i, b)));
  b.tokens.forEach((_, j) => (ceiling += tokenCeiling(b, j, a)));
  return ceiling / (a.tokens.length + b.tokens.length);
}

const sharesCountry = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => [...a].some((country) => b.has(country));

/**
 * Similarity of two normalised names: the best pair of readings, lowered when legal forms place
 * them in different countries. With `atLeast`, pairs of readings that cannot reach it are not
 * scored: a result below `atLeast` then only says the similarity is below it.
 */
export function normalisedSimilarity(a: NormalisedName, b: NormalisedName, atLeast = 0): number {
  const otherJurisdiction =
    a.legalFormCountries.size > 0 && b.legalFormCountries.size > 0 && !sharesCountry(a.legalFormCountries, b.legalFormCountries);
  const factor = otherJurisdiction ? OTHER_JURISDICTION_FACTOR : 1;
  let best = 0;
  for (const aForm of a.forms) {
    for (const bForm of b.forms) {
      const ceiling = formSimilarityCeiling(aForm, bForm) * factor;
      if (ceiling > best && ceiling >= atLeast) best = Math.max(best, formSimilarity(aForm, bForm) * factor);
    }
  }
  return best;
}

/** Similarity in [0,1] of two party names; 1.0 when they are the same after normalisation. */
export function nameSimilarity(a: string, b: string): number {
  return normalisedSimilarity(normaliseName(a), normaliseName(b));
}
