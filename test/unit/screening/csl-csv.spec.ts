import { createReadStream, readFileSync } from 'node:fs';
import { CSL_COLUMNS, parseCslCsv, type ScreeningEntry } from '../../../libs/domain/screening';
import { dataFile } from '../../../libs/reference-data';

async function collect(input: NodeJS.ReadableStream | string): Promise<ScreeningEntry[]> {
  const entries: ScreeningEntry[] = [];
  for await (const entry of parseCslCsv(input)) entries.push(entry);
  return entries;
}

const header = CSL_COLUMNS.join(',');
/** A CSV row in CSL column order from the cells given by column name, every cell quoted. */
const row = (cells: Record<string, string>): string => CSL_COLUMNS.map((column) => `"${cells[column] ?? ''}"`).join(',');

describe('CSL_COLUMNS (data/csl-columns.json)', () => {
  it('is the trade.gov column order', () => {
    expect(CSL_COLUMNS).toHaveLength(29);
    expect(CSL_COLUMNS.slice(0, 6)).toEqual(['_id', 'source', 'entity_number', 'type', 'programs', 'name']);
    expect(CSL_COLUMNS).toContain('alt_names');
  });
});

describe('parseCslCsv', () => {
  it('reads the sample list, splitting multi-valued cells on semicolons', async () => {
    const entries = await collect(readFileSync(dataFile('csl-sample.csv'), 'utf8'));
    expect(entries).toHaveLength(11);
    expect(entries[0]).toEqual({
      entryId: 'sample-el-0001',
      source: 'Entity List (EL) - Bureau of Industry and Security',
      type: 'Entity',
      name: 'Huawei Technologies Co., Ltd.',
      altNames: ['Huawei', 'Huawei Technologies'],
      programs: [],
      countries: ['CN'],
    });
    const rosoboronexport = entries.find((e) => e.entryId === 'sample-sdn-0001');
    expect(rosoboronexport?.programs).toEqual(['UKRAINE-EO13662', 'RUSSIA-EO14024']);
    expect(rosoboronexport?.altNames).toEqual(['ROSOBORONEKSPORT', 'JSC Rosoboronexport']);
    expect(entries.find((e) => e.entryId === 'sample-fict-0001')?.remarks).toMatch(/^Fictional/);
  });

  it('reads a stream the same as the text', async () => {
    const fromText = await collect(readFileSync(dataFile('csl-sample.csv'), 'utf8'));
    expect(await collect(createReadStream(dataFile('csl-sample.csv')))).toEqual(fromText);
  });

  it('reads the live-layout excerpt: all quoted cells, empty types, countries from addresses and nationalities', async () => {
    const entries = await collect(createReadStream(dataFile('csl-real-excerpt.csv')));
    expect(entries).toHaveLength(13);
    const byId = new Map(entries.map((e) => [e.entryId, e]));
    expect(byId.get('52291')).toMatchObject({ name: 'RIM, Ryong Nam', type: 'Individual', countries: ['CN', 'KP'], programs: ['NPWMD'] });
    // A semicolon inside the name cell is not a list separator: only alt_names and the like are multi-valued.
    expect(entries[0].name).toBe('Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary thereof');
    expect(entries[0].type).toBe('');
    expect(byId.get('9651')?.countries).toEqual(['PS']);
    expect(byId.get('26182')?.countries).toEqual(['TR']);
    expect(byId.get('18283')?.altNames).toHaveLength(5);
  });

  it('tolerates a byte-order mark, quoted line breaks, CRLF and mixed endings, short rows and reordered columns', async () => {
    const reordered = ['name', 'source', '_id', 'alt_names', 'addresses'].join(',');
    const csv =
      '\uFEFF' +
      `${reordered}\r\n` +
      '"Acme\nDual-Use Ltd",Test list,t-1,"Acme; Acme DU",\r\n' +
      'Beta Trading,Test list,t-2\n' + // short row: the missing cells are empty
      ',Test list,t-3,,\n' + // no name: skipped
      'Gamma GmbH,Test list,,,"Berlin, Germany"\r\n';
    const entries = await collect(csv);
    expect(entries.map((e) => e.name)).toEqual(['Acme\nDual-Use Ltd', 'Beta Trading', 'Gamma GmbH']);
    expect(entries[0].altNames).toEqual(['Acme', 'Acme DU']);
    expect(entries[1]).toMatchObject({ entryId: 't-2', altNames: [], countries: [] });
    // No _id or entity_number: a stable id from source and name.
    expect(entries[2].entryId).toMatch(/^[0-9a-f]{32}$/);
    expect(entries[2].countries).toEqual(['DE']);
  });

  it('takes entity_number when _id is empty and reads country names of several address styles', async () => {
    const csv = [
      header,
      row({
        entity_number: '42',
        source: 'SDN',
        name: 'Example Bank',
        addresses: 'Pyongyang, Korea, North; Zurich CH-8022, Switzerland',
        citizenships: 'IR',
      }),
    ].join('\n');
    const [entry] = await collect(csv);
    expect(entry.entryId).toBe('42');
    expect(entry.countries).toEqual(['KP', 'CH', 'IR']);
  });

  it('rejects a file that is not in the CSL layout', async () => {
    await expect(collect('id,title\n1,x\n')).rejects.toThrow(/no source, name column/);
  });

  it('reads the 2019 OFAC SDN list in CSL layout in full', async () => {
    const entries = await collect(createReadStream(dataFile('csl-ofac-sdn-2019.csv')));
    expect(entries).toHaveLength(7379);
    expect(new Set(entries.map((e) => e.entryId)).size).toBe(7379);
  });
});
