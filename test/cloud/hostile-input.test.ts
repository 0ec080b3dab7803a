/**
 * Hostile test events on the real wire: the bundled handler deployed into the local AWS (moto, IAM
 * enforced) and invoked as its own role in the Lambda-like sandbox. A rejected event writes no object
 * anywhere in the bucket and forges no log record; an accepted one with hostile extra fields writes
 * exactly its one object. One deployment, a handful of invocations.
 */
import {
  deployStack, invokeFunction, listKeysUnderPrefix, type DeployedStack, type InvocationResult, type LocalCloud,
} from '../../local-cloud';
import { LOG_SERVICE_NAME } from '../../src/contract/environment';
import { DEFAULTS } from '../../src/contract/settings';
import { FORGED_LINE, FORGED_MESSAGE, Trials } from '../support/hostile-values';
import { bucketOf } from '../support/local-stack';
import { sharedCloud, sharedSalesApp } from '../support/shared-cloud';
import { recordTrials } from '../support/trust-report';

let cloud: LocalCloud;
let sales: DeployedStack;
let bucket: string;
let functionId: string;
const trials = new Trials();

beforeAll(async () => {
  const { assemblyDir, stack } = sharedSalesApp();
  cloud = sharedCloud();
  sales = await deployStack(cloud, { assemblyDir, stack, stackName: 'HostileInputSales' });
  bucket = bucketOf(sales);
  functionId = Object.values(sales.functions)[0];
});

afterAll(async () => {
  recordTrials('inputs: test event (local AWS)', trials.figures);
  await cloud?.stop();
});

/** Every key in the bucket, read with the admin's credentials. */
const allKeys = () => listKeysUnderPrefix(cloud, bucket, '');

/** The log lines the handler printed, parsed; no line anywhere holds a record the handler did not write. */
function handlerRecords(invocation: InvocationResult): Record<string, unknown>[] {
  const records = invocation.logLines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return []; // the platform's START / END / REPORT lines
    }
  });
  expect(records.some((record) => record.message === FORGED_MESSAGE || record.level === FORGED_MESSAGE)).toBe(false);
  // the logger's records; the invocation's metrics record (Embedded Metric Format, `_aws`) is not a log call
  return records.filter((record) => record.service === LOG_SERVICE_NAME && !('_aws' in record));
}

// As deep as the harness's own JSON.stringify of the event can go (deeper events are covered with the faked S3).
const DEEP = JSON.parse('['.repeat(1_000) + ']'.repeat(1_000));

test.each([
  ['a string', 'generate please', /^the event is "generate please": expected a JSON object/],
  ['an array', [1, 2], /^the event is \[1,2\]: expected a JSON object/],
  ['a negative row count', { rows: -1 }, /^event\.rows is -1: expected a positive whole number of rows/],
  ['a row count of 1e308', { rows: 1e308 }, /^event\.rows is 1e\+308: expected a positive whole number of rows/],
  ['a seed meant to forge a log record', { seed: FORGED_LINE }, /^event\.seed is "\\"}\\n{\\"level\\":\\"INFO\\",\\"message\\":\\"forged\\"}\\n/],
  ['a row count after a line separator', { rows: '\u20285' }, /^event\.rows is "\\u20285": expected a positive whole number of rows/],
  ['rows 1,000 arrays deep', { rows: DEEP }, /^event\.rows is \[{77}\.\.\.: expected a positive whole number of rows/],
])('%s is rejected, writes no object and forges no log line', async (_name, event, message) => {
  trials.tried += 1;
  const before = await allKeys();
  const invocation = await invokeFunction(cloud, functionId, { stack: sales, event });

  expect(invocation.status).toBe('Error');
  expect(invocation.error?.errorType).toBe('InvalidInputError');
  expect(invocation.error?.errorMessage).toMatch(message);
  expect(await allKeys()).toEqual(before);
  const records = handlerRecords(invocation);
  expect(records.map((record) => [record.level, record.step, record.failedStep])).toEqual([['ERROR', 'failed', 'configure']]);
  expect(records[0].message).toBe(invocation.error?.errorMessage);
  trials.count(false);
});

test('an accepted event with hostile extra fields writes exactly its one object', async () => {
  trials.tried += 1;
  const before = await allKeys();
  // An own "__proto__" key, as JSON.parse makes it, may not smuggle in another row count.
  const event = JSON.parse(`{"rows": 3, "__proto__": {"rows": 999999999}, ${JSON.stringify(FORGED_LINE)}: ${JSON.stringify(FORGED_LINE)}}`);
  const invocation = await invokeFunction(cloud, functionId, { stack: sales, event });

  const key = `${DEFAULTS.keyPrefix}sales/sales_${invocation.requestId}.csv`;
  expect(invocation.result).toMatchObject({ status: 'Success', key, rows: 3 });
  const written = (await allKeys()).filter((k) => !before.includes(k));
  trials.objectsWritten(written.length);
  expect(written).toEqual([key]);
  expect(handlerRecords(invocation).map((record) => record.step)).toEqual(['start', 'written', 'uploaded', 'done']);
  trials.count(true);
});
