/**
 * One run when the stack is created (prop `runOnDeploy`): an EventBridge rule on the default bus catches CloudFormation's
 * own "CloudFormation Stack Status Change" event of this stack reaching CREATE_COMPLETE, and starts the state machine
 * (sharded runs) or invokes the function asynchronously (a single object).
 *
 * No custom resource and no function of its own: the deployment neither waits for the run nor fails when the run fails
 * (the run starts after the stack is complete), and an update or a delete of the stack starts nothing.
 */
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeNagFinding } from '../nag-acknowledgements';

/** The run id of the run on deploy: `deploy-<id of CloudFormation's event>`, one per stack creation. */
export const DEPLOY_RUN_PREFIX = 'deploy-';

export interface RunOnDeployProps {
  readonly function: lambda.IFunction;
  readonly stateMachine?: sfn.IStateMachine;
}

export class RunOnDeploy extends Construct {
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: RunOnDeployProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Starts one run of cdk-synthetic-data when its stack has been created',
      eventPattern: {
        source: ['aws.cloudformation'],
        detailType: ['CloudFormation Stack Status Change'],
        detail: { 'stack-id': [stack.stackId], 'status-details': { status: ['CREATE_COMPLETE'] } },
      },
    });
    this.rule.addTarget(props.stateMachine
      ? new targets.SfnStateMachine(props.stateMachine, {
        input: events.RuleTargetInput.fromObject({ runId: `${DEPLOY_RUN_PREFIX}${events.EventField.eventId}` }),
      })
      // A single object, named after its request id as any invocation's.
      : new targets.LambdaFunction(props.function, { event: events.RuleTargetInput.fromObject({}) }));
    acknowledgeNagFinding(this.rule.node.defaultChild as CfnResource, {
      ruleId: 'Serverless-EventBusDLQ',
      reason: 'The rule starts one run when the stack is created, and EventBridge retries its delivery for 24 hours. A delivery that still '
        + 'fails leaves no run, which shows (no _SUCCESS, no "Synthetic Dataset Ready" event) and is fixed by starting one; a dead-letter '
        + 'queue would hold that one message with no consumer.',
    });
  }
}
