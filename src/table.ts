import * as fs from 'node:fs';
import { Token } from 'aws-cdk-lib';
import { childrenReference, parseDatasetDocument } from './contract/dataset-document';
import { describeValue, oneLine } from './contract/errors';
import { validateTableName } from './contract/schema-document';
import { Schema } from './schema';

/** Options of a table of a dataset. */
export interface TableOptions {
  /**
   * Rows of the table made by each invocation. Leave it out for a table whose reference has children (its rows follow
   * from its parent's).
   * @default - required, unless a reference of the table has children
   */
  readonly rows?: number;
}

/**
 * One table of a dataset of related tables (the construct's prop `tables`): its name, its columns and its rows.
 * Each table is written under `<keyPrefix><datasetName>/<table>/` and gets a catalog table of its own name;
 * `Column.reference(...)` relates it to another table.
 */
export class Table {
  /** A table named `name` (lower-case letters, digits and `_`, as Athena names tables) with the columns of `schema`. */
  public static of(name: string, schema: Schema, options: TableOptions = {}): Table {
    return new Table(name, schema, options.rows);
  }

  /**
   * The tables of a dataset's JSON form, `{"tables": [{"name": "customers", "rows": 1000, "columns": [...]}, ...]}`
   * (a table whose reference has children has no rows), validated as one dataset.
   */
  public static fromDatasetJson(json: string): Table[] {
    return Table.ofDataset(json, 'dataset');
  }

  /** The tables of a dataset's JSON form in a file, read at synth time (see `fromDatasetJson`). */
  public static fromDatasetFile(filePath: string): Table[] {
    const where = `dataset file ${describeValue(filePath, 300)}`;
    let text: string;
    try {
      text = fs.readFileSync(filePath, 'utf8');
    } catch (e) {
      throw new Error(`${where} could not be read (${oneLine((e as Error).message, 300)}): pass the path of a JSON file {"tables": [...]}`);
    }
    return Table.ofDataset(text, where);
  }

  private static ofDataset(json: string, where: string): Table[] {
    const dataset = parseDatasetDocument(json, where);
    return dataset.tables.map((table) => new Table(table.name, Schema.fromJson(JSON.stringify({ columns: table.columns })),
      childrenReference(table) ? undefined : table.rows));
  }

  private constructor(public readonly name: string, public readonly schema: Schema, public readonly rows?: number) {
    if (!Token.isUnresolved(name)) validateTableName('table name', name);
  }

  /** @internal The table in the dataset's JSON form, as given (validated with the dataset). */
  public _toDocument(): Record<string, unknown> {
    const json = this.schema.toJson();
    if (Token.isUnresolved(json) || Token.isUnresolved(this.name) || (this.rows !== undefined && Token.isUnresolved(this.rows))) {
      throw new Error(`table ${this.name}: its name, schema and rows must be known at synth time (the tables are related there), not CDK tokens`);
    }
    const { columns } = JSON.parse(json) as { columns: unknown[] };
    return this.rows === undefined ? { name: this.name, columns } : { name: this.name, rows: this.rows, columns };
  }
}
