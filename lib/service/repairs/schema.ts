import * as z from 'zod';
import { pageQuery, pageSchema } from '../../platform/pagination';
import { auditFields, isoDate, isoDateTime, postalAddress, regionCode, text, ulid } from '../../platform/schema';

/**
 * Repairs and the service team's technicians (pure: no I/O, safe for the manifest). Bounds keep
 * every stock step of a repair inside one DynamoDB transaction (see `MAX_PART_LINES`).
 */

// ---- technicians ---------------------------------------------------------------------------

const userId = z.string().trim().min(1).max(128).describe('The technician’s user id (the Cognito `sub`); one technician per user.');
const skill = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,59}$/u, 'letters, digits, spaces, ".", "_" or "-", at most 60')
  .describe('A skill, e.g. "smart-lock" or "electrical"; matched exactly.');
export const MAX_SKILLS = 30;
const skills = z
  .array(skill)
  .max(MAX_SKILLS)
  .refine((list) => new Set(list).size === list.length, 'skills must not repeat')
  .describe(`At most ${MAX_SKILLS} skills.`);

export const technicianCreate = z
  .object({
    userId,
    name: text(120),
    email: z.email().max(254).optional(),
    skills: skills.default([]),
    region: regionCode,
    active: z.boolean().default(true).describe('Defaults to true; only active technicians take repairs.'),
  })
  .strict();
export type TechnicianCreate = z.infer<typeof technicianCreate>;

