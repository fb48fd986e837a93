import type { ServiceContext } from '../platform/context';
import { once } from '../platform/dedupe';
import { logger } from '../platform/logger';
import { sendEmail } from '../platform/mail';
import { renderEmail } from '../platform/mail-template';
import { localDate } from '../platform/time';
import { getSettings, headsAmong, listDepartments } from './service';

export interface HeadsCheckResult {
  date: string;
  headless: string[];
  notified: string[];
}

/**
 * A department without a head silently swallows its alerts. Once a day, tell the admin and
 * management heads which departments have none — once per recipient per company day, so a
 * re-run or a retried schedule sends nothing twice.
 */
export async function checkDepartmentHeads(context: ServiceContext, apiBaseUrl: string): Promise<HeadsCheckResult> {
  const now = context.clock.now();
  const [departments, settings] = await Promise.all([listDepartments(), getSettings()]);
  const date = localDate(now, settings.timeZone);
  const headless = departments.filter((department) => !department.head);
  const result: HeadsCheckResult = { date, headless: headless.map((department) => department.code), notified: [] };
  if (headless.length === 0) return result;

  const recipients = headsAmong(departments, ['admin', 'management']).map((head) => head.email.toLowerCase());
  if (recipients.length === 0) {
    logger.error('departments without a head, and neither admin nor management has a head to tell', { headless: result.headless });
    return result;
  }
  const content = renderEmail({
    title: `${headless.length} department${headless.length === 1 ? ' has' : 's have'} no head`,
    paragraphs: [
      `${settings.companyName}: alerts and monthly digests for these departments reach nobody until an admin names a head (PUT /departments/{code}).`,
    ],
    list: headless.map((department) => `${department.name} (${department.code})`),
    facts: [['Checked on', date]],
    link: { label: 'Departments in postlaunch', url: `${apiBaseUrl}/departments` },
  });
  for (const email of recipients) {
    const sent = await once(`heads-check#${date}#${email}`, now, async () => {
      await sendEmail({ to: [email], subject: `[postlaunch] ${headless.length} department(s) without a head`, ...content });
    });
    if (sent) result.notified.push(email);
  }
  return result;
}
