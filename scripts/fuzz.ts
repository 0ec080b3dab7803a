/**
 * `npm run fuzz -- --schemas N [--seed S]`: the adversarial property (test/support/adversarial-property.ts) over N random
 * and hostile schemas, with a fresh seed unless one is given; it prints the seed, the counts (schemas, accepted, refused,
 * generated, read back, slowest in ms) and the time. A failure prints the schema that fails, shrunk, and the seed that
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
process.stdout.write(`fuzz: ${schemas} schemas, seed ${seed}\n`);
const started = Date.now();
const result = spawnSync('npx', ['jest', '--coverage=false', '--ci', 'test/property/adversarial-property-1.test.ts'], {
  cwd: path.join(__dirname, '..'),
  stdio: ['inherit', 'inherit', 'pipe'],
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
  env: { ...process.env, FUZZ_SCHEMAS: String(schemas), FUZZ_SEED: String(seed) },
});
process.stderr.write(result.stderr ?? '');
// The property's own line of counts (support/adversarial-property.ts), repeated last so that it is not lost in jest's output.
const counts = /^adversarial property: (.*)$/m.exec(result.stderr ?? '')?.[1];
const slowest = /^adversarial property, the slowest schema .*$/m.exec(result.stderr ?? '')?.[0];
const seconds = Math.round((Date.now() - started) / 1000);
process.stdout.write(counts === undefined
  ? `fuzz: failed after ${seconds} s (seed ${seed}: npm run fuzz -- --schemas ${schemas} --seed ${seed} finds it again)\n`
  : `${slowest}\nfuzz: ${counts} in ${seconds} s\n`);
process.exit(result.status ?? 1);
