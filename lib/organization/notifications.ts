import type { DomainEvent } from '../platform/events';
import type { Email } from '../platform/mail';
import { renderEmail } from '../platform/mail-template';
import type { DepartmentHeadChanged } from './events';
import { subscriptionsOf } from './subscriptions';

/**
 * The new head learns what will now reach their inbox; the previous head learns they will
 * no longer receive it. One email per person.
 */
export function departmentHeadChangedEmails(event: DomainEvent<DepartmentHeadChanged>, apiBaseUrl: string): Email[] {
  const { department, departmentName, previousHead, newHead, changedBy, changedAt } = event.data;
  const emails: Email[] = [];
  const facts: Array<[string, string]> = [
    ['Department', departmentName],
    ['Changed by', changedBy],
    ['Changed at', changedAt],
  ];
  if (newHead) {
    const content = renderEmail({
      title: `You are now head of ${departmentName}`,
      paragraphs: [
        `Hello ${newHead.name},`,
        `You have been named head of the ${departmentName} department in postlaunch. From now on this address receives the department's alerts and digests:`,
      ],
      list: subscriptionsOf(department),
      facts: previousHead ? [...facts, ['Previous head', `${previousHead.name} <${previousHead.email}>`]] : facts,
      link: { label: 'Departments in postlaunch', url: `${apiBaseUrl}/departments` },
    });
    emails.push({ to: [newHead.email], subject: `[postlaunch] You are now head of ${departmentName}`, ...content });
  }
  if (previousHead && previousHead.email.toLowerCase() !== newHead?.email.toLowerCase()) {
    const content = renderEmail({
      title: `You are no longer head of ${departmentName}`,
      paragraphs: [
        `Hello ${previousHead.name},`,
        newHead
          ? `${newHead.name} is now head of the ${departmentName} department; its alerts and digests go to them from now on.`
          : `The ${departmentName} department has no head for now; its alerts and digests are no longer sent to you.`,
      ],
      facts,
    });
    emails.push({ to: [previousHead.email], subject: `[postlaunch] Head of ${departmentName} changed`, ...content });
  }
  return emails;
}
