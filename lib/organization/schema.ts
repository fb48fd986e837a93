import * as z from 'zod';
import { auditFields, currencyCode, department, isoDateTime, text, timeZone } from '../platform/schema';

export const departmentHead = z
  .object({
    name: text(120),
    email: z.email().max(254),
  })
  .strict();

export const departmentView = z
  .object({
    code: department,
    name: z.string(),
    head: departmentHead.nullable(),
    version: z.number().int().min(0).describe('0 until the department is first edited.'),
    updatedAt: isoDateTime.nullable(),
    updatedBy: z.string().nullable(),
  })
  .strict();
export type Department = z.infer<typeof departmentView>;
export type DepartmentCode = z.infer<typeof department>;

export const departmentList = z.object({ items: z.array(departmentView) }).strict();

export const departmentParams = z.object({ code: department }).strict();

export const departmentUpdate = z
  .object({
    name: text(80).optional(),
    head: departmentHead.nullable().describe('The head whose email receives the department’s alerts and digests; null to clear.'),
  })
  .strict();
export type DepartmentUpdate = z.infer<typeof departmentUpdate>;

const slaPair = z
  .object({
    firstResponseHours: z.number().positive().max(24 * 30),
    resolutionHours: z.number().positive().max(24 * 365),
  })
  .strict()
  .refine((pair) => pair.firstResponseHours <= pair.resolutionHours, {
    message: 'first response must not be due after resolution',
    path: ['firstResponseHours'],
  });

export const slaHours = z
  .object({ urgent: slaPair, high: slaPair, normal: slaPair, low: slaPair })
  .strict()
  .describe('Default SLA per complaint priority, in hours.');

export const settingsInput = z
  .object({
    companyName: text(120),
    timeZone: timeZone.describe('IANA time zone that decides day and month boundaries.'),
    currency: currencyCode.describe('Default currency for prices and reports.'),
    slaHours,
    closeAfterDaysWithoutFeedback: z
      .number()
      .int()
      .min(1)
      .max(90)
      .default(7)
      .describe('A resolved complaint may be closed without the customer’s feedback after this many days.'),
  })
  .strict();
export type SettingsInput = z.infer<typeof settingsInput>;

export const settingsView = settingsInput
  .extend({
    version: auditFields.version.or(z.literal(0)),
    updatedAt: isoDateTime.nullable(),
    updatedBy: z.string().nullable(),
  })
  .strict();
export type Settings = z.infer<typeof settingsView>;
