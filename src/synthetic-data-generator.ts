import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, Size, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV, LAMBDA_ENVIRONMENT_LIMIT_BYTES } from './contract/environment';
import { InvalidInputError } from './contract/schema-document';
import {
  DEFAULTS, nodeMajorOfRuntime, validateDatasetName, validateKeyPrefix, validateMaxRows, validateRowCount, validateSeed,
} from './contract/settings';
import { Schema } from './schema';

/** Where the handler bundle is built before compile (see .projenrc.ts); it ships in the npm package. */
const HANDLER_BUNDLE_DIR = path.join(__dirname, '..', 'assets', 'lambda', 'handler');

/** The runtime the handler bundle is built for (esbuild target node24 in .projenrc.ts). */
const DEFAULT_RUNTIME = lambda.Runtime.NODEJS_24_X;
/** The oldest Node.js runtime the bundle was checked on (it also runs on the machine's Node.js 20). */
const MIN_NODE_MAJOR = 20;

/** Which prop each environment variable comes from, to name the prop in errors. */
const ENV_PROP: Record<string, string> = {
  [ENV.SCHEMA]: 'prop schema (as JSON)',
  [ENV.KEY_PREFIX]: 'prop keyPrefix',
  [ENV.DATASET_NAME]: 'prop datasetName',
  [ENV.BUCKET_NAME]: 'the bucket name',
};

/** A number for an environment variable: written out, or kept as a token that resolves at deployment. */
function numberAsString(value: number): string {
  return Token.isUnresolved(value) ? Token.asString(value) : String(value);
}

/** Properties of a {@link SyntheticDataGenerator}. */
export interface SyntheticDataGeneratorProps {
  /** The table to generate: its columns, in CSV order. */
  readonly schema: Schema;

  /**
   * Rows made by an invocation whose event does not say how many (an event may ask for up to `maxRows`).
   * @default 1000
   */
  readonly rows?: number;

  /**
   * The most rows one invocation may be asked for, through this prop or the event's `rows`.
   * @default 1000000
   */
  readonly maxRows?: number;

  /**
   * Seed of the value generator: the same seed and row count make the same file.
   * An event's `seed` overrides it.
   * @default - a fresh seed per invocation, written to the log so the run can be repeated
   */
  readonly seed?: number;

  /**
   * First part of each object's file name: objects are written as
   * `<keyPrefix><datasetName>_<requestId>.csv`.
   * @default "dataset"
   */
  readonly datasetName?: string;

  /**
   * Key prefix of every object the function writes; its write permission covers only this prefix.
   * Relative to the bucket, without `.` or `..` segments.
   * @default "synthetic-data/"
   */
  readonly keyPrefix?: string;

  /**
   * Bucket the CSV files are written to. When you pass one, the construct adds to the execution role
   * only `s3:PutObject` and `s3:AbortMultipartUpload` on `<bucket>/<keyPrefix>*` (and, for a bucket with
   * a KMS key, `kms:GenerateDataKey` and `kms:Decrypt` on that key).
   * @default - a private bucket is created: S3-managed encryption, all public access blocked,
   * TLS-only bucket policy, bucket-owner-enforced ownership, incomplete multipart uploads aborted after one day.
   */
  readonly bucket?: s3.IBucket;

  /**
   * Execution role of the function. The construct adds its least-privilege statements to this role's
   * policy; an imported immutable role gets nothing added, so it must already allow them.
   * @default - a role trusted only by `lambda.amazonaws.com`, with no managed policies, that may only
   * write logs to the function's own log group and put objects under `<bucket>/<keyPrefix>`
   */
  readonly role?: iam.IRole;

  /**
   * Lambda runtime of the function: a Node.js runtime, `nodejs20.x` or later (the handler bundle is built for Node.js 24).
   * @default lambda.Runtime.NODEJS_24_X
   */
  readonly runtime?: lambda.Runtime;

  /**
   * Processor architecture of the function.
   * @default lambda.Architecture.ARM_64 - about 20% cheaper per GB-second than x86_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * Memory of the function in MB; CPU share grows with it.
   * @default 1024
   */
  readonly memorySize?: number;

  /**
   * Longest an invocation may run.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;

  /**
   * Size of the function's `/tmp`, where the CSV is written before upload. It must hold the largest file
   * you ask for (about 140 bytes a row for an eight-column table such as the sales example).
   * @default Size.mebibytes(512)
   */
  readonly ephemeralStorageSize?: Size;

  /**
   * How long the function's log group keeps its events.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A Lambda function that writes a CSV of synthetic rows, made from a typed schema, to S3.
 *
 * Each invocation writes one new object, `<keyPrefix><datasetName>_<requestId>.csv`, and never overwrites:
 * a retried invocation (same request id) finds its object already there and reports it. The event may
 * ask for another row count or seed: `{"rows": 5000, "seed": 7}`.
 */
export class SyntheticDataGenerator extends Construct {
  /** The generator function. */
  public readonly function: lambda.Function;
  /** The function's execution role. */
  public readonly role: iam.IRole;
  /** The bucket the CSV files are written to. */
  public readonly bucket: s3.IBucket;
  /** The function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The key prefix under which objects are written, e.g. `synthetic-data/`. */
  public readonly keyPrefix: string;

  constructor(scope: Construct, id: string, props: SyntheticDataGeneratorProps) {
    super(scope, id);

    const settings = this.validateProps(props);
    this.keyPrefix = settings.keyPrefix;

    this.bucket = props.bucket ?? new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // A failed or timed-out multipart upload leaves parts that are billed but invisible: clean them up.
      lifecycleRules: [{ id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });

    this.role = props.role ?? new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Execution role of a cdk-synthetic-data generator: writes its own logs and puts CSV objects under one key prefix',
    });
    this.grantLeastPrivilege(settings.keyPrefix);

