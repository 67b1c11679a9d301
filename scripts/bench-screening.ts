import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CSL_COLUMNS, parseCslCsv, ScreeningIndex, type ScreeningEntry } from '../libs/domain/screening';
import { ScreeningLists } from '../activities/screening/screening-lists';
import { loadConfig } from '../libs/config';
import { ensureDatabase, openDatabase } from '../libs/db';
import { dataFile } from '../libs/reference-data';

/**
 * `npm run bench:screening` (`node dist/scripts/bench-screening.js [rows] [runs]`): party screening speed
 * (docs/spec.md section 2.2). Writes a CSL-format CSV of `rows` entries (default 30,000: the 7,379 real OFAC SDN
 * rows of data/csl-ofac-sdn-2019.csv plus synthetic entities and individuals in the shapes the real
 * list has), then times, in memory, parsing, building the ScreeningIndex and screening a proposal's
 * 10 member names (median and p95 over `runs`, default 50); and end to end through PostgreSQL
 * (a throwaway `exports_bench` database on DATABASE_URL's server): the import command's path and
 * the worker's screening of one proposal, cold (index loaded from the database) and warm.
 */

const DEFAULT_ROWS = 30_000;
const DEFAULT_RUNS = 50;

/** A proposal's consortium members and ultimate parents: some listed, most not. */
const PROPOSAL_MEMBERS = [
  'Huawei Technologies Co., Ltd.',
  'Acme Cloud Systems, Inc.',
  'Bank Melli Iran',
  'Pacific Gateway Data Centers LLC',
  'Mahan Air',
  'Contoso AI Labs LLC',
  'Shenzhen Tianlong Electronics Co Ltd',
  'Rosoboronexport JSC',
  'Blue Ridge Semiconductor Corporation',
  'Fabrikam Networks Ltd',
];

/** Deterministic pseudo-random numbers (mulberry32), so every run benchmarks the same list. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES: readonly (readonly [string, string])[] = [
  ['Shenzhen', 'CN'],
  ['Shanghai', 'CN'],
  ['Beijing', 'CN'],
  ['Guangzhou', 'CN'],
  ['Hangzhou', 'CN'],
  ['Wuhan', 'CN'],
  ['Chengdu', 'CN'],
  ['Tianjin', 'CN'],
  ['Xian', 'CN'],
  ['Hong Kong', 'HK'],
  ['Moscow', 'RU'],
  ['Saint Petersburg', 'RU'],
  ['Yekaterinburg', 'RU'],
  ['Novosibirsk', 'RU'],
  ['Minsk', 'BY'],
  ['Tehran', 'IR'],
  ['Isfahan', 'IR'],
  ['Dubai', 'AE'],
  ['Sharjah', 'AE'],
  ['Istanbul', 'TR'],
  ['Karachi', 'PK'],
  ['Pyongyang', 'KP'],
  ['Damascus', 'SY'],
  ['Yerevan', 'AM'],
];
const BRAND_STARTS = [
  'Hua',
  'Zhong',
  'Xin',
  'Tian',
  'Long',
  'Sheng',
  'Kang',
  'Rui',
  'Jin',
  'Hai',
  'Nord',
  'Vel',
  'Astra',
  'Kor',
  'Sol',
  'Mar',
  'Ros',
  'Avia',
  'Electro',
  'Radio',
  'Neft',
  'Prom',
  'Pars',
  'Sina',
  'Kavir',
  'Arya',
];
const BRAND_ENDS = [
  'wei',
  'tong',
  'da',
  'xun',
  'ke',
  'yuan',
  'feng',
  'sheng',
  'ex',
  'ion',
  'ara',
  'tek',
  'export',
  'pribor',
  'servis',
  'snab',
  'invest',
  'trans',
  'komplekt',
  'gostar',
  'pardaz',
  'sanat',
  'negar',
  'tech',
];
const INDUSTRIES = [
  'Technology',
  'Electronics',
  'Semiconductor',
  'Precision Machinery',
  'Trading',
  'Logistics',
  'Optoelectronics',
  'Microelectronics',
  'Aerospace',
  'Instruments',
  'Communication',
  'Information Technology',
  'Import and Export',
  'Industrial',
  'Shipping',
  'Energy',
  'Computing',
  'Intelligent Equipment',
  'Robotics',
  'New Materials',
  'Engineering',
];
const LEGAL_FORMS = [
  'Co., Ltd.',
  'Co., Ltd.',
  'Co., Ltd.',
  'LLC',
  'OOO',
  'JSC',
  'FZE',
  'Limited',
  'Pvt. Ltd.',
  'Company',
  'GmbH',
  'S.A.',
  'Trading LLC',
  'Sdn. Bhd.',
];
const SURNAMES = [
  'WANG',
  'LI',
  'ZHANG',
  'LIU',
  'CHEN',
  'IVANOV',
  'PETROV',
  'SMIRNOV',
  'KUZNETSOV',
  'HOSSEINI',
  'AHMADI',
  'MOHAMMADI',
  'KIM',
  'PAK',
  'RI',
  'AL-HASSAN',
  'KHAN',
  'YILMAZ',
];
const GIVEN_NAMES = [
  'Wei',
  'Jun',
  'Ming',
  'Alexei',
  'Sergei',
  'Dmitry',
  'Olga',
  'Reza',
  'Ali',
  'Mohammad',
  'Hassan',
  'Yong Chol',
  'Song Il',
  'Ahmed',
  'Mehmet',
  'Fatima',
  'Irina',
  'Li Na',
];
const SOURCES = [
  'Entity List (EL) - Bureau of Industry and Security',
  'Specially Designated Nationals (SDN) - Treasury Department',
  'Military End User (MEU) List - Bureau of Industry and Security',
  'Unverified List (UVL) - Bureau of Industry and Security',
  'Denied Persons List (DPL) - Bureau of Industry and Security',
  'Sectoral Sanctions Identifications List (SSI) - Treasury Department',
];

/** One synthetic row in CSL column order: entities in the shapes the Entity List has, and individuals. */
function syntheticRow(index: number, random: () => number): Record<string, string> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const [city, country] = pick(CITIES);
  const brand = pick(BRAND_STARTS) + pick(BRAND_ENDS);
  const row: Record<string, string> = { _id: `bench-${index}`, source: pick(SOURCES), addresses: `${city}, ${country}` };
  if (random() < 0.2) {
    const surname = pick(SURNAMES);
    return { ...row, type: 'Individual', name: `${surname}, ${pick(GIVEN_NAMES)}`, nationalities: country };
  }
  const industry = pick(INDUSTRIES);
  const name = random() < 0.5 ? `${city} ${brand} ${industry} ${pick(LEGAL_FORMS)}` : `${brand} ${industry} ${pick(LEGAL_FORMS)}`;
  const altNames = random() < 0.4 ? [brand, `${brand} ${industry}`] : [];
  return { ...row, type: 'Entity', name, alt_names: altNames.join('; ') };
}

