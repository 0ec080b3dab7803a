/**
 * Sharded runs: one dataset made by many invocations in parallel (the construct's state machine), shared by
 * the construct (the state machine's payloads, at synth time) and the handler (the events it receives).
 *
 * A run is named by its run id. Its plan, its seed and the key of every part follow from the deployed
 * settings and the run id alone, so starting the same run id again finds the same objects and rewrites none.
 * It imports only contract modules, and through the schema's validator the expression parser (jsep).
 */
import type { SchemaDocument } from './column-documents';
import type { DatasetDocument } from './dataset-document';
import { describeValue, fail, InvalidInputError } from './errors';
import { MAX_ROWS_CEILING } from './limits';
import { runIdOfScheduledTime, SCHEDULED_TIME_FIELD } from './schedule';
import { datasetFolder, tableFolder } from './settings';

/**
 * The most parts a run may have. The Distributed Map returns every part's record (about 150 bytes) in one
 * state output, which Step Functions caps at 256 KiB: 1,000 parts leave room to spare.
 */
export const MAX_SHARDS = 1000;

/** The most rows of one run: MAX_SHARDS parts of the most rows one invocation may make. */
export const MAX_RUN_ROWS = MAX_SHARDS * MAX_ROWS_CEILING;

/** Digits of a part's index in its key (`part-00042.csv`), as Hadoop and Spark name parts. */
const PART_INDEX_DIGITS = 5;

const SHA256_HEX = /^[0-9a-f]{64}$/;

// Step Functions execution names allow more; a run id is also an S3 folder name, so keep to the safe characters.
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/** What the function does with an event of the state machine (an event without `action` makes one object). */
export const RUN_ACTIONS = {
  /** Validate the execution's input and return the run id, seed and plan. */
  planRun: 'planRun',
  /** Write one part of the run. */
  writePart: 'writePart',
  /** Check the parts' records against the plan, then write the manifest and `_SUCCESS`. */
  writeManifest: 'writeManifest',
} as const;

/** One part of a run: rows [firstRow, firstRow + rows) of the dataset, or of one table of a dataset of tables. */
export interface ShardDescriptor {
  readonly index: number;
  /** The table of a dataset of tables whose rows the part holds; absent for a single table. */
  readonly table?: string;
  readonly firstRow: number;
  readonly rows: number;
}

/** What a written part reports, and the manifest lists. */
export interface PartRecord extends ShardDescriptor {
  readonly bytes: number;
  /** SHA-256 of the part's bytes, in lowercase hex. */
  readonly sha256: string;
  /** The part's conformance checks: how many, how many failed (each one is in the part's written log record). */
  readonly conformance?: { readonly checks: number; readonly failed: number };
}

/**
 * Splits `rows` into `shards` parts as evenly as possible: the first `rows % shards` parts have one row more.
 * Parts are contiguous and in order, so their rows, concatenated, are rows 0 to rows - 1 of the dataset.
 */
export function planShards(rows: number, shards: number): ShardDescriptor[] {
  const base = Math.floor(rows / shards);
  const longer = rows % shards;
  return Array.from({ length: shards }, (_, index) => ({
    index,
    firstRow: index * base + Math.min(index, longer),
    rows: base + (index < longer ? 1 : 0),
  }));
}

/**
 * The parts of a run of a dataset of tables: `shards` parts shared among the tables in proportion to their rows (at
 * least one each, never more than a table's rows), each table split as planShards splits one; numbered across the
 * tables in their order.
 */
export function planDatasetShards(dataset: DatasetDocument, shards: number): ShardDescriptor[] {
  const total = dataset.tables.reduce((sum, table) => sum + table.rows, 0);
  let index = 0;
  return dataset.tables.flatMap((table) => {
    const parts = Math.min(table.rows, Math.max(1, Math.round((shards * table.rows) / total)));
    return planShards(table.rows, parts).map((part) => ({ index: index++, table: table.name, firstRow: part.firstRow, rows: part.rows }));
  });
}

/** A dataset of tables as a sharded run: no more parts than a run may have, and no part more rows than an invocation may make. */
export function validateDatasetRun(where: string, dataset: DatasetDocument, shards: number, maxRows: number): ShardDescriptor[] {
  const plan = planDatasetShards(dataset, shards);
  if (plan.length > MAX_SHARDS) {
    throw new InvalidInputError(`${where}: ${shards} shards over ${dataset.tables.length} tables make ${plan.length} parts (at least one per table), `
      + `above the ${MAX_SHARDS} a run may have; use fewer shards`);
  }
  const largest = plan.reduce((most, part) => (part.rows > most.rows ? part : most), plan[0]);
  if (largest.rows > maxRows) {
    throw new InvalidInputError(`${where}: with ${shards} shards, a part of table ${largest.table} has ${largest.rows} rows, above maxRows (${maxRows}) `
      + 'per invocation; use more shards, or raise maxRows');
  }
  return plan;
}

