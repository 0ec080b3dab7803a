/**
 * The expression language's parser and type checker (src/contract/expressions.ts): the types it infers, and the errors
 * a schema's author meets at synth, naming the table or schema position, the column and the character.
 */
import { Column, Schema } from '../../src';
import { catalogColumns } from '../../src/contract/catalog';
import type { SchemaDocument } from '../../src/contract/column-documents';
import { validateDatasetDocument, withKeyTypes } from '../../src/contract/dataset-document';
import { logicalTypesOf, type LogicalType } from '../../src/contract/logical-types';
import { validateSchemaDocument } from '../../src/contract/schema-document';

const SOURCES = [
  { name: 'quantity', type: 'integer', min: 1, max: 20 },
  { name: 'unit_price', type: 'decimal', min: 0.5, max: 500, fractionDigits: 2 },
  { name: 'rate', type: 'faker', method: 'number.float' },
  { name: 'ordered_at', type: 'timestamp', from: '2025-01-01T00:00:00Z', to: '2025-12-31T23:59:59Z' },
  { name: 'first_name', type: 'faker', method: 'person.firstName' },
  { name: 'express', type: 'faker', method: 'datatype.boolean' },
  { name: 'big', type: 'integer', min: 0, max: 9_000_000_000_000 },
];

const schemaWith = (expression: string, extra: Record<string, unknown> = {}): SchemaDocument => validateSchemaDocument({
  columns: [...SOURCES, { name: 'result', type: 'derived', expression, ...extra }],
});
const typeOf = (expression: string): LogicalType => logicalTypesOf(schemaWith(expression).columns)[SOURCES.length];

describe('the type of a derived column', () => {
  test.each<[string, LogicalType]>([
    ['quantity * 2', { kind: 'bigint' }],
    // 1..20 × 0.50..500.00: 0.50 to 10000.00, scale 2 + 0 → decimal(7,2)
    ['quantity * unit_price', { kind: 'decimal', precision: 7, scale: 2 }],
    // scales add under ×: 2 + 1
    ['unit_price * 1.5', { kind: 'decimal', precision: 6, scale: 3 }],
    // the larger scale under + and −
    ['unit_price + 0.001', { kind: 'decimal', precision: 6, scale: 3 }],
    ['1.5', { kind: 'decimal', precision: 2, scale: 1 }],
    ['unit_price / quantity', { kind: 'double' }],
    ['unit_price * rate', { kind: 'double' }],
    ['round(unit_price / quantity, 2)', { kind: 'decimal', precision: 5, scale: 2 }],
    ['addDays(ordered_at, if(express, 1, 5))', { kind: 'timestamp' }],
    ['upper(`${first_name}.x@example.com`)', { kind: 'string' }],
    ['quantity > 10 || express', { kind: 'boolean' }],
    ['case(quantity < 5, 1, quantity < 10, 2.25, null)', { kind: 'decimal', precision: 3, scale: 2 }],
    ['diffDays(ordered_at, addHours(ordered_at, -30))', { kind: 'bigint' }],
    ['length(first_name) + year(ordered_at)', { kind: 'bigint' }],
  ])('%s is %j', (expression, type) => {
    expect(typeOf(expression)).toEqual(type);
  });

  test('a derived column may use another, in any order; the catalog declares the inferred type', () => {
    const schema = validateSchemaDocument({
      columns: [
        { name: 'total', type: 'derived', expression: 'line_total + 4.99' },
        ...SOURCES,
        { name: 'line_total', type: 'derived', expression: 'quantity * unit_price' },
      ],
    });
    expect(logicalTypesOf(schema.columns)[0]).toEqual({ kind: 'decimal', precision: 7, scale: 2 });
    expect(catalogColumns(schema, { format: 'parquet', compression: 'zstd' })[0]).toEqual({ name: 'total', type: 'decimal(7,2)' });
    // CSV's SerDe cannot type a decimal: a string, with the cast that reads it.
    expect(catalogColumns(schema, { format: 'csv', compression: 'none' })[0]).toEqual({
      name: 'total', type: 'string', comment: 'decimal(7,2) as text: read it as CAST(NULLIF(total, \'\') AS decimal(7,2))',
    });
  });

  test('a derived column whose operand has nulls can be null, which CSV\'s catalog column says', () => {
    const schema = validateSchemaDocument({ columns: [{ name: 'q', type: 'integer', nullPercent: 10 }, { name: 'double_q', type: 'derived', expression: 'q * 2' }] });
    expect(catalogColumns(schema, { format: 'csv', compression: 'none' })[1]).toEqual({
      name: 'double_q', type: 'string', comment: 'bigint as text: read it as CAST(NULLIF(double_q, \'\') AS bigint)',
    });
    const never = validateSchemaDocument({ columns: [{ name: 'q', type: 'integer', nullPercent: 10 }, { name: 'n', type: 'derived', expression: 'coalesce(q, 0) * 2' }] });
    expect(catalogColumns(never, { format: 'csv', compression: 'none' })[1]).toEqual({ name: 'n', type: 'bigint' });
  });

  test('Column.derived is the JSON form\'s derived column', () => {
    const schema = Schema.fromColumns([Column.integer('quantity', { min: 1, max: 3 }), Column.derived('twice', 'quantity * 2', { nullPercent: 5 })]);
    expect(JSON.parse(schema.toJson()).columns[1]).toEqual({ name: 'twice', type: 'derived', expression: 'quantity * 2', nullPercent: 5 });
    expect(() => Schema.fromColumns([Column.derived('bad', 'lower(1)')])).toThrow(/lower expects a string, got bigint/);
  });
});

