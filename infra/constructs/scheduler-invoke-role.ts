import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/**
 * The role EventBridge Scheduler assumes to invoke one function. Each schedule construct owns its
 * role (instead of the target's shared default) so that the cdk-nag acknowledgement below covers
 * exactly that one function's invoke permission.
 */
export function schedulerInvokeRole(scope: Construct, fn: IFunction, functionName: string): Role {
  const stack = Stack.of(scope);
  const role = new Role(scope, 'InvokeRole', {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
    description: `Lets EventBridge Scheduler invoke the ${functionName} function`,
  });
  const functionLogicalId = stack.getLogicalId(fn.node.defaultChild as CfnElement);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
    reason: `grantInvoke allows lambda:InvokeFunction on the ${functionName} function and its qualified ARNs (function:*): the wildcard spans only versions and aliases of that one function.`,
  });
  return role;
}
