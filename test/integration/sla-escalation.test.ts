import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SESv2Client, SendEmailCommand, TooManyRequestsException, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { handler as escalationHandler } from '../../functions/jobs/sla-escalation';
import { startEventBus, type EventBus } from '../../infra/local/event-bus';
import { setQuiet } from '../../infra/local/log';
import type { StoredEmail } from '../../infra/local/ses';
import { domainEventsOf } from '../../lib/domain-events';
import { notify } from '../../lib/notifications';
import { updateDepartment } from '../../lib/organization/service';
import type { DomainEvent } from '../../lib/platform/events';
import type { Role } from '../../lib/platform/roles';
import { serviceRequestCreate, type ServiceRequest } from '../../lib/service/requests/schema';
import { acknowledgeServiceRequest, assignServiceRequest, createServiceRequest, getServiceRequest } from '../../lib/service/requests/service';
import { checkpointChanges } from '../../lib/service/sla/checkpoints';
import { escalateIfDue } from '../../lib/service/sla/escalate';
import { sweepSla } from '../../lib/service/sla/sweep';
import { aComplaint, anActor, fixedClock, testContext } from '../support/factories';
import { emailsTo, uniqueEmail } from '../support/mail';
import { committedChanges } from '../support/stream';

/**
 * The SLA escalation's reliability: both paths (one-time schedule and hourly sweep), each
 * retried, apply one escalate-if-due rule whose marker is written once; the marker's stream
 * record is the one event; notify sends one email per recipient. Driven here as the stack does:
 * the real handlers, the table's stream, `notify`, the local SES store.
 */
const service = anActor(['service'], { email: 'agent@example.com' });
const admin = anActor(['admin']);
const mocks: Array<{ restore(): void }> = [];
afterEach(() => {
  for (const mock of mocks.splice(0)) mock.restore();
});

const at = (iso: string) => testContext(fixedClock(iso));

async function heads(codes: Role[]): Promise<Record<string, string>> {
  const emails: Record<string, string> = {};
  for (const code of codes) {
    emails[code] = uniqueEmail(`${code}-head`);
    await updateDepartment(testContext(), admin, code, { head: { name: `Head of ${code}`, email: emails[code] } }, undefined);
  }
  return emails;
}

/** Every event the change path derives from committed items of `type` (in commit order). */
async function eventsOf(type: string): Promise<DomainEvent[]> {
  return (await committedChanges(type)).flatMap((change) => domainEventsOf(change));
}

const subjects = (emails: StoredEmail[], text: string) => emails.map((email) => email.subject).filter((subject) => subject.includes(text));