const csvCell = (value: string): string => (/[",\n;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The benchmark list: all real SDN rows (one line each, header first), then synthetic rows up to `rows`. */
function writeBenchmarkCsv(path: string, rows: number): void {
  const lines = readFileSync(dataFile('csl-ofac-sdn-2019.csv'), 'utf8').trimEnd().split(/\r?\n/);
  const random = randomSource(14320);
  for (let index = lines.length - 1; index < rows; index++) {
    const row = syntheticRow(index, random);
    lines.push(CSL_COLUMNS.map((column) => csvCell(row[column] ?? '')).join(','));
  }
  // CRLF like the trade.gov file.
  writeFileSync(path, lines.join('\r\n') + '\r\n');
}

/** The import and screening paths the product runs, against a real PostgreSQL. */
async function benchDatabase(path: string, runs: number): Promise<void> {
  const config = loadConfig(process.env);
  const url = new URL(config.databaseUrl);
  url.pathname = '/exports_bench';
  await ensureDatabase(url.toString());
  const db = await openDatabase(url.toString());
  try {
    await db.migrate();
    await db.screeningLists.removeAll();
    const service = new ScreeningLists(config, db.screeningLists);
    let started = performance.now();
    const { version } = await service.importFile(path);
    const importMs = performance.now() - started;
    const parties = PROPOSAL_MEMBERS.map((name) => ({ role: 'member', name }));
    started = performance.now();
    await service.screen(parties);
    const coldMs = performance.now() - started;
    const warm: number[] = [];
    for (let run = 0; run < runs; run++) {
      started = performance.now();
      await service.screen(parties);
      warm.push(performance.now() - started);
    }
    warm.sort((a, b) => a - b);
    console.log(`PostgreSQL import (${version.entryCount} rows): ${(importMs / 1000).toFixed(1)} s`);
    console.log(`screen a 10-member proposal, cold (index loaded from PostgreSQL): ${coldMs.toFixed(0)} ms`);
    console.log(
      `screen a 10-member proposal, warm: median ${percentile(warm, 50).toFixed(1)} ms, p95 ${percentile(warm, 95).toFixed(1)} ms`,
    );
  } finally {
    await db.close();
  }
}

function percentile(sortedMs: readonly number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)];
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? DEFAULT_ROWS);
  const runs = Number(process.argv[3] ?? DEFAULT_RUNS);
  const folder = mkdtempSync(join(tmpdir(), 'bench-screening-'));
  try {
    const path = join(folder, 'csl.csv');
    writeBenchmarkCsv(path, rows);

    let started = performance.now();
    const entries: ScreeningEntry[] = [];
    for await (const entry of parseCslCsv(createReadStream(path))) entries.push(entry);
    const parseMs = performance.now() - started;

    started = performance.now();
    const index = new ScreeningIndex(entries);
    const buildMs = performance.now() - started;

    const screenProposal = (): number => PROPOSAL_MEMBERS.reduce((hits, member) => hits + index.screen(member).length, 0);
    const hits = screenProposal(); // warm-up, and the hit count to show the run found something
    const proposalMs: number[] = [];
    for (let run = 0; run < runs; run++) {
      started = performance.now();
      screenProposal();
      proposalMs.push(performance.now() - started);
    }
    proposalMs.sort((a, b) => a - b);

    const ms = (value: number): string => `${value.toFixed(1)} ms`;
    console.log(`entries parsed:                 ${entries.length} (index size ${index.size})`);
    console.log(`parse CSV:                      ${ms(parseMs)}`);
    console.log(`build ScreeningIndex:           ${ms(buildMs)}`);
    console.log(`screen 10 member names, median: ${ms(percentile(proposalMs, 50))} (${runs} runs)`);
    console.log(`screen 10 member names, p95:    ${ms(percentile(proposalMs, 95))}`);
    console.log(`per name, median:               ${ms(percentile(proposalMs, 50) / PROPOSAL_MEMBERS.length)}`);
    console.log(`possible matches per proposal:  ${hits}`);
    console.log(`heap used:                      ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
    await benchDatabase(path, runs);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