export const technicianPatch = z
  .object({
    name: text(120).optional(),
    email: z.email().max(254).nullable().optional().describe('null removes it.'),
    skills: skills.optional(),
    region: regionCode.optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change')
  .describe('Fields to change; the user id is fixed (a technician record belongs to one user).');
export type TechnicianPatch = z.infer<typeof technicianPatch>;

export const technicianView = z
  .object({
    id: ulid,
    userId: z.string(),
    name: z.string(),
    email: z.string().optional(),
    skills: z.array(z.string()),
    region: z.string(),
    active: z.boolean(),
    ...auditFields,
  })
  .strict();
export type Technician = z.infer<typeof technicianView>;

export const technicianListQuery = z
  .object({
    region: regionCode.optional(),
    skill: skill.optional(),
    active: z.enum(['true', 'false']).optional(),
    ...pageQuery,
  })
  .strict();
export type TechnicianListQuery = z.infer<typeof technicianListQuery>;
export const technicianPage = pageSchema(technicianView);

export const MAX_TRAINING_HOURS = 500;

export const technicianTrainingCreate = z
  .object({
    course: text(200),
    date: isoDate.describe('Day the training ended; not after today (company time zone).'),
    hours: z.number().positive().max(MAX_TRAINING_HOURS).describe(`Hours of training, more than 0 and at most ${MAX_TRAINING_HOURS}.`),
    passed: z.boolean(),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();
export type TechnicianTrainingCreate = z.infer<typeof technicianTrainingCreate>;

export const technicianTrainingView = technicianTrainingCreate.extend({ id: ulid, technicianId: ulid, ...auditFields }).strict();
export type TechnicianTraining = z.infer<typeof technicianTrainingView>;

export const technicianTrainingListQuery = z.object({ ...pageQuery }).strict();
export type TechnicianTrainingListQuery = z.infer<typeof technicianTrainingListQuery>;
export const technicianTrainingPage = pageSchema(technicianTrainingView);

// ---- repairs -------------------------------------------------------------------------------

export const REPAIR_MODES = ['on-site', 'remote'] as const;
export const REPAIR_STATUSES = ['open', 'scheduled', 'in-progress', 'completed', 'cancelled'] as const;
export const repairStatus = z.enum(REPAIR_STATUSES);
export type RepairStatus = z.infer<typeof repairStatus>;
export const REPAIR_OUTCOMES = ['fixed', 'replaced', 'not-fixed', 'no-fault-found'] as const;

/**
 * Part lines per repair: the completion step (a release and a receipt per line, plus level and
 * month-total writes) must fit one 100-action transaction.
 */
export const MAX_PART_LINES = 20;
/** Stock steps (reservation, uses, completion or cancellation) and return visits a repair holds: the item stays small. */
export const MAX_STOCK_STEPS = 50;
export const MAX_RETURN_VISITS = 20;

const quantity = z.number().int().min(1).max(100_000);

const partLine = z.object({ productId: ulid, warehouseId: ulid, quantity }).strict();
const partLines = z
  .array(partLine)
  .max(MAX_PART_LINES)
  .refine((lines) => new Set(lines.map((line) => `${line.productId}#${line.warehouseId}`)).size === lines.length, 'one line per product and warehouse')
  .describe(`Spare parts, at most ${MAX_PART_LINES} lines, one per product and warehouse; reserved all or nothing when the repair is scheduled.`);

const repairWindow = z
  .object({ start: isoDateTime, end: isoDateTime })
  .strict()
  .refine((window) => Date.parse(window.start) < Date.parse(window.end), { message: 'start must be before end', path: ['end'] })
  .describe('When the technician works on it.');

const address = postalAddress;

const customerInput = z
  .object({
    id: ulid.optional().describe('A customer record: its name and first contact are copied unless given.'),
    name: text(120).optional(),
    email: z.email().max(254).optional(),
    phone: z.string().trim().min(4).max(30).optional(),
  })
  .strict()
  .refine((customer) => customer.id !== undefined || customer.name !== undefined, { message: 'give the customer id or a name', path: ['name'] });

export const repairCreate = z
  .object({
    serviceRequestId: ulid.optional().describe('The complaint or repair request this repair answers: its customer, product, serial and order fill what the body leaves out.'),
    customer: customerInput.optional(),
    productId: ulid.optional(),
    serialOrLot: z.string().trim().min(1).max(80).optional(),
    orderId: ulid.optional().describe('The sales order: its first shipment is the sale date for the warranty.'),
    soldOn: isoDate.optional().describe('Sale date when there is no order in the system (e.g. from the serial’s registration).'),
    reportedOn: isoDate.optional().describe('Day the fault was reported; defaults to the service request’s receipt day, else today (company time zone).'),
    description: z.string().trim().max(4000).optional(),
    mode: z.enum(REPAIR_MODES),
    address: address.optional().describe('Required on site.'),
    technicianId: ulid.optional(),
    window: repairWindow.optional().describe('With a window the repair is scheduled at once (technician required) and its parts are reserved.'),
    parts: partLines.default([]),
  })
  .strict()
  .refine((repair) => repair.serviceRequestId !== undefined || (repair.customer !== undefined && repair.productId !== undefined), {
    message: 'give serviceRequestId, or a customer and a productId',
    path: ['serviceRequestId'],
  })
  .refine((repair) => repair.mode !== 'on-site' || repair.address !== undefined, { message: 'an on-site repair needs an address', path: ['address'] });
export type RepairCreate = z.infer<typeof repairCreate>;

export const repairSchedule = z
  .object({
    window: repairWindow,
    technicianId: ulid.optional().describe('Required unless the repair already has a technician.'),
    parts: partLines.optional().describe('Replaces the parts named at creation; only while the repair is open (nothing reserved yet).'),
  })
  .strict();
export type RepairSchedule = z.infer<typeof repairSchedule>;

const lineRef = z.number().int().min(0).max(MAX_PART_LINES - 1).describe('Index of the repair’s part line.');

export const partsUsedCreate = z
  .object({
    lines: z
      .array(z.object({ line: lineRef, quantity }).strict())
      .min(1)
      .max(MAX_PART_LINES)
      .refine((lines) => new Set(lines.map((line) => line.line)).size === lines.length, 'name each line once'),
  })
  .strict();
export type PartsUsedCreate = z.infer<typeof partsUsedCreate>;

export const repairComplete = z
  .object({
    labourHours: z.number().min(0).max(1000).describe('Hours worked, in quarters of an hour or finer.'),
    result: z.object({ outcome: z.enum(REPAIR_OUTCOMES), summary: text(2000) }).strict(),
    signOff: z.object({ name: text(120).describe('Who signed for the customer.'), signedAt: isoDateTime }).strict(),
    returned: z
      .array(z.object({ line: lineRef, quantity, warehouseId: ulid.optional().describe('Defaults to the line’s warehouse.') }).strict())
      .max(MAX_PART_LINES)
      .refine((lines) => new Set(lines.map((line) => line.line)).size === lines.length, 'name each line once')
      .default([])
      .describe('Issued parts that came back unused: received into stock again.'),
  })
  .strict();
export type RepairComplete = z.infer<typeof repairComplete>;

export const repairCancel = z.object({ reason: text(500) }).strict();
export type RepairCancel = z.infer<typeof repairCancel>;

export const returnVisitCreate = z.object({ scheduledOn: isoDate, purpose: text(500) }).strict();
export type ReturnVisitCreate = z.infer<typeof returnVisitCreate>;

export const returnVisitRecord = z
  .object({
    outcome: text(2000),
    satisfaction: z.number().int().min(1).max(5).describe('The customer’s satisfaction, 1–5.'),
    visitedAt: isoDateTime.optional().describe('Defaults to now.'),
  })
  .strict();
export type ReturnVisitRecord = z.infer<typeof returnVisitRecord>;

export const returnVisitParams = z.object({ id: ulid, visitId: ulid }).strict();

const partLineView = z
  .object({
    line: z.number().int(),
    productId: ulid,
    warehouseId: ulid,
    quantity: z.number().int().describe('Units planned.'),
    reserved: z.number().int().describe('Units held for the repair now.'),
    used: z.number().int().describe('Units issued to the repair.'),
    released: z.number().int().describe('Units given back to available stock unused.'),
    returned: z.number().int().describe('Issued units that came back and were received.'),
  })
  .strict();
export type RepairPart = z.infer<typeof partLineView>;

export const warrantyView = z
  .object({
    underWarranty: z.boolean(),
    payer: z.enum(['company', 'customer']),
    basis: z
      .object({
        soldOn: isoDate.nullable(),
        soldOnSource: z.enum(['order-shipment', 'given', 'unknown']),
        orderId: ulid.optional(),
        warrantyMonths: z.number().int(),
        warrantyEndsOn: isoDate.nullable().describe('Sale date plus the warranty months (the last day covered is the day before).'),
        reportedOn: isoDate,
        explanation: z.string(),
      })
      .strict(),
  })
  .strict()
  .describe('Computed, never typed: under warranty when the sale date plus the product’s warranty months is after the reported day.');
export type Warranty = z.infer<typeof warrantyView>;

const stockStep = z
  .object({
    movementId: ulid.describe('The stock movement (GET /stock-movements/{id}).'),
    kind: z.enum(['reservation', 'issue', 'completion', 'cancellation']),
    at: isoDateTime,
    by: z.string(),
  })
  .strict();
export type StockStep = z.infer<typeof stockStep>;

const returnVisitView = z
  .object({
    id: ulid,
    scheduledOn: isoDate,
    purpose: z.string(),
    status: z.enum(['scheduled', 'recorded']),
    scheduledBy: z.string(),
    outcome: z.string().optional(),
    satisfaction: z.number().int().optional(),
    visitedAt: isoDateTime.optional(),
    recordedBy: z.string().optional(),
  })
  .strict();
export type ReturnVisit = z.infer<typeof returnVisitView>;

export const repairView = z
  .object({
    id: ulid,
    status: repairStatus,
    serviceRequestId: ulid.optional(),
    customer: z
      .object({
        id: ulid.optional(),
        name: z.string(),
        email: z.string().optional().describe('Only for service, sales, management and admin.'),
        phone: z.string().optional().describe('Only for service, sales, management and admin.'),
      })
      .strict(),
    productId: ulid,
    serialOrLot: z.string().optional(),
    orderId: ulid.optional(),
    reportedOn: isoDate,
    description: z.string().optional(),
    mode: z.enum(REPAIR_MODES),
    address: address.optional(),
    technician: z.object({ id: ulid, name: z.string() }).strict().optional(),
    window: z.object({ start: isoDateTime, end: isoDateTime }).strict().optional(),
    warranty: warrantyView,
    parts: z.array(partLineView),
    stockSteps: z.array(stockStep),
    scheduledAt: isoDateTime.optional(),
    labourHours: z.number().optional(),
    result: z.object({ outcome: z.enum(REPAIR_OUTCOMES), summary: z.string() }).strict().optional(),
    signOff: z.object({ name: z.string(), signedAt: isoDateTime }).strict().optional(),
    completedAt: isoDateTime.optional(),
    cancelledAt: isoDateTime.optional(),
    cancelReason: z.string().optional(),
    returnVisits: z.array(returnVisitView),
    ...auditFields,
  })
  .strict();
export type Repair = z.infer<typeof repairView>;

export const repairListQuery = z
  .object({
    status: repairStatus.optional().describe('Without status or technicianId: scheduled repairs.'),
    technicianId: ulid.optional().describe('A technician’s repairs, newest first (status filters on top).'),
    ...pageQuery,
  })
  .strict();
export type RepairListQuery = z.infer<typeof repairListQuery>;
export const repairPage = pageSchema(repairView);
