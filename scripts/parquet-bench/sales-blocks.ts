/**
 * RowBlocks of the sales table for the Parquet benchmark, made by the engine itself (engine/column-blocks.ts), so that
 * encoding is measured on the blocks the function encodes: examples/sales.schema.json, plus a nullable column
 * (`coupon`, null in 3 rows of 4) so that definition levels are measured too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ColumnBlockMaker } from '../../lambda/engine/column-blocks';
import { compileTable, type CompiledTable } from '../../lambda/engine/compiled-table';
import type { RowBlock } from '../../lambda/engine/row-block';
import { emptyStats } from '../../lambda/engine/stats';
import type { ParquetColumn } from '../../lambda/formats/parquet';
import { validateSchemaDocument } from '../../src/contract/schema-document';

const SALES = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'sales.schema.json'), 'utf8')) as { columns: unknown[] };
const SCHEMA = validateSchemaDocument({ columns: [...SALES.columns, { name: 'coupon', type: 'faker', method: 'commerce.isbn', nullPercent: 75 }] });
const SEED = 20240101;

function table(): CompiledTable {
  return compileTable(SCHEMA, SEED, { tableRows: 1_000_000 });
}

/** The table's columns, as the engine declares them to the Parquet encoder. */
export const SALES_COLUMNS: readonly ParquetColumn[] = ((compiled) => compiled.generators.map((generator, c) => ({
  name: compiled.names[c], type: generator.type, optional: compiled.nullBelow[c] !== 0,
})))(table());

/** Blocks of up to `maxRows` rows; each block's arrays are refilled by the next one, as in the engine. */
export class SalesBlocks {
  private readonly table = table();
  private readonly maker: ColumnBlockMaker;

  constructor(readonly maxRows: number) {
    this.maker = new ColumnBlockMaker(this.table, maxRows);
  }

  block(firstRow: number, rows: number): RowBlock {
    return this.maker.make(firstRow, rows, emptyStats(this.table.generators.length, this.table.distinctKinds));
  }
}
