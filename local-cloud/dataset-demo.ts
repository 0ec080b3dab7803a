/**
 * Steps 4 to 6 of `npm run demo -- --example retail`: invoke the generator of a dataset of related tables once (as its
 * own role, in the sandbox), ship its logs, and prove the dataset: the invocation succeeded and its conformance report
 * passed, the logs hold every table's records, every table's object is in the bucket with the size and rows reported,
 * every catalog table reads its object with its declared types, and DuckDB finds no orphan key and the children per
 * parent the dataset declares, from the saved files and the dataset's manifest alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { proveCatalogReads } from './catalog-demo';
import { catalogTableOf, type GlueTableInput } from './catalog-reader';
import type { Check } from './checks';
import { readLogEvents, shipLogEvents } from './cloudwatch-logs';
import { inspectDataFile } from './data-files';
import type { DeployedStack } from './deploy';
import { getCatalogTable, type CatalogEntry } from './glue-catalog';
import { handlerRecordOf, type HandlerRecord } from './handler-records';
import { checkIntegrity, describeFinding, type SqlCheck } from './integrity';
import { invokeFunction, type InvocationResult } from './lambda-sandbox';
import type { LocalCloud } from './moto-server';
import { getObjectBytes } from './s3-objects';
import type { DatasetManifest } from '../lambda/dataset-manifest';
import type { ConformanceCheck } from '../lambda/engine/conformance';
import type { DatasetResult } from '../lambda/handler';
import { ENV } from '../src/contract/environment';
import { describeOutputFormat, type OutputFormatDocument } from '../src/contract/output-format';

export interface DatasetDemo {
  readonly event: Record<string, unknown>;
  readonly output: OutputFormatDocument;
  /** Where the tables' objects and the manifest are saved: `<dir>/<table>/<object>` and `<dir>/<manifest>`. */
  readonly saveIn: string;
  readonly catalog: readonly CatalogEntry[];
  /** What the dataset's values must satisfy, checked by DuckDB from the saved files (the example's own checks). */
  readonly sqlChecks?: readonly SqlCheck[];
}

const indent = (text: string, prefix = '      ') => text.split('\n').map((l) => prefix + l).join('\n');

/** The conformance report as a table: one line per check. */
export function conformanceTable(checks: readonly ConformanceCheck[]): string {
  const rows = [['table', 'column', 'check', 'declared', 'observed', 'result'],
    ...checks.map((c) => [c.table ?? '', c.column, c.check, c.declared, c.observed, c.pass ? 'pass' : 'FAIL'])];
  const widths = rows[0].map((_, i) => Math.min(60, Math.max(...rows.map((row) => row[i].length))));
  const cut = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
  return rows.map((row) => row.map((cell, i) => cut(cell, widths[i])).join('  ').trimEnd()).join('\n');
}