    if (!fs.existsSync(path.join(HANDLER_BUNDLE_DIR, 'index.js'))) {
      throw new Error(`The handler bundle is missing at ${HANDLER_BUNDLE_DIR}: in a checkout of cdk-synthetic-data run \`npx projen bundle\` (an installed package ships it)`);
    }

    this.function = new lambda.Function(this, 'Function', {
      description: 'Generates synthetic CSV data into S3 (cdk-synthetic-data)',
      runtime: settings.runtime,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(HANDLER_BUNDLE_DIR),
      role: this.role,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.minutes(5),
      ephemeralStorageSize: props.ephemeralStorageSize ?? Size.mebibytes(512),
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: this.checkEnvironmentSize({ ...settings.environment, [ENV.BUCKET_NAME]: this.bucket.bucketName }),
    });
  }

  /** Lets the grantee invoke the generator function (`lambda:InvokeFunction`). */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return this.function.grantInvoke(grantee);
  }

  private grantLeastPrivilege(keyPrefix: string): void {
    this.logGroup.grantWrite(this.role);
    // Only writes under the prefix: no read, list or delete, and nothing elsewhere in the bucket.
    // AbortMultipartUpload lets a failed large upload clean up its parts.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
      resources: [this.bucket.arnForObjects(`${keyPrefix}*`)],
    }));
    const key = this.bucket.encryptionKey;
    if (key) {
      // SSE-KMS: a put needs a data key, and completing a multipart upload decrypts it.
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
      }));
    }
  }

  /** Validates the props (tokens are accepted as they are) and returns the function's environment. */
  private validateProps(props: SyntheticDataGeneratorProps) {
    const check = <T>(validate: () => T): T => {
      try {
        return validate();
      } catch (e) {
        if (e instanceof InvalidInputError) throw new Error(`SyntheticDataGenerator ${this.node.path}: ${e.message}`);
        throw e;
      }
    };
    const maxRows = props.maxRows ?? DEFAULTS.maxRows;
    const maxRowsKnown = !Token.isUnresolved(maxRows);
    if (maxRowsKnown) check(() => validateMaxRows('prop maxRows', maxRows));
    const rows = props.rows ?? DEFAULTS.rows;
    if (!Token.isUnresolved(rows)) {
      check(() => validateRowCount('prop rows', rows, maxRowsKnown ? maxRows : Number.MAX_SAFE_INTEGER));
    }
    if (props.seed !== undefined && !Token.isUnresolved(props.seed)) check(() => validateSeed('prop seed', props.seed));
    const runtime = props.runtime ?? DEFAULT_RUNTIME;
    const nodeMajor = nodeMajorOfRuntime(runtime.name);
    if (runtime.family !== lambda.RuntimeFamily.NODEJS || nodeMajor === undefined || nodeMajor < MIN_NODE_MAJOR) {
      throw new Error(`SyntheticDataGenerator ${this.node.path}: prop runtime is ${runtime.name}: the handler is JavaScript built for `
        + `Node.js; use a Node.js runtime from nodejs${MIN_NODE_MAJOR}.x on (default ${DEFAULT_RUNTIME.name})`);
    }
    const keyPrefix = props.keyPrefix ?? DEFAULTS.keyPrefix;
    if (!Token.isUnresolved(keyPrefix)) check(() => validateKeyPrefix('prop keyPrefix', keyPrefix));
    const datasetName = props.datasetName ?? DEFAULTS.datasetName;
    if (!Token.isUnresolved(datasetName)) check(() => validateDatasetName('prop datasetName', datasetName));

    const environment: Record<string, string> = {
      [ENV.SCHEMA]: props.schema.toJson(),
      [ENV.ROWS]: numberAsString(rows),
      [ENV.MAX_ROWS]: numberAsString(maxRows),
      [ENV.KEY_PREFIX]: keyPrefix,
      [ENV.DATASET_NAME]: datasetName,
    };
    if (props.seed !== undefined) environment[ENV.SEED] = numberAsString(props.seed);
    return { keyPrefix, runtime, environment };
  }

  private checkEnvironmentSize(environment: Record<string, string>): Record<string, string> {
    // A token's value is unknown until deployment: count the longest it can be where that is known
    // (a bucket name has at most 63 characters).
    const bytes = Object.entries(environment).reduce((total, [name, value]) => {
      const valueBytes = !Token.isUnresolved(value) ? Buffer.byteLength(value) : name === ENV.BUCKET_NAME ? 63 : 0;
      return total + Buffer.byteLength(name) + valueBytes;
    }, 0);
    if (bytes > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
      const largest = Object.entries(environment)
        .filter(([, value]) => !Token.isUnresolved(value))
        .map(([name, value]) => ({ name, size: Buffer.byteLength(value) }))
        .sort((a, b) => b.size - a.size)
        .slice(0, 3)
        .map(({ name, size }) => `${ENV_PROP[name] ?? name} ${size} bytes`);
      throw new Error(`SyntheticDataGenerator ${this.node.path}: the function's environment would be ${bytes} bytes, above Lambda's limit `
        + `of ${LAMBDA_ENVIRONMENT_LIMIT_BYTES} (largest: ${largest.join(', ')}): use fewer columns or shorter oneOf value lists, `
        + 'or a shorter keyPrefix or datasetName');
    }
    return environment;
  }
}
