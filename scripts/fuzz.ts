/**
 * `npm run fuzz -- --schemas N [--seed S]`: the adversarial property (test/adversarial-property.test.ts) over N random
 * and hostile schemas, with a fresh seed unless one is given; it prints the seed and the counts (schemas, accepted,
 * refused, generated, read back, slowest in ms). A failure prints the schema that fails, shrunk, and the seed that
 * finds it again.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const schemas = Number(option('schemas') ?? 10_000);
const seed = Number(option('seed') ?? Math.floor(Math.random() * 2 ** 31));
if (!Number.isInteger(schemas) || schemas < 1 || !Number.isInteger(seed)) {
  process.stderr.write('usage: npm run fuzz -- --schemas N [--seed S] (N a whole number from 1, S a whole number)\n');
  process.exit(2);
}
process.stderr.write(`fuzz: ${schemas} schemas, seed ${seed}\n`);
const root = path.join(__dirname, '..');
const result = spawnSync('npx', ['jest', '--coverage=false', '--ci', 'test/adversarial-property.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SCHEMAS: String(schemas), FUZZ_SEED: String(seed) },
});
process.exit(result.status ?? 1);
