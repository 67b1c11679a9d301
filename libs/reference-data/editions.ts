import { readFileSync } from 'node:fs';
import { dataFile } from './index';

/**
 * Reference tables that change by edition (a new SBA size-standards table, a new World Bank fiscal
 * year). data/reference-editions.json names every imported edition and the current one; each
 * edition is a CSV in data/ with its provenance beside it, added by `npm run reference:import`.
 */
export const REFERENCE_DATASETS = ['sba-size-standards', 'world-bank-income-groups'] as const;
export type ReferenceDataset = (typeof REFERENCE_DATASETS)[number];

export interface ReferenceEdition {
  /** e.g. "2023-03-17" for the SBA table, "FY2026" for the World Bank groups. */
  edition: string;
  /** The date the edition took effect (YYYY-MM-DD). */
  effective: string;
  /** The legal or publishing source a decision cites. */
  source: string;
  title: string;
  url: string;
  /** CSV in data/, as imported. */
  file: string;
  /** Provenance notes in data/ (where the CSV came from and how it was checked). */
  provenance: string;
  sha256: string;
  rows: number;
}

export interface ReferenceEditionsManifest {
  datasets: Record<ReferenceDataset, { current: string; editions: Record<string, ReferenceEdition> }>;
}

export const EDITIONS_MANIFEST = 'reference-editions.json';

export function readEditionsManifest(): ReferenceEditionsManifest {
  return JSON.parse(readFileSync(dataFile(EDITIONS_MANIFEST), 'utf8')) as ReferenceEditionsManifest;
}

/** The current edition of a dataset and its CSV text. */
export function readCurrentEdition(dataset: ReferenceDataset): { edition: ReferenceEdition; text: string } {
  const entry = readEditionsManifest().datasets[dataset];
  const edition = entry?.editions[entry.current];
  if (!edition) throw new Error(`data/${EDITIONS_MANIFEST}: no current edition of ${dataset}`);
  return { edition, text: readFileSync(dataFile(edition.file), 'utf8') };
}