export async function runDatasetDemoSteps(
  cloud: LocalCloud, stack: DeployedStack, demo: DatasetDemo, say: (line: string) => void,
): Promise<{ checks: Check[]; summary: Record<string, unknown>; invocation: InvocationResult }> {
  const functionName = Object.values(stack.functions)[0];
  say(`[4/6] invoking ${functionName} with ${JSON.stringify(demo.event)} as its execution role: every table of the dataset in one invocation`);
  const invocation = await invokeFunction(cloud, functionName, { stack, event: demo.event, log: (line) => say(`      ${line}`) });
  const fn = invocation.function;
  say(`      ${invocation.status} in ${invocation.durationMs.toFixed(0)} ms on Node.js ${invocation.node.version} (${invocation.node.source}), ${fn.memorySizeMb} MB`);

  say(`[5/6] shipping ${invocation.logEvents.length} log lines to log group ${fn.logGroupName}`);
  await shipLogEvents(cloud, { logGroupName: fn.logGroupName, logStreamName: invocation.logStreamName, events: invocation.logEvents });

  say('[6/6] proof checks');
  const checks: Check[] = [];
  const result = invocation.result as DatasetResult | undefined;
  const succeeded = invocation.status === 'Success' && result?.status === 'Success';
  checks.push({
    name: 'invocation',
    ok: succeeded && result.conformance.failed === 0,
    detail: succeeded
      ? `${result.tables.map((t) => `${t.name} ${t.rows} rows`).join(', ')}; ${result.conformance.checks} conformance checks, ${result.conformance.failed} failed`
      : `${invocation.status}: ${JSON.stringify(invocation.error ?? invocation.result)}`,
  });
  say(`  (1) invocation: ${checks[0].ok ? 'OK' : 'FAILED'} ${checks[0].detail}`);
  const bucket = result?.bucket ?? fn.environment[ENV.BUCKET_NAME];
  if (!succeeded || bucket === undefined) return { checks, summary: { status: invocation.status, bucket: bucket ?? null }, invocation };

  const events = await readLogEvents(cloud, fn.logGroupName);
  const records = events.map((e) => handlerRecordOf(e.message ?? '')).filter((r) => r?.function_request_id === invocation.requestId);
  const written = records.filter((r) => r?.step === 'written');
  const reportOf = (record: HandlerRecord | undefined) => (record?.conformance as { checks?: unknown[] } | undefined)?.checks;
  const tablesLogged = result.tables.filter((t) => written.some((r) => r?.table === t.name && reportOf(r) !== undefined));
  const datasetDone = records.some((r) => r?.step === 'datasetDone');
  checks.push({
    name: 'logs',
    ok: tablesLogged.length === result.tables.length && datasetDone,
    detail: `${records.length} records of request ${invocation.requestId} in ${fn.logGroupName}: a written record with its conformance report for `
      + `${tablesLogged.map((t) => t.name).join(', ') || 'no table'}${datasetDone ? ', and the dataset\'s datasetDone' : '; no datasetDone record'}`,
  });
  say(`  (2) log events: ${checks[1].ok ? 'OK' : 'FAILED'} ${checks[1].detail}`);

  // Every table's object and the manifest, saved as they are in the bucket.
  const manifestBytes = await getObjectBytes(cloud, bucket, result.manifestKey);
  const manifestFile = path.join(demo.saveIn, path.basename(result.manifestKey));
  fs.writeFileSync(manifestFile, manifestBytes);
  const manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as DatasetManifest;
  const saved: Array<{ name: string; file: string; uri: string; rows: number }> = [];
  const problems: string[] = [];
  for (const table of manifest.tables) {
    const bytes = await getObjectBytes(cloud, bucket, table.key);
    fs.mkdirSync(path.join(demo.saveIn, table.name), { recursive: true });
    const file = path.join(demo.saveIn, table.name, path.basename(table.key));
    fs.writeFileSync(file, bytes);
    const shape = await inspectDataFile(file, demo.output);
    if (bytes.length !== table.bytes) problems.push(`${table.key} has ${bytes.length} bytes, the manifest says ${table.bytes}`);
    if (shape.rows !== table.rows) problems.push(`${table.key} has ${shape.rows} rows, the manifest says ${table.rows}`);
    saved.push({ name: table.name, file, uri: `s3://${bucket}/${table.key}`, rows: shape.rows });
  }
  checks.push({
    name: 'objects',
    ok: problems.length === 0 && saved.length === result.tables.length,
    detail: `${saved.map((t) => `${t.name}: ${t.rows} rows`).join(', ')} of ${describeOutputFormat(demo.output)}, and the manifest `
      + `${result.manifestKey}${problems.length ? `; ${problems.join('; ')}` : ', each as reported'}; saved in ${demo.saveIn}`,
  });
  say(`  (3) objects: ${checks[2].ok ? 'OK' : 'FAILED'} ${checks[2].detail}`);

  const reads: Check[] = [];
  for (const entry of demo.catalog) {
    const object = saved.find((t) => t.name === entry.tableName);
    reads.push(object
      ? await proveCatalogReads(cloud, entry, { files: [object.file], uris: [object.uri], rows: object.rows }, () => undefined)
      : { name: 'catalog', ok: false, detail: `no object of table ${entry.tableName}` });
  }
  checks.push({
    name: 'catalog',
    ok: reads.length === saved.length && reads.every((r) => r.ok),
    detail: reads.map((r) => r.detail.replace(/ with the declared types \(.*\)/, ' with the declared types')).join('\n'),
  });
  say(`  (4) catalog tables: ${checks[3].ok ? 'OK' : 'FAILED'}\n${indent(checks[3].detail, '        ')}`);

  // Integrity from the saved files and the manifest only: the catalog tables say how to read each file.
  const tables = [];
  for (const entry of demo.catalog) {
    const object = saved.find((t) => t.name === entry.tableName);
    if (!object) continue;
    const stored = await getCatalogTable(cloud, entry);
    tables.push({ name: entry.tableName, table: catalogTableOf(stored as unknown as GlueTableInput), files: [object.file] });
  }
  const { foreignKeys: findings, sql } = await checkIntegrity(tables, manifest.foreignKeys, demo.sqlChecks ?? []);
  checks.push({
    name: 'integrity',
    ok: findings.length === manifest.foreignKeys.length && findings.every((f) => f.ok),
    detail: findings.map(describeFinding).join('\n'),
  });
  say(`  (5) foreign keys, by DuckDB from the files: ${checks[4].ok ? 'OK' : 'FAILED'}\n${indent(checks[4].detail, '        ')}`);
  if (demo.sqlChecks !== undefined) {
    checks.push({
      name: 'values',
      ok: sql.length === demo.sqlChecks.length && sql.every((f) => f.ok),
      detail: sql.map((f) => `${f.name}: ${f.observed}: ${f.ok ? 'OK' : 'FAILED'}`).join('\n'),
    });
    say(`  (6) the dataset's values, recomputed by DuckDB from the files: ${checks[5].ok ? 'OK' : 'FAILED'}\n${indent(checks[5].detail, '        ')}`);
  }

  say(`      conformance report (${manifest.conformance.checks} checks, ${manifest.conformance.failed} failed; tolerance: ${manifest.conformance.tolerance}):`);
  say(indent(conformanceTable(manifest.conformance.results), '        '));

  const ok = checks.every((c) => c.ok);
  return {
    checks,
    invocation,
    summary: {
      status: ok ? 'Success' : 'Failed',
      bucket,
      dataset: manifest.dataset,
      format: describeOutputFormat(demo.output),
      tables: manifest.tables.map((t) => ({ name: t.name, rows: t.rows, objects: 1 })),
      conformance: { checks: manifest.conformance.checks, failed: manifest.conformance.failed },
      foreignKeys: findings.map((f) => ({ key: `${f.foreignKey.table}.${f.foreignKey.column}`, orphans: f.orphans, ok: f.ok })),
      manifestKey: result.manifestKey,
      logEvents: events.length,
    },
  };
}
