/**
 * The comparison the language apps' tests rely on: it sets aside asset hashes and nothing else, and says where
 * two templates differ.
 */
import { ASSET_HASH, templateDifferences, withoutAssetHashes } from '../support/template-comparison';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const names = { expected: 'TypeScript', actual: 'Python' };

function template(hash: string, memorySize = 1024) {
  return {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: `${hash}.zip` }, MemorySize: memorySize, Layers: ['x', 'y'] } },
      Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'r' } },
    },
  };
}

test('two templates that differ only in their assets\' hashes compare equal', () => {
  const expected = withoutAssetHashes(template(HASH_A), [HASH_A]);
  const actual = withoutAssetHashes(template(HASH_B), [HASH_B]);
  expect(expected.Resources.Fn.Properties.Code.S3Key).toBe(`${ASSET_HASH}.zip`);
  expect(templateDifferences(expected, actual, names)).toEqual([]);
});

test('a hash that is not one of the stack\'s assets is compared like any other value', () => {
  const expected = withoutAssetHashes(template(HASH_A), [HASH_A]);
  const actual = withoutAssetHashes(template(HASH_B), [HASH_A]);
  expect(templateDifferences(expected, actual, names)).toEqual([
    `Resources.Fn.Properties.Code.S3Key: TypeScript "${ASSET_HASH}.zip", Python "${HASH_B}.zip"`,
  ]);
});

test('each difference is named by its path: changed values, resources or elements only on one side', () => {
  const expected = template(HASH_A);
  const actual: any = template(HASH_A, 512);
  delete actual.Resources.Role;
  actual.Resources.Queue = { Type: 'AWS::SQS::Queue' };
  actual.Resources.Fn.Properties.Layers = ['x'];
  expect(templateDifferences(expected, actual, names)).toEqual([
    'Resources.Fn.Properties.Layers: TypeScript ["x","y"], Python ["x"]',
    'Resources.Fn.Properties.MemorySize: TypeScript 1024, Python 512',
    'Resources.Queue: only in Python',
    'Resources.Role: only in TypeScript',
  ]);
});

test('inside a string holding JSON, the difference is named by its path in the JSON', () => {
  const schema = (max: number) => ({ Variables: { SCHEMA: JSON.stringify({ columns: [{ name: 'id', type: 'uuid' }, { name: 'qty', type: 'integer', max }] }) } });
  expect(templateDifferences(schema(20), schema(21), names)).toEqual(['Variables.SCHEMA (JSON).columns[1].max: TypeScript 20, Python 21']);
});

test('a long value is shown from just before where it differs', () => {
  const long = (tail: string) => `${'x'.repeat(300)}${tail}${'y'.repeat(300)}`;
  const [line] = templateDifferences({ a: long('ONE') }, { a: long('TWO') }, names);
  expect(line).toBe(`a: TypeScript ...${'x'.repeat(60)}ONE${'y'.repeat(87)}..., Python ...${'x'.repeat(60)}TWO${'y'.repeat(87)}...`);
});

test('a long list of differences is cut, and says so', () => {
  const many = (v: number) => Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${String(i).padStart(2, '0')}`, v]));
  const differences = templateDifferences(many(1), many(2), names, 3);
  expect(differences).toEqual(['k00: TypeScript 1, Python 2', 'k01: TypeScript 1, Python 2', 'k02: TypeScript 1, Python 2', '(stopped after 3 differences)']);
});