describe('SLA escalation: 50 complaints breaching at once', () => {
  it('sends exactly one warning and one breach email per complaint and recipient, though schedules and sweeps both fire and are retried', async () => {
    const to = await heads(['service', 'management', 'production']);
    const assigneeEmail = uniqueEmail('assignee');
    const filedAt = '2026-03-02T01:00:00.000Z';
    const requests: ServiceRequest[] = [];
    for (let index = 0; index < 50; index += 1) {
      const request = await createServiceRequest(at(filedAt), service, serviceRequestCreate.parse(aComplaint({ receivedAt: filedAt })));
      requests.push(await assignServiceRequest(at(filedAt), service, request.id, { department: 'production', assignee: { userId: 'user-wang', name: 'Wang Wei', email: assigneeEmail } }));
    }
    // Urgent: first response due 02:00, warned at 01:48. At 02:05 both are due; resolution (09:00) is not.
    const time = '2026-03-02T02:05:00.000Z';
    expect(requests[0]?.sla).toMatchObject({ firstResponseDueAt: '2026-03-02T02:00:00.000Z', firstResponseWarnAt: '2026-03-02T01:48:00.000Z' });

    const scheduleFires = requests.flatMap((request) =>
      (['warning', 'breach'] as const).flatMap((level) =>
        // Each one-time schedule delivered three times (Scheduler retries at least once).
        [1, 2, 3].map(() => escalationHandler({ requestId: request.id, deadline: 'first-response', level, time })),
      ),
    );
    const sweeps = [1, 2, 3].map(() => escalationHandler({ source: 'schedule', scheduleName: 'sla-sweep-hourly', time }));
    const outcomes = await Promise.all([...scheduleFires, ...sweeps]);
    const escalatedBySchedules = outcomes.slice(0, scheduleFires.length).filter((outcome) => 'outcome' in outcome && outcome.outcome === 'escalated').length;
    const escalatedBySweeps = outcomes.slice(scheduleFires.length).reduce((sum, outcome) => sum + ('escalated' in outcome ? outcome.escalated : 0), 0);
    expect(escalatedBySchedules + escalatedBySweeps).toBe(100);

    // Later runs (the next hourly sweep, a late retry) find nothing left to do.
    expect(await escalationHandler({ source: 'schedule', time: '2026-03-02T03:00:00.000Z' })).toEqual({ candidates: 50, escalated: 0 });
    expect(await escalationHandler({ requestId: requests[0]?.id, deadline: 'first-response', level: 'breach', time })).toEqual({ outcome: 'already-escalated' });

    // Change path: one event per marker; every event delivered twice (EventBridge is at-least-once).
    const events = await eventsOf('SlaEscalation');
    expect(events.filter((event) => event.metadata.type === 'SlaBreached')).toHaveLength(50);
    expect(events.filter((event) => event.metadata.type === 'SlaWarning')).toHaveLength(50);
    for (let start = 0; start < events.length; start += 20) {
      const batch = events.slice(start, start + 20);
      await Promise.all(batch.flatMap((event) => [notify(event, new Date()), notify(event, new Date())]));
    }

    const references = requests.map((request) => request.reference).sort();
    for (const recipient of [to.service, to.management]) {
      const breaches = subjects(await emailsTo(recipient as string), 'SLA breached');
      expect(breaches).toHaveLength(50);
      expect(breaches.map((subject) => /\[Complaint (C-\d{4}-\d{5})\]/.exec(subject)?.[1]).sort()).toEqual(references);
      expect(subjects(await emailsTo(recipient as string), 'SLA warning')).toEqual([]);
    }
    for (const recipient of [assigneeEmail, to.production]) {
      const warnings = subjects(await emailsTo(recipient as string), 'SLA warning');
      expect(warnings).toHaveLength(50);
      expect(new Set(warnings).size).toBe(50);
      expect(subjects(await emailsTo(recipient as string), 'SLA breached')).toEqual([]);
    }
    const [sample] = (await emailsTo(to.service as string)).filter((email) => email.subject.includes(requests[0]?.reference as string));
    expect(sample?.subject).toBe(`[Complaint ${requests[0]?.reference}] SLA breached: first response was due at 2026-03-02T02:00:00.000Z`);
    expect(sample?.body.text).toContain('Wang Wei');
    expect(sample?.body.html).toContain('<h1');
  }, 120_000);
});

describe('SLA escalation: the rule', () => {
  it('does nothing before the checkpoint, after the deadline is met, or for an unknown request', async () => {
    const filedAt = '2026-03-03T01:00:00.000Z';
    const request = await createServiceRequest(at(filedAt), service, serviceRequestCreate.parse(aComplaint({ receivedAt: filedAt })));
    expect(await escalateIfDue(at('2026-03-03T01:47:59.000Z'), request.id, 'first-response', 'warning')).toBe('not-due');
    expect(await escalateIfDue(at('2026-03-03T01:59:00.000Z'), request.id, 'first-response', 'breach')).toBe('not-due');
    await acknowledgeServiceRequest(at('2026-03-03T01:30:00.000Z'), service, request.id, { note: 'Called back.' });
    expect(await escalateIfDue(at('2026-03-03T02:30:00.000Z'), request.id, 'first-response', 'breach')).toBe('met');
    expect(await escalateIfDue(at('2026-03-03T02:30:00.000Z'), '01JB0000000000000000000000', 'first-response', 'breach')).toBe('not-found');
    // The resolution deadline still runs: its warning (07:24) escalates once.
    expect(await escalateIfDue(at('2026-03-03T07:30:00.000Z'), request.id, 'resolution', 'warning')).toBe('escalated');
    expect(await escalateIfDue(at('2026-03-03T07:31:00.000Z'), request.id, 'resolution', 'warning')).toBe('already-escalated');
    // The sweep at the same time applies the same rule: nothing new for this request.
    await sweepSla(at('2026-03-03T07:31:00.000Z'));
    const markers = (await committedChanges('SlaEscalation')).filter((change) => change.newItem?.requestId === request.id);
    expect(markers.map((change) => change.newItem?.sk)).toEqual([`ESCALATION#resolution#warning#${request.sla.resolutionDueAt}`]);
  });

  it('arms a new request’s four checkpoints and disarms the first-response ones when it is acknowledged', async () => {
    const filedAt = '2026-03-04T01:00:00.000Z';
    const request = await createServiceRequest(at(filedAt), service, serviceRequestCreate.parse(aComplaint({ receivedAt: filedAt })));
    await acknowledgeServiceRequest(at('2026-03-04T01:10:00.000Z'), service, request.id, {});
    const changes = (await committedChanges('ServiceRequest')).filter((change) => change.newItem?.id === request.id);
    const checkpoints = (await eventsOf('ServiceRequest')).filter(
      (event) => event.metadata.type === 'SlaCheckpointsChanged' && (event.data as { requestId: string }).requestId === request.id,
    );
    expect(changes).toHaveLength(2);
    expect(checkpoints.map((event) => event.data)).toEqual([
      expect.objectContaining({ arm: expect.arrayContaining([expect.objectContaining({ deadline: 'first-response', level: 'warning', at: '2026-03-04T01:48:00.000Z' })]), disarm: [] }),
      expect.objectContaining({ arm: [], disarm: [expect.objectContaining({ deadline: 'first-response', level: 'warning' }), expect.objectContaining({ deadline: 'first-response', level: 'breach' })] }),
    ]);
    expect((checkpoints[0]?.data as ReturnType<typeof checkpointChanges>).arm).toHaveLength(4);
  });
});

