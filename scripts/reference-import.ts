import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseCountryIncomeGroups } from '../libs/domain/financing/routing';
import { parseSbaSizeStandards } from '../libs/domain/sba/size-standard';
import { dataFile } from '../libs/reference-data';
import {
  EDITIONS_MANIFEST,
  REFERENCE_DATASETS,
  type ReferenceDataset,
  type ReferenceEdition,
  type ReferenceEditionsManifest,
} from '../libs/reference-data/editions';

interface DatasetRules {
  source: string;
  title: string;
  url: string;
  /** What an edition is called, checked before anything is written. */
  edition: RegExp;
  effectiveOf(edition: string): string;
  /** Parses with the loader's own checks and says what was found. */
  check(text: string, edition: ReferenceEdition): string;
}

const DATASETS: Readonly<Record<ReferenceDataset, DatasetRules>> = {
  'sba-size-standards': {
    source: '13 CFR 121.201',
    title: 'SBA Table of Small Business Size Standards matched to NAICS codes',
    url: 'https://www.sba.gov/document/support-table-size-standards',
    // SBA names a table by the date it took effect.
    edition: /^\d{4}-\d{2}-\d{2}$/,
    effectiveOf: (edition) => edition,
    check(text, edition) {
      const standards = Object.values(parseSbaSizeStandards(text, edition).standards);
      const exceptions = standards.reduce((sum, s) => sum + (s?.exceptions?.length ?? 0), 0);
      return `${standards.length} NAICS codes, ${exceptions} exception rows`;
    },
  },
  'world-bank-income-groups': {
    source: 'World Bank country classifications by income level',
    title: 'World Bank country and lending groups (CLASS), list of economies',
    url: 'https://datahelpdesk.worldbank.org/knowledgebase/articles/906519-world-bank-country-and-lending-groups',
    edition: /^FY\d{4}$/,
    // The World Bank's fiscal year FYn runs from 1 July of year n-1.
    effectiveOf: (edition) => `${Number(edition.slice(2)) - 1}-07-01`,
    check(text, edition) {
      return `${Object.keys(parseCountryIncomeGroups(text, edition).economies).length} classified economies with an ISO alpha-2 code`;
    },
  },
};

const USAGE =
  'usage: npm run reference:import -- <dataset> <file.csv> --edition <edition> --provenance <notes.md>\n' +
  `  datasets: ${REFERENCE_DATASETS.join(', ')}; editions: YYYY-MM-DD (SBA's effective date) or FYyyyy (World Bank)`;

function isDataset(value: string | undefined): value is ReferenceDataset {
  return (REFERENCE_DATASETS as readonly (string | undefined)[]).includes(value);
}

/** Re-importing a file already in data/ must not copy it onto itself (which would truncate it). */
function copyInto(from: string, to: string): void {
  if (from !== to) copyFileSync(from, to);
}

function readManifest(): ReferenceEditionsManifest {
  const path = dataFile(EDITIONS_MANIFEST);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as ReferenceEditionsManifest;
  return { datasets: {} as ReferenceEditionsManifest['datasets'] };
}

/**
 * `npm run reference:import`: checks a new edition of a reference table with the same parser the
 * domain rules load it with, copies it and its provenance into data/ under the edition's name, and
 * makes it the current edition in data/reference-editions.json (earlier editions stay listed).
 */
function main(argv: string[]): void {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { edition: { type: 'string' }, provenance: { type: 'string' } },
  });
  const [dataset, file] = positionals;
  if (!isDataset(dataset) || !file || !values.edition || !values.provenance) throw new Error(USAGE);
  const rules = DATASETS[dataset];
  const editionName = values.edition;
  if (!rules.edition.test(editionName)) throw new Error(`${dataset}: edition "${editionName}" does not match ${rules.edition}\n${USAGE}`);

  const bytes = readFileSync(resolve(file));
  const slug = editionName.toLowerCase();
  const edition: ReferenceEdition = {
    edition: editionName,
    effective: rules.effectiveOf(editionName),
    source: rules.source,
    title: rules.title,
    url: rules.url,
    file: `${dataset}-${slug}.csv`,
    provenance: `${dataset}-${slug}.SOURCE.md`,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    rows: bytes.toString('utf8').trimEnd().split('\n').length - 1,
  };
  const found = rules.check(bytes.toString('utf8'), edition);

  const manifest = readManifest();
  const entry = manifest.datasets[dataset] ?? { current: editionName, editions: {} };
  const earlier = entry.editions[editionName];
  if (earlier && earlier.sha256 !== edition.sha256)
    throw new Error(`${dataset} ${editionName} is already imported with sha256 ${earlier.sha256}; an edition's data never changes`);
  copyInto(resolve(file), dataFile(edition.file));
  copyInto(resolve(values.provenance), dataFile(edition.provenance));
  manifest.datasets[dataset] = { current: editionName, editions: { ...entry.editions, [editionName]: edition } };
  writeFileSync(dataFile(EDITIONS_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(
    `Imported ${dataset} ${editionName} (effective ${edition.effective}, sha256 ${edition.sha256}): ${found}. It is now current.`,
  );
}

try {
  main(process.argv.slice(2));
} catch (error: unknown) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