describe('errors at synth name the column, the expression and the character', () => {
  test.each<[string, RegExp]>([
    ['quantity * unit_pric', /^schema\.columns\[7\] \(result\)\.expression "quantity \* unit_pric" at character 11: unknown column unit_pric \(columns: quantity, unit_price, rate, ordered_at, first_name, express, big\)$/],
    ['lower(quantity)', /at character 6: lower expects a string, got bigint \(column quantity\)$/],
    ['quantity * ', /at character 11: Expected expression after \*/],
    ['quantity + first_name', /at character 11: \+ expects numbers, got string \(column first_name\); join text with a template/],
    ['ordered_at + 1', /at character 0: \+ expects numbers, got timestamp \(column ordered_at\); add time with addDays/],
    ['if(quantity, 1, 2)', /at character 3: the condition of if expects a boolean, got bigint \(column quantity\)/],
    ['if(express, 1, "one")', /at character 0: the values of if have one type, got bigint and string/],
    ['quantity % 2', /at character 9: the operator % is not part of the language/],
    ['sqrt(quantity)', /at character 0: unknown function sqrt \(functions: if, case, coalesce/],
    ['substring(first_name, 1)', /at character 0: substring takes 3 arguments, got 2/],
    ['round(unit_price, quantity)', /at character 18: round's digits are a whole number literal from 0 to 15/],
    ['1e3', /at character 0: the number 1e3 is not written as digits with an optional point/],
    ['big * big', /at character 4: \* may reach 81000000000000000000000000 with 0 fraction digits, beyond the 9007199254740991 units a result keeps exactly/],
    // Scales add up under *: beyond 18 fraction digits no format writes the decimal.
    ['0.000000001 * 0.0000000001 * unit_price', /at character 12: \* has 19 fraction digits .*, more than the 18 a decimal keeps/],
    ['quantity == null', /at character 9: == with null is always null: test for null with isNull\(x\)/],
    ['quantity + null', /at character 9: \+ with null is always null: test for null with isNull\(x\), or replace it with coalesce/],
    ['null', /at character 0: the expression is always null/],
    ['addDays(null, 1)', /at character 8: addDays of null is always null: use isNull\(x\), or coalesce/],
    ['order.total', /at character 0: MemberExpression is not part of the expression language/],
    ['', /at character 0: the expression is empty/],
  ])('%j', (expression, message) => {
    expect(() => schemaWith(expression)).toThrow(message);
  });

  test('a cycle of derived columns is refused, naming its columns', () => {
    expect(() => validateSchemaDocument({
      columns: [
        { name: 'a', type: 'derived', expression: 'b + 1' },
        { name: 'b', type: 'derived', expression: 'c * 2' },
        { name: 'c', type: 'derived', expression: '1 + a' },
      ],
    })).toThrow('schema.columns[2] (c).expression "1 + a" at character 4: derived columns refer to each other in a cycle: a -> b -> c -> a; '
      + 'a derived column can use only columns that do not depend on it');
    expect(() => validateSchemaDocument({ columns: [{ name: 'a', type: 'derived', expression: 'a + 1' }] }))
      .toThrow(/at character 0: derived columns refer to each other in a cycle: a -> a/);
  });

  test('in a dataset, the table and column are named, and a reference has its key\'s type', () => {
    const dataset = (expression: string) => validateDatasetDocument({
      tables: [
        { name: 'orders', rows: 10, columns: [{ name: 'order_id', type: 'sequence', start: 1, step: 1 }] },
        {
          name: 'order_items',
          rows: 30,
          columns: [
            { name: 'order_id', type: 'reference', table: 'orders', column: 'order_id' },
            { name: 'quantity', type: 'integer', min: 1, max: 5 },
            { name: 'line_key', type: 'derived', expression },
          ],
        },
      ],
    });
    const valid = dataset('order_id * 10 + quantity');
    expect(logicalTypesOf(withKeyTypes(valid, valid.tables[1]).columns)[2]).toEqual({ kind: 'bigint' });
    expect(() => dataset('upper(order_id)')).toThrow(
      'table order_items, column line_key, expression "upper(order_id)" at character 6: upper expects a string, got bigint (column order_id)',
    );
    expect(() => dataset('quantity * unit_pric')).toThrow(
      'table order_items, column line_key, expression "quantity * unit_pric" at character 11: unknown column unit_pric (columns: order_id, quantity)',
    );
  });

  test('an unknown field of a derived column, or an expression that is not text, is refused', () => {
    expect(() => validateSchemaDocument({ columns: [{ name: 'x', type: 'derived', expression: '1', min: 2 }] }))
      .toThrow(/schema\.columns\[0\] \(x\) has an unknown field "min": allowed fields are name, type, nullPercent, omit, expression/);
    expect(() => validateSchemaDocument({ columns: [{ name: 'x', type: 'derived', expression: 5 }] }))
      .toThrow('schema.columns[0] (x).expression is 5: expected a string');
  });
});
