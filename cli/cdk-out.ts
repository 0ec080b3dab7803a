/**
 * The settings of a SyntheticDataGenerator in a user's synthesized app (`cdk synth` → cdk.out/): the environment the
 * construct gave its function, and the folder of the function's code (a large dataset's document is a file there).
 * The handler's own configuration reader (lambda/config.ts) then validates them, exactly as the deployed function would.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './command';
import { ENV } from '../src/contract/environment';

export interface GeneratorInApp {
  /** The construct's path in the app (its function's `aws:cdk:path`, without the function's own part). */
  readonly constructPath: string;
  /** The function's environment; values CloudFormation resolves at deployment (the bucket's name) are left out. */
  readonly environment: Record<string, string>;
  /** The folder of the function's code in cdk.out/, where the construct puts a large dataset's document. */
  readonly codeDir?: string;
}

interface TemplateResource {
  readonly Type?: string;
  readonly Properties?: { readonly Environment?: { readonly Variables?: Record<string, unknown> }; readonly Code?: { readonly S3Key?: unknown } };
  readonly Metadata?: Record<string, unknown>;
}

/** Every template of the cloud assembly, nested stages (assembly-*) included. */
function templatesOf(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name.endsWith('.template.json')) found.push(full);
    else if (entry.isDirectory() && entry.name.startsWith('assembly-')) found.push(...templatesOf(full));
  }
  return found;
}

/** Every SyntheticDataGenerator function of the app: a Lambda function whose environment has the output format variable. */
export function generatorsInApp(cdkOut: string): GeneratorInApp[] {
  if (!fs.existsSync(path.join(cdkOut, 'manifest.json'))) {
    throw new UsageError(`--cdk-out ${cdkOut} is not a cloud assembly (it has no manifest.json): run \`cdk synth\` in your app and give its cdk.out folder`);
  }
  const generators: GeneratorInApp[] = [];
  for (const templateFile of templatesOf(cdkOut)) {
    const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as { Resources?: Record<string, TemplateResource> };
    const stackName = path.basename(templateFile, '.template.json');
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const variables = resource.Properties?.Environment?.Variables;
      if (resource.Type !== 'AWS::Lambda::Function' || variables === undefined || !(ENV.OUTPUT_FORMAT in variables)) continue;
      const environment = Object.fromEntries(Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      // `cdk synth` records each resource's construct path; an app synthesized without the CLI may not: its logical id then.
      const cdkPath = resource.Metadata?.['aws:cdk:path'];
      const codeDir = codeDirOf(resource, path.dirname(templateFile));
      generators.push({
        constructPath: typeof cdkPath === 'string' ? cdkPath.replace(/\/[^/]+\/Resource$/, '') : `${stackName}/${logicalId}`,
        environment,
        ...(codeDir !== undefined ? { codeDir } : {}),
      });
    }
  }
  return generators;
}

/** The folder of a function's code asset: as `cdk synth` records it, or else named after the asset's hash (`asset.<hash>`). */
function codeDirOf(resource: TemplateResource, assemblyDir: string): string | undefined {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') return path.resolve(assemblyDir, assetPath);
  const hash = /^([0-9a-f]{64})\.zip$/.exec(String(resource.Properties?.Code?.S3Key ?? ''))?.[1];
  const dir = hash === undefined ? undefined : path.join(assemblyDir, `asset.${hash}`);
  return dir !== undefined && fs.existsSync(dir) ? dir : undefined;
}

/** The one generator `--construct` names (a part of its path), or the app's only one. */
export function pickGenerator(cdkOut: string, construct: string | undefined): GeneratorInApp {
  const all = generatorsInApp(cdkOut);
  const paths = all.map((generator) => generator.constructPath).join(', ');
  if (all.length === 0) throw new UsageError(`--cdk-out ${cdkOut} holds no SyntheticDataGenerator: synthesize an app that has one`);
  if (construct === undefined) {
    if (all.length > 1) throw new UsageError(`--cdk-out ${cdkOut} holds ${all.length} generators (${paths}): name one with --construct PATH`);
    return all[0];
  }
  const matching = all.filter((generator) => generator.constructPath === construct || generator.constructPath.includes(construct));
  if (matching.length !== 1) {
    throw new UsageError(`--construct ${JSON.stringify(construct)} matches ${matching.length} of the app's generators: its generators are ${paths}`);
  }
  return matching[0];
}
