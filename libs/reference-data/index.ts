import { projectPath } from '../config/paths';
import financingInstruments from '../../data/financing-instruments.json';

/**
 * Versioned reference data kept in the repository's data/ folder (copied from the program's shared
 * reference set; see data/README.md). JSON is compiled in; larger files are read from disk.
 */
export interface FinancingInstrument {
  id: string;
  agency: string;
  label: string;
  eo_listed: boolean;
  eo_citation?: string;
}

export const FINANCING_INSTRUMENTS: readonly FinancingInstrument[] = financingInstruments.instruments;
export const FINANCING_INSTRUMENT_IDS: readonly string[] = FINANCING_INSTRUMENTS.map((i) => i.id);

/** Absolute path of a file in data/. */
export const dataFile = (name: string): string => projectPath('data', name);