export function validateShards(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_SHARDS) {
    fail(where, value, `expected a whole number of parts from 1 to ${MAX_SHARDS}`);
  }
  return value;
}

/**
 * The rows of a sharded run: every part must have a row, and no part more than one invocation may make.
 * Sequence columns must stay exact integers over the whole run, not only over one invocation's rows.
 */
export function validateRunRows(where: string, rows: unknown, shards: number, maxRows: number, schema?: SchemaDocument): number {
  if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 1 || rows > MAX_RUN_ROWS) {
    fail(where, rows, `expected a whole number of rows from 1 to ${MAX_RUN_ROWS}`);
  }
  if (rows < shards) fail(where, rows, `fewer rows than the ${shards} parts (shards); every part needs at least one row`);
  const perPart = Math.ceil(rows / shards);
  if (perPart > maxRows) {
    fail(where, rows, `${shards} parts (shards) would have up to ${perPart} rows each, above maxRows (${maxRows}) per invocation; `
      + `use at least ${Math.ceil(rows / maxRows)} shards, or raise maxRows`);
  }
  for (const column of schema?.columns ?? []) {
    if (column.type !== 'sequence') continue;
    const last = BigInt(column.start) + BigInt(column.step) * BigInt(rows - 1);
    if (last > BigInt(Number.MAX_SAFE_INTEGER) || last < -BigInt(Number.MAX_SAFE_INTEGER)) {
      fail(where, rows, `sequence column ${describeValue(column.name)} would reach ${last} at the last row, beyond the exact integer range `
        + `(±${Number.MAX_SAFE_INTEGER}); use fewer rows or a smaller start or step`);
    }
  }
  return rows;
}

export function validateRunId(where: string, value: unknown): string {
  if (typeof value !== 'string' || !RUN_ID.test(value)) {
    fail(where, value, 'expected a run id of 1 to 80 letters, digits, ".", "_" or "-", starting with a letter or digit '
      + '(it names the run\'s folder in the bucket)');
  }
  return value;
}

/** The folder of a run's objects, in its dataset's folder: `<keyPrefix><datasetName>/<runId>/`. */
export function runFolder(keyPrefix: string, datasetName: string, runId: string): string {
  return `${datasetFolder(keyPrefix, datasetName)}${validateRunId('the run id', runId)}/`;
}

/**
 * A part's key, with the extension of the run's format: `part-00007.csv`, `part-00007.parquet`, ... in the run's folder;
 * a part of a table of a dataset of tables in the run's folder inside the table's folder (`<table>/<runId>/`), which its
 * catalog table reads.
 */
export function partKey(keyPrefix: string, datasetName: string, runId: string, index: number, extension: string, table?: string): string {
  const folder = table === undefined
    ? runFolder(keyPrefix, datasetName, runId)
    : `${tableFolder(keyPrefix, datasetName, table)}${validateRunId('the run id', runId)}/`;
  return `${folder}part-${String(index).padStart(PART_INDEX_DIGITS, '0')}${extension}`;
}

export function manifestKey(keyPrefix: string, datasetName: string, runId: string): string {
  return `${runFolder(keyPrefix, datasetName, runId)}_manifest.json`;
}

/** Written last: readers wait for it before they read the run, as for a Hadoop or Spark job's output. */
export function successKey(keyPrefix: string, datasetName: string, runId: string): string {
  return `${runFolder(keyPrefix, datasetName, runId)}_SUCCESS`;
}

/** An event of the state machine, validated. */
export type RunEvent =
  | { readonly action: 'planRun'; readonly runId: string }
  | { readonly action: 'writePart'; readonly runId: string; readonly settings: string; readonly part: ShardDescriptor }
  | { readonly action: 'writeManifest'; readonly runId: string; readonly settings: string; readonly parts: readonly PartRecord[] };

/** The fields of the execution's input; anything else is refused, so a misspelt field is not silently ignored. */
const EXECUTION_INPUT_FIELDS = ['runId', SCHEDULED_TIME_FIELD];

/**
 * The run id of an execution: the input's `runId`, or the run id of its `scheduledTime` (an execution the construct's
 * schedule started, see schedule.ts), or else the execution's name (which Step Functions makes unique per state machine
 * when the caller gives none).
 */
export function runIdOfExecution(input: unknown, executionName: unknown): string {
  if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
    fail('the execution input', input, 'expected a JSON object such as {"runId": "nightly-2026-11-27"}, or {} to name the run after the execution');
  }
  const record = (input ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !EXECUTION_INPUT_FIELDS.includes(k));
  if (unknown.length > 0) {
    const seedHint = unknown.includes('seed') || unknown.includes('rows')
      ? ': rows and seed of a sharded run are the construct\'s props (a run id names one dataset, made the same way every time it is started)'
      : '';
    throw new InvalidInputError(`the execution input has ${unknown.map((k) => describeValue(k)).join(', ')}: `
      + `only "runId" is accepted${seedHint}`);
  }
  if (record[SCHEDULED_TIME_FIELD] !== undefined) {
    if (record.runId !== undefined) fail('the execution input', input, `expected "runId" or "${SCHEDULED_TIME_FIELD}", not both`);
    return runIdOfScheduledTime(`the execution input's ${SCHEDULED_TIME_FIELD}`, record[SCHEDULED_TIME_FIELD]);
  }
  if (record.runId !== undefined) return validateRunId('the execution input\'s runId', record.runId);
  if (typeof executionName === 'string' && RUN_ID.test(executionName)) return executionName;
  return fail('the execution name', executionName, 'it cannot name the run (letters, digits, ".", "_" and "-" only, at most 80): '
    + 'give a run id in the input, {"runId": "…"}');
}

