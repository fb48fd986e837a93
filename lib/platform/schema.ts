import * as z from 'zod';
import { ROLES } from './roles';

/** Shared building blocks of the API schemas. */
export const ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID');
export const isoDate = z.iso.date();
export const isoDateTime = z.iso.datetime();
// Built once: Intl.supportedValuesOf allocates hundreds of strings on every call.
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const TIME_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CNY')
  .refine((code) => CURRENCIES.has(code), 'unknown ISO 4217 currency');
export const timeZone = z.string().refine((zone) => TIME_ZONES.has(zone), 'unknown IANA time zone');
export const department = z.enum(ROLES);

/** Money is integer minor units with its currency: 12.50 CNY is `{ amount: 1250, currency: "CNY" }`. */
export const money = z
  .object({
    amount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Minor units (e.g. fen, cents).'),
    currency: currencyCode,
  })
  .strict();

export const auditFields = {
  version: z.number().int().min(1),
  createdAt: isoDateTime,
  createdBy: z.string(),
  updatedAt: isoDateTime,
  updatedBy: z.string(),
};

export const idParams = z.object({ id: ulid }).strict();

/**
 * A sales region code, e.g. `east-china`. Customers, partners' agreements, reps and targets all
 * name regions, and the sales figures are keyed by them, so there is one spelling rule, compared
 * exactly.
 */
export const regionCode = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]{0,39}$/u, 'letters, digits, ".", "_" or "-", at most 40, starting with a letter or digit')
  .describe('Sales region code, e.g. `east-china`; compared exactly.');

/** A trimmed, bounded single-line text. */
export function text(max: number) {
  return z.string().trim().min(1).max(max);
}

/** A postal address (warehouses, on-site repairs). */
export const postalAddress = z
  .object({
    line1: text(200),
    line2: z.string().trim().max(200).optional(),
    city: text(100),
    region: z.string().trim().max(100).optional(),
    postalCode: z.string().trim().max(20).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code, e.g. CN'),
  })
  .strict();
