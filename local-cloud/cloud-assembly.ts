/**
 * Reading a synthesized cloud assembly (`cdk.out/`): a stack's template and its file assets, as
 * `cdk deploy` reads them (manifest.json → the stack artifact → its `*.assets.json`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A CloudFormation template as JSON. */
export type Template = {
  Resources?: Record<string, TemplateResource>;
  Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  Outputs?: Record<string, unknown>;
  [key: string]: unknown;
};

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface FileAsset {
  readonly id: string;
  /** Absolute path of the file or directory. */
  readonly sourcePath: string;
  readonly packaging: 'file' | 'zip';
  /** Where `cdk deploy` puts it; `${AWS::AccountId}`, `${AWS::Region}`, `${AWS::Partition}` still in. */
  readonly destinations: ReadonlyArray<{ bucketName: string; objectKey: string }>;
}

export interface AssemblyStack {
  /** Artifact id in manifest.json. */
  readonly artifactId: string;
  /** CloudFormation stack name. */
  readonly stackName: string;
  readonly assemblyDir: string;
  readonly templateFile: string;
  readonly template: Template;
  /** The stack's environment, when the app gave it one (`undefined` for an environment-agnostic stack). */
  readonly account?: string;
  readonly region?: string;
  readonly fileAssets: readonly FileAsset[];
}

interface ManifestArtifact {
  type: string;
  environment?: string;
  properties?: { templateFile?: string; stackName?: string; file?: string };
  dependencies?: string[];
  displayName?: string;
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** The artifacts of the assembly's manifest.json. */
function readArtifacts(assemblyDir: string): Record<string, ManifestArtifact> {
  const manifestFile = path.join(assemblyDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} not found: synthesize the app first`);
  return readJson<{ artifacts?: Record<string, ManifestArtifact> }>(manifestFile).artifacts ?? {};
}

interface AssetManifest {
  /** File assets with a source path, paths resolved against the assembly directory. */
  readonly fileAssets: FileAsset[];
  /** Ids of file assets built by a command (no source path). */
  readonly commandBuilt: string[];
  readonly dockerImages: number;
}

/** One `*.assets.json` of the assembly. */
function readAssetManifest(file: string): AssetManifest {
  const manifest = readJson<{
    files?: Record<string, {
      source: { path?: string; packaging?: string; executable?: string[] };
      destinations: Record<string, { bucketName: string; objectKey: string }>;
    }>;
    dockerImages?: Record<string, unknown>;
  }>(file);
  const dir = path.dirname(file);
  const fileAssets: FileAsset[] = [];
  const commandBuilt: string[] = [];
  for (const [id, asset] of Object.entries(manifest.files ?? {})) {
    if (!asset.source.path) {
      commandBuilt.push(id);
      continue;
    }
    fileAssets.push({
      id,
      sourcePath: path.resolve(dir, asset.source.path),
      packaging: asset.source.packaging === 'zip' ? 'zip' : 'file',
      destinations: Object.values(asset.destinations).map(({ bucketName, objectKey }) => ({ bucketName, objectKey })),
    });
  }
  return { fileAssets, commandBuilt, dockerImages: Object.keys(manifest.dockerImages ?? {}).length };
}

/** Names of the stacks in the assembly (CloudFormation names). */
export function listAssemblyStacks(assemblyDir: string): string[] {
  return Object.entries(readArtifacts(assemblyDir))
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([id, a]) => a.properties?.stackName ?? id);
}

/** A stack of the assembly, by CloudFormation stack name or artifact id. */
export function readAssemblyStack(assemblyDir: string, stack: string): AssemblyStack {
  const dir = path.resolve(assemblyDir);
  const artifacts = readArtifacts(dir);
  const entry = Object.entries(artifacts).find(([id, a]) => a.type === 'aws:cloudformation:stack'
    && (id === stack || a.properties?.stackName === stack || a.displayName === stack));
  if (!entry) {
    throw new Error(`stack ${stack} not found in ${path.join(dir, 'manifest.json')} (stacks: ${listAssemblyStacks(dir).join(', ') || 'none'})`);
  }
  const [artifactId, artifact] = entry;
  const templateFile = path.join(dir, artifact.properties?.templateFile ?? `${artifactId}.template.json`);

  const fileAssets: FileAsset[] = [];
  for (const dependency of artifact.dependencies ?? []) {
    const assetArtifact = artifacts[dependency];
    if (assetArtifact?.type !== 'cdk:asset-manifest' || !assetArtifact.properties?.file) continue;
    const manifest = readAssetManifest(path.join(dir, assetArtifact.properties.file));
    if (manifest.dockerImages > 0) {
      throw new Error(`${artifactId} has Docker image assets: the local cloud has no Docker and supports file assets only`);
    }
    if (manifest.commandBuilt.length > 0) {
      throw new Error(`asset ${manifest.commandBuilt[0]} of ${artifactId} is built by a command: not supported locally`);
    }
    fileAssets.push(...manifest.fileAssets);
  }
  const [, account, region] = /^aws:\/\/([^/]*)\/(.*)$/.exec(artifact.environment ?? '') ?? [];
  return {
    artifactId,
    account: account && account !== 'unknown-account' ? account : undefined,
    region: region && region !== 'unknown-region' ? region : undefined,
    stackName: artifact.properties?.stackName ?? artifactId,
    assemblyDir: dir,
    templateFile,
    template: readJson<Template>(templateFile),
    fileAssets,
  };
}

/** The file assets of every stack of the assembly (those with a source path), e.g. to find a function's code by its S3 key. */
export function listFileAssets(assemblyDir: string): FileAsset[] {
  const dir = path.resolve(assemblyDir);
  return Object.values(readArtifacts(dir)).flatMap((a) => (a.type === 'cdk:asset-manifest' && a.properties?.file
    ? readAssetManifest(path.join(dir, a.properties.file)).fileAssets
    : []));
}

/** Replaces `${AWS::AccountId}`, `${AWS::Region}` and `${AWS::Partition}` as `cdk deploy` does. */
export function substituteEnvironment(value: string, env: { accountId: string; region: string }): string {
  return value
    .replace(/\$\{AWS::AccountId\}/g, env.accountId)
    .replace(/\$\{AWS::Region\}/g, env.region)
    .replace(/\$\{AWS::Partition\}/g, 'aws');
}
