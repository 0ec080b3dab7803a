import { Token } from 'aws-cdk-lib';
import { validateTableName } from './contract/schema-document';
import type { Schema } from './schema';

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
