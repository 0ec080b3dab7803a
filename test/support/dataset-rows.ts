/** A table of a dataset, and rows of it as the engine makes them, read back as CSV records. */
import { engineOutput, parseCsv } from './engine-output';
import type { DatasetDocument, TableDocument } from '../../src/contract/dataset-document';

export function tableOf(dataset: DatasetDocument, name: string): TableDocument {
  return dataset.tables.find((table) => table.name === name)!;
}

/** Rows [firstRow, firstRow + rowCount) of a table as CSV records (no header). */
export async function rowsOfTable(dataset: DatasetDocument, name: string, seed: number, firstRow = 0, rowCount = tableOf(dataset, name).rows) {
  const table = tableOf(dataset, name);
  const run = { schema: table, seed, firstRow, rowCount, header: false, dataset: { document: dataset, table: name } };
  const { bytes, report } = await engineOutput(run);
  return { bytes, records: parseCsv(bytes), report };
}
