import type { DepartmentCode } from '../organization/schema';
import { listDepartments } from '../organization/service';
import type { ServiceContext } from '../platform/context';
import { once } from '../platform/dedupe';
import { logger } from '../platform/logger';
import { sendEmail } from '../platform/mail';
import { DIGESTS } from './access';
import { renderDigest } from './digest';
import type { ReportSection } from './model';

/** A month may be re-run years later; its digest must still not go out twice. */
const CLAIM_DAYS = 10 * 366;

export interface DigestDelivery {
  /** `department → email` of the digests sent by this run. */
  sent: string[];
  /** Heads who already had this month's digest (a re-run without `resend`). */
  alreadySent: string[];
  /** Departments with a digest but no head: nobody to send it to. */
  withoutHead: string[];
}

export interface DeliveryInput {
  month: string;
  sections: readonly ReportSection[];
  companyName: string;
  apiBaseUrl: string;
  resend: boolean;
}

/**
 * One digest per head, once per month: the claim key is the month, the department and the
 * address, so a re-run, a retried invocation or a second schedule delivery sends nothing. A
 * resend claims under a key of its own run, so it sends exactly once more.
 */
export async function deliverDigests(context: ServiceContext, input: DeliveryInput): Promise<DigestDelivery> {
  const now = context.clock.now();
  const resendRun = input.resend ? `#resend#${context.newId()}` : '';
  const delivery: DigestDelivery = { sent: [], alreadySent: [], withoutHead: [] };
  const departments = await listDepartments();
  for (const [code, kind] of Object.entries(DIGESTS) as Array<[DepartmentCode, NonNullable<(typeof DIGESTS)[DepartmentCode]>]>) {
    const head = departments.find((department) => department.code === code)?.head;
    if (!head) {
      delivery.withoutHead.push(code);
      continue;
    }
    const email = head.email.toLowerCase();
    const digest = renderDigest({ month: input.month, companyName: input.companyName, apiBaseUrl: input.apiBaseUrl, department: code, kind, sections: input.sections });
    const sent = await once(
      `monthly-digest#${input.month}#${code}#${email}${resendRun}`,
      now,
      async () => {
        await sendEmail({ to: [email], ...digest });
      },
      CLAIM_DAYS,
    );
    (sent ? delivery.sent : delivery.alreadySent).push(`${code} → ${email}`);
  }
  if (delivery.withoutHead.length) logger.warn('monthly digests without a head to receive them', { month: input.month, departments: delivery.withoutHead });
  return delivery;
}
