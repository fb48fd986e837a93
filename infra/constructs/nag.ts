import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledge one cdk-nag finding on a construct and everything under it, with the reason it is
 * acceptable here. `id` is a rule (`AwsSolutions-SMG4`) or one finding of it
 * (`AwsSolutions-IAM5[Resource::*]`): cdk-nag v3 matches findings one by one, never by prefix.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
