import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './nag';

export interface DeadLetterQueueProps {
  /** What lands here, for the alarm description. */
  purpose: string;
  /** Where alarms are sent, if anywhere. */
  alarmActions?: readonly cloudwatch.IAlarmAction[];
}

/**
 * An SQS dead-letter queue with the house defaults (SQS-managed encryption, TLS only, 14 days'
 * retention) and an alarm that fires as soon as one message is waiting in it.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.queue, 'AwsSolutions-SQS3', 'This queue is itself a dead-letter queue; a DLQ of a DLQ would only hide failures.');

    this.alarm = new cloudwatch.Alarm(this, 'NotEmpty', {
      alarmDescription: `Messages are waiting in the dead-letter queue for ${props.purpose}.`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1) }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const action of props.alarmActions ?? []) this.alarm.addAlarmAction(action);
  }
}
