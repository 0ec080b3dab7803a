/**
 * What the example apps (sales, retail, iot) share: their stack's account and region (the local cloud's), and their
 * synthesis into a cloud assembly, which the demo deploys.
 */
import { App, Stack } from 'aws-cdk-lib';

/** An example's stack, in the account and region the local cloud emulates. */
export function exampleStack(app: App, stackName: string): Stack {
  return new Stack(app, stackName, { env: { account: '123456789012', region: 'us-east-1' } });
}

/** Synthesizes an app of the stack `addStack` builds into `outdir`, and says where its stack is. */
export function synthesizeExample(outdir: string, addStack: (app: App) => Stack): { stackName: string; assemblyDir: string } {
  const app = new App({ outdir });
  const stack = addStack(app);
  return { stackName: stack.stackName, assemblyDir: app.synth().directory };
}
