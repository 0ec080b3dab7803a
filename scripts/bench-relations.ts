/**
 * The benchmark's lines for related tables made by attributes and time (lookups, child counts from a law, series per
 * entity): the iot example's readings, and the retail example's order items with a products table looked up (name and
 * list price) and a line total from them. Each is made by the engine CLI, one thread, to CSV, in the same rounds as
 * the sales table's CSV line, and compared with it (`vs_csv`). Kept apart from bench.ts so that the lines of each
 * feature stay in their own module.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../local-cloud/cache-dir';
import { validateDatasetDocument, type DatasetDocument } from '../src/contract/dataset-document';

const IOT_DATASET_FILE = path.join(PROJECT_ROOT, 'examples', 'iot.dataset.json');
const RETAIL_DATASET_FILE = path.join(PROJECT_ROOT, 'examples', 'retail.dataset.json');

/** A table of a dataset the benchmark makes, scaled to about the benchmark's rows. */
export interface RelationsBenchTable {
  /** The line's name in the benchmark's output. */
  readonly name: string;
  /** The dataset file, written into the benchmark's folder. */
  readonly file: string;
  readonly table: string;
  readonly rows: number;
}

/** The iot example scaled so that its readings (1,000 per device on average) have about `rows` rows. */
function scaledIot(rows: number): DatasetDocument {
  const example = JSON.parse(fs.readFileSync(IOT_DATASET_FILE, 'utf8')) as { tables: Array<Record<string, unknown>> };
  return validateDatasetDocument({
    tables: example.tables.map((table) => (table.name === 'devices' ? { ...table, rows: Math.max(1, Math.round(rows / 1000)) } : table)),
  });
}

/**
 * The retail example's orders and order items scaled to about `rows` items, with a products table: each item takes its
 * product's name and list price by lookup, and its line total from them and a helper discount that is not written.
 */
function retailWithLookups(rows: number): DatasetDocument {
  const example = JSON.parse(fs.readFileSync(RETAIL_DATASET_FILE, 'utf8')) as { tables: Array<{ name: string; columns: Array<Record<string, unknown>> }> };
  const byName = new Map(example.tables.map((table) => [table.name, table]));
  const orderItems = byName.get('order_items')!;
  const reference = orderItems.columns.find((column) => column.name === 'order_id')!;
  return validateDatasetDocument({
    tables: [
      { ...byName.get('customers')!, rows: Math.max(1, Math.round(rows / 15)) },
      { ...byName.get('orders')!, rows: Math.max(1, Math.ceil(rows / 3)) },
      {
        name: 'products',
        rows: 20_000,
        columns: [
          { name: 'product_id', type: 'uuid' },
          { name: 'name', type: 'faker', method: 'commerce.productName' },
          { name: 'list_price', type: 'decimal', min: 0.5, max: 500, fractionDigits: 2, distribution: { kind: 'lognormal', mu: 3, sigma: 0.9 } },
        ],
      },
      {
        name: 'order_items',
        columns: [
          { name: 'order_item_id', type: 'uuid' },
          reference,
          { name: 'product_id', type: 'reference', table: 'products', column: 'product_id', skew: 1.1 },
          { name: 'product_name', type: 'lookup', through: ['product_id'], column: 'name' },
          { name: 'list_price', type: 'lookup', through: ['product_id'], column: 'list_price' },
          { name: 'quantity', type: 'integer', min: 1, max: 10, distribution: { kind: 'zipf', exponent: 1.2 } },
          { name: 'discount', type: 'decimal', min: 0, max: 0.3, fractionDigits: 2, omit: true },
          { name: 'line_total', type: 'derived', expression: 'round(quantity * list_price * (1 - discount), 2)' },
        ],
      },
    ],
  });
}

/** Writes the benchmark's datasets into `dir`, scaled to about `rows` rows of the table each line makes. */
export function relationsBenchTables(rows: number, dir: string): RelationsBenchTable[] {
  const write = (name: string, document: DatasetDocument, table: string): RelationsBenchTable => {
    const file = path.join(dir, `${name}-${rows}.dataset.json`);
    fs.writeFileSync(file, JSON.stringify(document));
    return { name, file, table, rows: document.tables.find((candidate) => candidate.name === table)!.rows };
  };
  return [write('iot_readings', scaledIot(rows), 'readings'), write('retail_order_items_lookups', retailWithLookups(rows), 'order_items')];
}

/** The engine CLI's arguments for one line. */
export function relationsBenchArgs(engineCli: string, table: RelationsBenchTable, out: string): string[] {
  return [engineCli, '--dataset', table.file, '--table', table.table, '--rows', String(table.rows), '--out', out];
}
