import { inject } from 'vitest';
import { readSentEmails, type StoredEmail } from '../../infra/local/ses';

/** Emails the local SES endpoint holds for one recipient (addresses are unique per test). */
export async function emailsTo(address: string): Promise<StoredEmail[]> {
  const emails = await readSentEmails(inject('sesEndpoint'));
  return emails.filter((email) => email.destination.to.some((to) => to.toLowerCase().includes(address.toLowerCase())));
}

/** Polls until `count` emails reached the address, or returns what arrived after `timeoutMs`. */
export async function waitForEmails(address: string, count: number, timeoutMs = 5_000): Promise<StoredEmail[]> {
  return waitForEmailsAbout(address, '', count, timeoutMs);
}

/** The same, counting only emails whose subject contains `subjectPart` (e.g. "Below minimum"). */
export async function waitForEmailsAbout(address: string, subjectPart: string, count: number, timeoutMs = 5_000): Promise<StoredEmail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const emails = (await emailsTo(address)).filter((email) => email.subject.includes(subjectPart));
    if (emails.length >= count || Date.now() > deadline) return emails;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function uniqueEmail(name: string): string {
  return `${name}.${Math.random().toString(36).slice(2, 10)}@example.com`;
}
