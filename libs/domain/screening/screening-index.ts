import type { ScreeningEntry } from './csl-csv';
import { DEFAULT_MATCH_THRESHOLD, normalisedSimilarity } from './name-match';
import { normaliseName, type NormalisedName } from './normalize';

/** A listed entry a party name may be (docs/spec.md section 2.2: a possible match opens a SCREENING_ADJUDICATION task). */
export interface PartyMatch {
  /** The party name as screened. */
  party: string;
  entryId: string;
  source: string;
  /** The entry's primary name. */
  listedName: string;
  /** The name or alternate name of the entry that matched best. */
  matchedName: string;
  score: number;
}

interface ListedName {
  entry: ScreeningEntry;
  name: string;
  normalised: NormalisedName;
}

/**
 * The Consolidated Screening List in memory, for screening party names (docs/spec.md section 2.2). Candidates are
 * the listed names that share a word with the party name (compared by transliteration key, so
 * "Kharitonov" finds "Haritonov") or are the same letters however spaced; of those, only names
 * that can still reach the threshold are scored in full. A listed name sharing no word at all
 * (every word paired only as an abbreviation, initials or a near miss) is not found; such a pair
 * scores at most 0.9, and the unit tests check that no labeled pair of data/name-match-pairs.csv
 * the matcher accepts is lost this way.
 */
export class ScreeningIndex {
  private readonly names: ListedName[] = [];
  /** Transliteration key of a word -> the listed names (indexes into `names`) that contain it. */
  private readonly byWord = new Map<string, number[]>();
  /** Letters of a reading run together -> the listed names with that reading. */
  private readonly byCompact = new Map<string, number[]>();
  private entryCount = 0;

  constructor(entries: Iterable<ScreeningEntry>) {
    for (const entry of entries) {
      this.entryCount++;
      for (const name of new Set([entry.name, ...entry.altNames])) this.add(entry, name);
    }
  }

  /** Number of entries listed. */
  get size(): number {
    return this.entryCount;
  }

  private add(entry: ScreeningEntry, name: string): void {
    const normalised = normaliseName(name, { individual: entry.type === 'Individual' });
    if (normalised.forms.length === 0) return;
    const id = this.names.push({ entry, name, normalised }) - 1;
    const post = (index: Map<string, number[]>, key: string): void => {
      const postings = index.get(key);
      if (!postings) index.set(key, [id]);
      // Readings of one name share words: keep each name once per key.
      else if (postings[postings.length - 1] !== id) postings.push(id);
    };
    for (const form of normalised.forms) {
      form.keys.forEach((key) => post(this.byWord, key));
      post(this.byCompact, form.compact);
    }
  }

  /**
   * The entries a party name may be, best first, one per entry (its best-scoring name; the primary
   * name when an alternate name scores the same), each scoring at least `threshold`.
   */
  screen(partyName: string, threshold = DEFAULT_MATCH_THRESHOLD): PartyMatch[] {
    const party = normaliseName(partyName);
    const candidates = new Set<number>();
    for (const form of party.forms) {
      for (const key of form.keys) this.byWord.get(key)?.forEach((id) => candidates.add(id));
      this.byCompact.get(form.compact)?.forEach((id) => candidates.add(id));
    }
    const best = new Map<string, PartyMatch>();
    // In list order, so that of equally good names of an entry its primary name (added first) is kept.
    for (const id of [...candidates].sort((x, y) => x - y)) {
      const { entry, name, normalised } = this.names[id];
      const score = normalisedSimilarity(party, normalised, threshold);
      if (score < threshold || (best.get(entry.entryId)?.score ?? -1) >= score) continue;
      best.set(entry.entryId, {
        party: partyName,
        entryId: entry.entryId,
        source: entry.source,
        listedName: entry.name,
        matchedName: name,
        score,
      });
    }
    return [...best.values()].sort((a, b) => b.score - a.score || a.entryId.localeCompare(b.entryId));
  }
}
