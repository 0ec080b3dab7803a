/**
 * A validated document holds no -0 (src/contract/negative-zero.ts): JSON writes -0 as 0, so a -0 kept would make the
 * document the construct writes validate to another than the one it validated. Found by the hostile-relations property.
 */
import { validateDatasetDocument } from '../../src/contract/dataset-document';
import { withoutNegativeZero } from '../../src/contract/negative-zero';
import { validateSchemaDocument } from '../../src/contract/schema-document';

test('-0 in any number field validates to 0, and the document validates again to itself', () => {
  const dataset = validateDatasetDocument({
    tables: [
      { name: 'devices', rows: 5, columns: [{ name: 'device_id', type: 'uuid' }, { name: 'installed_at', type: 'timestamp', from: '2025-01-01', to: '2025-02-01' }] },
      {
        name: 'readings',
        columns: [
          { name: 'device_id', type: 'reference', table: 'devices', column: 'device_id', children: { min: -0, max: 4 } },
          { name: 'installed_at', type: 'lookup', through: ['device_id'], column: 'installed_at', omit: true },
          { name: 'read_at', type: 'seriesTime', reference: 'device_id', start: 'installed_at', from: '2025-01-01', to: '2025-03-01' },
          { name: 'checked_at', type: 'timestampAfter', after: 'read_at', minLag: -0, maxLag: 2 },
          { name: 'temperature', type: 'seriesValue', reference: 'device_id', time: 'read_at', level: { min: -0, max: 5 }, noise: -0, fractionDigits: -0 },
        ],
      },
    ],
  });
  const text = JSON.stringify(dataset);
  expect(validateDatasetDocument(JSON.parse(text))).toEqual(dataset);
  const readings = dataset.tables[1].columns as unknown as Array<Record<string, any>>;
  const zeros = [readings[0].children.min, readings[3].minLag, readings[4].level.min, readings[4].noise, readings[4].fractionDigits];
  expect(zeros.every((x) => Object.is(x, 0))).toBe(true);
  const integer = validateSchemaDocument({ columns: [{ name: 'n', type: 'integer', min: -0, max: 3 }] }).columns[0] as { min: number };
  expect(Object.is(integer.min, 0)).toBe(true);
});

test('the copy keeps every field, a __proto__ key as an own field, and every other value as it is', () => {
  const source = JSON.parse('{"a": [-0, 1, {"b": -0, "c": "x"}], "__proto__": {"d": -0}}');
  const copy = withoutNegativeZero(source);
  expect(Object.is(copy.a[0], 0)).toBe(true);
  expect(copy.a.slice(1)).toEqual([1, { b: 0, c: 'x' }]);
  expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  expect(Object.prototype.hasOwnProperty.call(copy, '__proto__')).toBe(true);
  expect(Object.is((Object.getOwnPropertyDescriptor(copy, '__proto__')!.value as { d: number }).d, 0)).toBe(true);
});
