import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DEFAULT_MATCH_THRESHOLD, NAME_NORMALISATION_VERSION, nameSimilarity } from '../libs/domain/screening';
import { dataFile } from '../libs/reference-data';

/**
 * `node dist/scripts/screening-quality.js`: precision and recall of the party-name matcher (docs/spec.md section 2.2)
 * on the labeled pairs in data/name-match-pairs.csv, next to the reference matcher whose own scores
 * the file carries (its `score` column at 0.70, as data/README.md reports). Prints Markdown.
 */

/** The reference matcher's operating point as data/README.md reports it. */
export const REFERENCE_THRESHOLD = 0.7;

export interface LabeledPair {
  category: string;
  name1: string;
  name2: string;
  isMatch: boolean;
  /** The reference matcher's score from the file. */
  referenceScore: number;
}

export interface Quality {
  pairs: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

export function loadLabeledPairs(path = dataFile('name-match-pairs.csv')): LabeledPair[] {
  const rows: Record<string, string>[] = parse(readFileSync(path), { columns: true, skip_empty_lines: true });
  return rows.map((row) => ({
    category: row.category,
    name1: row.name1,
    name2: row.name2,
    isMatch: row.is_match === 'true',
    referenceScore: Number(row.score),
  }));
}

/** Precision, recall and F1 of predictions (true = "possible match") against the labels. */
export function quality(labels: readonly boolean[], predictions: readonly boolean[]): Quality {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  labels.forEach((isMatch, i) => {
    if (predictions[i] && isMatch) truePositives++;
    else if (predictions[i]) falsePositives++;
    else if (isMatch) falseNegatives++;
  });
  // With nothing predicted (or nothing to find) a ratio is undefined: NaN, printed as "–".
  const ratio = (n: number, d: number): number => (d === 0 ? Number.NaN : n / d);
  const precision = ratio(truePositives, truePositives + falsePositives);
  const recall = ratio(truePositives, truePositives + falseNegatives);
  const f1 = ratio(2 * precision * recall, precision + recall);
  return { pairs: labels.length, truePositives, falsePositives, falseNegatives, precision, recall, f1 };
}

export interface ScoredPair extends LabeledPair {
  score: number;
}

export const scorePairs = (pairs: readonly LabeledPair[]): ScoredPair[] =>
  pairs.map((pair) => ({ ...pair, score: nameSimilarity(pair.name1, pair.name2) }));

/** Our matcher and the reference matcher, each at its threshold, over a set of scored pairs. */
export function compare(pairs: readonly ScoredPair[], threshold = DEFAULT_MATCH_THRESHOLD): { ours: Quality; reference: Quality } {
  const labels = pairs.map((p) => p.isMatch);
  return {
    ours: quality(
      labels,
      pairs.map((p) => p.score >= threshold),
    ),
    reference: quality(
      labels,
      pairs.map((p) => p.referenceScore >= REFERENCE_THRESHOLD),
    ),
  };
}

const fixed = (n: number): string => (Number.isNaN(n) ? '–' : n.toFixed(2));
const triple = (q: Quality): string => `${fixed(q.precision)} / ${fixed(q.recall)} / ${fixed(q.f1)}`;

function markdownTable(scored: readonly ScoredPair[], threshold: number): string {
  const groups = new Map<string, ScoredPair[]>([['**overall**', [...scored]]]);
  for (const pair of [...scored].sort((x, y) => x.category.localeCompare(y.category))) {
    groups.set(pair.category, [...(groups.get(pair.category) ?? []), pair]);
  }
  const lines = [
    `| category | match / non-match pairs | matches found | false alarms | precision / recall / F1 @ ${fixed(threshold)} | reference P / R / F1 @ ${fixed(REFERENCE_THRESHOLD)} |`,
    '|---|---|---|---|---|---|',
  ];
  for (const [category, pairs] of groups) {
    const { ours, reference } = compare(pairs, threshold);
    const matches = pairs.filter((p) => p.isMatch).length;
    lines.push(
      `| ${category} | ${matches} / ${pairs.length - matches} | ${ours.truePositives} / ${matches} | ${ours.falsePositives} | ${triple(ours)} | ${triple(reference)} |`,
    );
  }
  return lines.join('\n');
}

function thresholdSweep(scored: readonly ScoredPair[]): string {
  const lines = ['| threshold | precision | recall | F1 |', '|---|---|---|---|'];
  for (let percent = 70; percent <= 95; percent += 5) {
    const threshold = percent / 100;
    const { ours } = compare(scored, threshold);
    lines.push(`| ${fixed(threshold)} | ${triple(ours).replace(/ \/ /g, ' | ')} |`);
  }
  return lines.join('\n');
}

function main(): void {
  const scored = scorePairs(loadLabeledPairs());
  const threshold = DEFAULT_MATCH_THRESHOLD;
  const { ours, reference } = compare(scored, threshold);
  const misses = scored.filter((p) => p.isMatch !== p.score >= threshold);
  console.log(`### Party-name matching quality (data/name-match-pairs.csv, normalisation tables ${NAME_NORMALISATION_VERSION})\n`);
  console.log(
    `Threshold ${fixed(threshold)}: precision / recall / F1 ${triple(ours)} ` +
      `(${ours.truePositives} TP, ${ours.falsePositives} FP, ${ours.falseNegatives} FN of ${ours.pairs} pairs). ` +
      `Reference matcher at ${fixed(REFERENCE_THRESHOLD)}: ${triple(reference)}.\n`,
  );
  console.log(markdownTable(scored, threshold));
  console.log('\nThreshold sweep (overall):\n');
  console.log(thresholdSweep(scored));
  if (process.argv.includes('--errors')) {
    console.log('\nMisclassified pairs:\n');
    for (const p of misses) console.log(`- ${p.isMatch ? 'FN' : 'FP'} ${p.score.toFixed(3)} [${p.category}] ${p.name1} | ${p.name2}`);
  }
}

if (require.main === module) main();
