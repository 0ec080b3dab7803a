/**
 * The build toolchain runs on Node.js 24: every projen task (and so `npm test`) puts a
 * Node.js of at least that major first on PATH, fetched from the npm registry when the machine's is older
 * (toolchain/node.js, wired in .projenrc.ts).
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { pathWithNode } from '../../toolchain/node';

const run = promisify(execFile);
const NODE_SCRIPT = path.join(__dirname, '..', '..', 'toolchain', 'node.js');
const BUILD_MAJOR = 24; // BUILD_NODE_MAJOR in .projenrc.ts

test('the tests run on Node.js 24 or later, even where the machine has an older Node.js', () => {
  // Run through `npm test` or `npx projen test`; a bare `npx jest` runs on whatever Node.js is first on PATH.
  expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(BUILD_MAJOR);
});

test('PATH is left as it is when the running Node.js is already recent enough', async () => {
  const current = Number(process.versions.node.split('.')[0]);
  await expect(pathWithNode(current, '/a:/b')).resolves.toBe('/a:/b');
});

test('when Node.js cannot be fetched, the toolchain says which package it tried and what to do', async () => {
  // A major no machine has, from a registry that refuses connections at once: nothing is fetched.
  const failed = run(process.execPath, [NODE_SCRIPT, 'path', '999'], {
    env: { ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' },
  });
  await expect(failed).rejects.toMatchObject({
    code: 1,
    stdout: '',
    stderr: expect.stringMatching(
      new RegExp(`\nNode.js 999 is needed \\(this is Node.js ${process.version}\\), and it could not be fetched from the npm registry as `
        + `node-${process.platform}-${process.arch}@999: FetchError: request to http://127.0.0.1:9/node-${process.platform}-${process.arch} failed, `
        + 'reason: connect ECONNREFUSED 127.0.0.1:9\\. Check that npm reaches its registry \\(npm config get registry\\), '
        + 'or install Node.js 999 or later and put it first on PATH\\.\n$'),
    ),
  });
});

test('deprecated aws-cdk-lib API fails every synth of the tests, as in a pipeline that sets JSII_DEPRECATED=fail', () => {
  // Set for every projen task in .projenrc.ts; a deprecated call in the construct would fail the suite that synthesizes it.
  expect(process.env.JSII_DEPRECATED).toBe('fail');
  const stack = new Stack();
  const [first, second] = ['First', 'Second'].map((id) => new CfnResource(stack, id, { type: 'Test::Resource' }));
  expect(() => first.addDependsOn(second)).toThrow(/aws-cdk-lib\.CfnResource#addDependsOn is deprecated/);
});
