/**
 * An example dataset made by the engine into CSV files with a header and loaded into DuckDB, one table per dataset
 * table in file order: what the examples' DuckDB checks read in the demo, without the local cloud.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { engineOutput } from './engine-output';
import { quoted } from '../../local-cloud/duckdb';
import type { DatasetDocument } from '../../src/contract/dataset-document';

/** Makes every table of `dataset` at `seed` and creates it in `connection`. */
export async function loadDataset(connection: DuckDBConnection, dataset: DatasetDocument, seed: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-tables-'));
  try {
    for (const table of dataset.tables) {
      const run = { schema: table, seed, firstRow: 0, rowCount: table.rows, header: true, dataset: { document: dataset, table: table.name } };
      const file = path.join(dir, `${table.name}.csv`);
      fs.writeFileSync(file, (await engineOutput(run)).bytes);
      await connection.run(`CREATE TABLE ${quoted(table.name)} AS SELECT * FROM read_csv('${file}', header = true)`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