function requireRecord(where: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, value, 'expected a JSON object');
  return value as Record<string, unknown>;
}

function requireCount(where: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) fail(where, value, `expected a whole number from ${min}`);
  return value;
}

/**
 * A part of the plan, as the event names it: it must be exactly the plan's part of that index, so that no event
 * can write rows of the dataset into the wrong part.
 */
function requirePlannedPart(where: string, value: unknown, plan: readonly ShardDescriptor[]): ShardDescriptor {
  const record = requireRecord(where, value);
  const index = requireCount(`${where}.index`, record.index, 0);
  const planned = plan[index];
  if (!planned) fail(`${where}.index`, index, `the run has ${plan.length} parts, numbered from 0`);
  const firstRow = requireCount(`${where}.firstRow`, record.firstRow, 0);
  const rows = requireCount(`${where}.rows`, record.rows, 1);
  if (record.table !== undefined && record.table !== planned.table) {
    fail(`${where}.table`, record.table, `part ${index} of this run's plan is of ${planned.table === undefined ? 'the single table' : `table ${planned.table}`}`);
  }
  if (firstRow !== planned.firstRow || rows !== planned.rows) {
    throw new InvalidInputError(`${where} is rows ${firstRow} to ${firstRow + rows - 1}, but part ${index} of this run's plan is rows `
      + `${planned.firstRow} to ${planned.firstRow + planned.rows - 1}: the event does not come from this function's state machine `
      + 'or its settings changed since the run was planned; start the run again');
  }
  return planned;
}

/**
 * Validates an event of the state machine against the function's plan. `executionName` is only read by
 * `planRun`, whose input is the execution's.
 */
export function validateRunEvent(event: Record<string, unknown>, plan: readonly ShardDescriptor[] | undefined): RunEvent {
  const action = event.action;
  if (action !== RUN_ACTIONS.planRun && action !== RUN_ACTIONS.writePart && action !== RUN_ACTIONS.writeManifest) {
    fail('event.action', action, `expected one of ${Object.values(RUN_ACTIONS).map((a) => `"${a}"`).join(', ')} (events of the state machine), `
      + 'or no action to write one object');
  }
  if (!plan) {
    throw new InvalidInputError(`the event asks for "${action}", a step of a sharded run, but this function was deployed without shards: `
      + 'set the construct\'s prop shards to add the state machine');
  }
  if (action === RUN_ACTIONS.planRun) return { action, runId: runIdOfExecution(event.input, event.executionName) };
  const runId = validateRunId('event.runId', event.runId);
  if (typeof event.settings !== 'string' || !SHA256_HEX.test(event.settings)) {
    fail('event.settings', event.settings, 'expected the fingerprint of the settings the run was planned with (64 lowercase hex digits, from planRun)');
  }
  const settings = event.settings;
  if (action === RUN_ACTIONS.writePart) return { action, runId, settings, part: requirePlannedPart('event.part', event.part, plan) };
  if (!Array.isArray(event.parts)) fail('event.parts', event.parts, 'expected the records of the run\'s parts');
  if (event.parts.length !== plan.length) {
    fail('event.parts', `${event.parts.length} records`, `the run has ${plan.length} parts; every part must be written before the manifest`);
  }
  const parts = event.parts.map((raw: unknown, i: number): PartRecord => {
    const where = `event.parts[${i}]`;
    const part = requirePlannedPart(where, raw, plan);
    if (part.index !== i) fail(`${where}.index`, part.index, `expected ${i}: the records must be in the order of the parts`);
    const record = raw as Record<string, unknown>;
    const bytes = requireCount(`${where}.bytes`, record.bytes, 1);
    if (typeof record.sha256 !== 'string' || !SHA256_HEX.test(record.sha256)) fail(`${where}.sha256`, record.sha256, 'expected 64 lowercase hex digits');
    if (record.conformance === undefined) return { ...part, bytes, sha256: record.sha256 };
    const conformance = requireRecord(`${where}.conformance`, record.conformance);
    const checks = requireCount(`${where}.conformance.checks`, conformance.checks, 0);
    const failed = requireCount(`${where}.conformance.failed`, conformance.failed, 0);
    return { ...part, bytes, sha256: record.sha256, conformance: { checks, failed } };
  });
  return { action, runId, settings, parts };
}
