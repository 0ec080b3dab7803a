/**
 * The Python package works as the README promises: jsii-pacmak builds it from the compiled assembly, pip installs it
 * into a fresh virtual environment beside aws-cdk-lib and constructs from PyPI (examples/python/requirements.txt,
 * hashes checked), and examples/python/app.py, which builds the example sales app with the typed schema, synthesizes
 * the same template as the TypeScript example (examples/sales-app.ts), asset hashes aside. A change to the API that
 * jsii cannot carry over to Python fails here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packJsii, ROOT, run, testLanguageApp } from './support';
import { isolatedPythonEnv } from '../../local-cloud/python-tools';

const EXAMPLE = path.join(ROOT, 'examples', 'python');

testLanguageApp('Python', async (work) => {
  const dist = await packJsii('python', path.join(work, 'dist'));
  const [wheel] = fs.readdirSync(dist).filter((f) => f.endsWith('.whl'));
  if (!wheel) throw new Error(`jsii-pacmak made no wheel in ${dist}: ${fs.readdirSync(dist).join(', ')}`);

  const env = isolatedPythonEnv();
  const python = path.join(work, 'venv', 'bin', 'python');
  await run('python3', ['-m', 'venv', path.join(work, 'venv')], { env });
  await run(python, ['-m', 'pip', 'install', '--no-input', '--require-hashes', '--only-binary', ':all:', '-r', path.join(EXAMPLE, 'requirements.txt')], { env });
  // The wheel's own requirements (aws-cdk-lib, constructs, jsii, publication) must be met by what requirements.txt installed.
  await run(python, ['-m', 'pip', 'install', '--no-input', '--no-deps', path.join(dist, wheel)], { env });
  await run(python, ['-m', 'pip', 'check'], { env });
  const installed = JSON.parse(await run(python, ['-c', 'import json, importlib.metadata as m; print(json.dumps({d.metadata["Name"]: d.version for d in m.distributions()}))'], { env }));

  const assembly = path.join(work, 'python.out');
  await run(python, [path.join(EXAMPLE, 'app.py')], { cwd: work, env: { ...env, CDK_OUTDIR: assembly } });
  return { assembly, cdkVersions: { 'aws-cdk-lib': installed['aws-cdk-lib'], 'constructs': installed.constructs } };
});