describe('SLA escalation: SES faults on the way to the inbox', () => {
  let bus: EventBus | undefined;
  afterEach(async () => {
    await bus?.stop();
    bus = undefined;
  });

  /** The local bus, delivering to the real notify function in this process (3 attempts, then dead letters). */
  async function deliverThroughBus(events: DomainEvent[]): Promise<EventBus> {
    setQuiet(true);
    bus = await startEventBus({ busName: 'postlaunch', region: 'us-east-1', retryDelayMs: 20 });
    const client = new EventBridgeClient({ endpoint: bus.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await client.send(
      new PutEventsCommand({
        Entries: events.map((event) => ({ EventBusName: 'postlaunch', Source: event.metadata.source, DetailType: event.metadata.type, Detail: JSON.stringify(event) })),
      }),
    );
    client.destroy();
    await bus.idle();
    return bus;
  }

  const throttled = () => new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', $metadata: { httpStatusCode: 429 } });

  it('delivers the filed-complaint email once when SES throttles the first two attempts, and the complaint write is untouched', async () => {
    const to = await heads(['service']);
    // The real send, kept before mocking: the third attempt reaches the local SES endpoint.
    const realSend = SESv2Client.prototype.send as (command: SendEmailCommand) => Promise<unknown>;
    const ses = mockClient(SESv2Client);
    mocks.push(ses);
    let attempts = 0;
    ses.on(SendEmailCommand).callsFake(async (input: SendEmailCommandInput, getClient: () => SESv2Client) => {
      attempts += 1;
      if (attempts <= 2) throw throttled();
      return realSend.call(getClient(), new SendEmailCommand(input));
    });

    const filedAt = '2026-03-05T01:00:00.000Z';
    const request = await createServiceRequest(at(filedAt), service, serviceRequestCreate.parse(aComplaint({ receivedAt: filedAt })));
    const filed = (await eventsOf('ServiceRequest')).filter(
      (event) => event.metadata.type === 'ComplaintFiled' && (event.data as { request: { id: string } }).request.id === request.id,
    );
    expect(filed).toHaveLength(1);
    const delivered = await deliverThroughBus(filed);

    expect(attempts).toBe(3);
    expect(delivered.deadLetters).toEqual([]);
    const emails = await emailsTo(to.service as string);
    expect(emails.map((email) => email.subject)).toEqual([`[Complaint ${request.reference}] New urgent complaint: quality`]);
    expect(await getServiceRequest(request.id)).toEqual(request);
  });

  it('parks the event in the dead-letter list when SES keeps failing, and sends nothing', async () => {
    const to = await heads(['service', 'management']);
    const ses = mockClient(SESv2Client);
    mocks.push(ses);
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));

    const filedAt = '2026-03-06T01:00:00.000Z';
    const request = await createServiceRequest(at(filedAt), service, serviceRequestCreate.parse(aComplaint({ receivedAt: filedAt })));
    expect(await escalateIfDue(at('2026-03-06T02:01:00.000Z'), request.id, 'first-response', 'breach', 'schedule')).toBe('escalated');
    const breached = (await eventsOf('SlaEscalation')).filter((event) => (event.data as { requestId: string }).requestId === request.id);
    expect(breached.map((event) => event.metadata.type)).toEqual(['SlaBreached']);
    const delivered = await deliverThroughBus(breached);

    expect(delivered.deadLetters).toHaveLength(1);
    expect(delivered.deadLetters[0]).toMatchObject({ functionName: 'notify', rule: 'service-emails', error: 'Email address is not verified.' });
    expect((delivered.deadLetters[0]?.event.detail as DomainEvent).metadata.id).toBe(breached[0]?.metadata.id);
    ses.restore();
    expect(await emailsTo(to.service as string)).toEqual([]);
    expect(await emailsTo(to.management as string)).toEqual([]);
    // The claims were released: redriving the dead letter sends each email once.
    expect(await notify(breached[0] as DomainEvent, new Date())).toBe(2);
    expect(await notify(breached[0] as DomainEvent, new Date())).toBe(0);
  });
});
