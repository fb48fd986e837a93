import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../platform/db';
import { isConditionFailure } from '../../platform/transact';
import type { SlaDeadline, SlaLevel } from './checkpoints';

/**
 * Keys of the SLA escalation's items — the only place that knows them:
 *   escalation marker  pk SERVICE_REQUEST#<id>   sk ESCALATION#<deadline>#<level>#<due ISO>
 *                      written once (attribute_not_exists); its INSERT on the stream is the
 *                      SlaWarning / SlaBreached event. The due instant names the deadline, so a
 *                      deadline re-armed by a reopen escalates again, once.
 * The request itself (`… / REQUEST`) and the SLA_OPEN index are the requests module's
 * (lib/service/requests/store.ts): read through `getServiceRequest` and `openDeadlines`.
 */
const markerKey = (id: string, deadline: SlaDeadline, level: SlaLevel, dueAt: string) => ({
  pk: `SERVICE_REQUEST#${id}`,
  sk: `ESCALATION#${deadline}#${level}#${dueAt}`,
});

export const ESCALATION_MARKER_TYPE = 'SlaEscalation';

/** What the escalation emails need, snapshotted when the checkpoint was passed. */
export interface EscalationMarker {
  requestId: string;
  reference: string;
  requestType: string;
  priority: string;
  category?: string;
  deadline: SlaDeadline;
  level: SlaLevel;
  /** The checkpoint's instant (warn or due). */
  at: string;
  dueAt: string;
  department?: string;
  assignee?: { userId?: string; name?: string; email?: string };
  customerName?: string;
  productId?: string;
  status: string;
  escalatedAt: string;
  /** Which path got there first (schedule or sweep): for the log and the curious reader. */
  trigger: string;
}

/** True if this call wrote the marker, false if it was already there (the other path, or a retry). */
export async function putEscalationMarker(marker: EscalationMarker): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...markerKey(marker.requestId, marker.deadline, marker.level, marker.dueAt), type: ESCALATION_MARKER_TYPE, ...marker },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
