/**
 * The iot example: device telemetry as a dataset of three related tables made together by one SyntheticDataGenerator,
 * with the typed API (examples/iot.dataset.json is the same dataset as JSON):
 * - device_models (12 rows): a name and a vendor each;
 * - devices (900 rows): a model chosen with a Zipf skew, the model's name looked up, a site and an installation time;
 * - readings: Poisson counts per device (mean 1,000, 50 to 3,000; about 900,000 in all), each device's site looked up,
 *   its readings in time order from its installation to the end of June (a series per device), and a temperature with
 *   the device's own level, a smooth drift, a daily cycle peaking at 15:00 UTC and noise.
 * The laws and bounds are in IOT_VALUES (iot-checks.ts), which the demo's DuckDB checks read too.
 * `npm run demo -- --example iot` synthesizes it into cdk.out/ and deploys it into the local cloud.
 */
import { App, Stack } from 'aws-cdk-lib';
import { exampleStack, synthesizeExample } from './example-app';
import { IOT_VALUES } from './iot-checks';
import { outputFormatOf } from './sales-app';
import { ChildCounts, Column, Schema, SyntheticDataGenerator, Table } from '../src';
import type { OutputFormatDocument } from '../src/contract/output-format';

export const IOT_STACK_NAME = 'SyntheticIotData';
export const IOT_DATASET_NAME = 'iot';

/** The iot dataset's tables, with the typed schema API. */
export function iotTables(): Table[] {
  const { readingsPerDevice, installedAt, readAt, temperature } = IOT_VALUES;
  const deviceModels = Table.of('device_models', Schema.fromColumns([
    Column.sequence('model_id', { start: 1 }),
    Column.faker('model_name', 'commerce.productName'),
    Column.oneOf('vendor', ['Acme Sensors', 'Northwind IoT', 'Globex Devices']),
  ]), { rows: IOT_VALUES.models });
  const devices = Table.of('devices', Schema.fromColumns([
    Column.uuid('device_id'),
    // A few models make up most of the fleet; each device carries its model's name (a lookup, never a join).
    Column.reference('model_id', { table: 'device_models', column: 'model_id', skew: 1 }),
    Column.lookup('model_name', { through: ['model_id'], column: 'model_name' }),
    Column.oneOf('site', ['berlin', 'lyon', 'porto', 'oslo'], { weights: [40, 30, 20, 10] }),
    Column.timestamp('installed_at', { from: installedAt.from, to: installedAt.to }),
  ]), { rows: IOT_VALUES.devices });
  const readings = Table.of('readings', Schema.fromColumns([
    Column.reference('device_id', {
      table: 'devices',
      column: 'device_id',
      minChildren: readingsPerDevice.min,
      maxChildren: readingsPerDevice.max,
      childCounts: ChildCounts.poisson(readingsPerDevice.mean),
    }),
    // The device's installation time, a helper not written: each device reports from then on.
    Column.lookup('installed_at', { through: ['device_id'], column: 'installed_at', omit: true }),
    Column.lookup('site', { through: ['device_id'], column: 'site' }),
    Column.seriesTime('read_at', { reference: 'device_id', start: 'installed_at', from: readAt.from, to: readAt.to }),
    Column.seriesValue('temperature', {
      reference: 'device_id',
      time: 'read_at',
      levelMin: temperature.levelMin,
      levelMax: temperature.levelMax,
      driftStandardDeviation: temperature.driftStandardDeviation,
      driftReversionDays: temperature.driftReversionDays,
      dailyAmplitude: temperature.dailyAmplitude,
      dailyPeakHour: temperature.dailyPeakHour,
      noise: temperature.noise,
      fractionDigits: 2,
    }),
    Column.integer('battery_level', { min: 0, max: 100 }),
  ]));
  return [deviceModels, devices, readings];
}

/** Builds the iot stack in `app`: CSV unless an output format is given. */
export function addIotStack(app: App, output?: OutputFormatDocument, stackName = IOT_STACK_NAME): Stack {
  const stack = exampleStack(app, stackName);
  new SyntheticDataGenerator(stack, 'IotData', {
    tables: iotTables(),
    datasetName: IOT_DATASET_NAME,
    ...output && { outputFormat: outputFormatOf(output) },
  });
  return stack;
}

/** Synthesizes the iot app into `outdir` and says where its stack is. */
export function synthesizeIotApp(options: { outdir: string; output?: OutputFormatDocument }): { stackName: string; assemblyDir: string } {
  return synthesizeExample(options.outdir, (app) => addIotStack(app, options.output));
}

if (require.main === module) {
  const { stackName, assemblyDir } = synthesizeIotApp({ outdir: process.argv[2] ?? 'cdk.out' });
  console.log(`synthesized ${stackName} into ${assemblyDir}`);
}
