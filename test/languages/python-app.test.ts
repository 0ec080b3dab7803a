/**
 * The Python package works as the README promises: jsii-pacmak builds it from the compiled assembly, pip installs it
 * into a fresh virtual environment beside aws-cdk-lib and constructs from PyPI (examples/python/requirements.txt,
 * hashes checked), and examples/python/app.py, which builds the example sales app with the typed schema, synthesizes
 * the same template as the TypeScript example (examples/sales-app.ts), asset hashes aside. A change to the API that
 * jsii cannot carry over to Python fails here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  differencesFromTypeScript, packJsii, ROOT, run, SALES_STACK_NAME, scratchDirectory, synthesizeTypeScriptExample, TYPESCRIPT_CDK_VERSIONS,
} from './support';
import { isolatedPythonEnv } from '../../local-cloud/python-tools';

const EXAMPLE = path.join(ROOT, 'examples', 'python');
const work = scratchDirectory('python-app');
const venvPython = path.join(work, 'venv', 'bin', 'python');
let installed: Record<string, string>;
let pythonAssembly: string;
let typescriptAssembly: string;

beforeAll(async () => {
  const dist = await packJsii('python', path.join(work, 'dist'));
  const [wheel] = fs.readdirSync(dist).filter((f) => f.endsWith('.whl'));
  if (!wheel) throw new Error(`jsii-pacmak made no wheel in ${dist}: ${fs.readdirSync(dist).join(', ')}`);

  const env = isolatedPythonEnv();
  await run('python3', ['-m', 'venv', path.join(work, 'venv')], { env });
  await run(venvPython, ['-m', 'pip', 'install', '--no-input', '--require-hashes', '--only-binary', ':all:', '-r', path.join(EXAMPLE, 'requirements.txt')], { env });
  // The wheel's own requirements (aws-cdk-lib, constructs, jsii, publication) must be met by what requirements.txt installed.
  await run(venvPython, ['-m', 'pip', 'install', '--no-input', '--no-deps', path.join(dist, wheel)], { env });
  await run(venvPython, ['-m', 'pip', 'check'], { env });
  installed = JSON.parse(await run(venvPython, ['-c', 'import json, importlib.metadata as m; print(json.dumps({d.metadata["Name"]: d.version for d in m.distributions()}))'], { env }));

  pythonAssembly = path.join(work, 'python.out');
  await run(venvPython, [path.join(EXAMPLE, 'app.py')], { cwd: work, env: { ...env, CDK_OUTDIR: pythonAssembly } });
  typescriptAssembly = synthesizeTypeScriptExample(path.join(work, 'typescript.out'));
}, 900_000);

test('the Python app synthesizes the TypeScript example\'s template', () => {
  expect(fs.existsSync(path.join(pythonAssembly, `${SALES_STACK_NAME}.template.json`))).toBe(true);
  expect(differencesFromTypeScript(typescriptAssembly, pythonAssembly, 'Python')).toEqual([]);
});

test('the Python app is built with the aws-cdk-lib and constructs the TypeScript example uses', () => {
  expect({ 'aws-cdk-lib': installed['aws-cdk-lib'], 'constructs': installed.constructs }).toEqual(TYPESCRIPT_CDK_VERSIONS);
  expect(installed['cdk-synthetic-data']).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
});
