import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

// What `npm install cdk-synthetic-data` gets: the prebuilt handler bundle the construct points at,
// and none of the development sources (handler source, local cloud, tests, examples).
test('the npm tarball ships the handler bundle and no development sources', () => {
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: path.join(__dirname, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
  }));
  const files: string[] = pack.files.map((f: { path: string }) => f.path);
  expect(files).toContain('assets/lambda/handler/index.js');
  expect(files.filter((f) => /^(lambda|local-cloud|test|examples|scripts|toolchain|src|cdk\.out|\.local-cloud|\.ci)\//.test(f))).toEqual([]);
});
