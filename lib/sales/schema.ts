import * as z from 'zod';
import { pageQuery, pageSchema } from '../platform/pagination';
import { auditFields, currencyCode, isoDate, isoDateTime, text, ulid } from '../platform/schema';
import { SALES_DIMENSIONS } from './dimensions';
import { month } from './period';

/**
 * Orders and invoices. Amounts are integer minor units of the company currency (orders in
 * another currency are refused: the sales figures add amounts, and adding currencies is wrong).
 */
export const MAX_ORDER_LINES = 10;
const quantity = z.number().int().min(1).max(1_000_000);
const amount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Minor units (e.g. fen, cents).');
/** A unit price: at most 10^10 minor units, so quantity × price stays exact. */
const unitAmount = z.number().int().min(0).max(10_000_000_000).describe('Minor units per unit.');
const percent = z.number().min(0).max(100).multipleOf(0.01);
const note = z.string().trim().max(1000).optional();

export const ORDER_STATUSES = ['draft', 'confirmed', 'partially-shipped', 'shipped', 'cancelled'] as const;
export const orderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof orderStatus>;

const orderLineCreate = z
  .object({
    productId: ulid,
    warehouseId: ulid.describe('Warehouse the line is reserved and shipped from.'),
    quantity,
    unitPrice: unitAmount.optional().describe('Defaults to the partner agreement’s price for the product, else the product’s list price.'),
    discountPercent: percent.default(0),
  })
  .strict();

export const orderCreate = z
  .object({
    customerId: ulid,
    channelId: ulid,
    partnerId: ulid.optional().describe('The distributor or agent the order comes through; its agreement sets default prices.'),
    repId: ulid.optional().describe('The sales rep credited; defaults to the customer’s owner rep.'),
    orderDate: isoDate.optional().describe('Defaults to today in the company time zone.'),
    customerReference: z.string().trim().max(80).optional(),
    note,
    lines: z.array(orderLineCreate).min(1).max(MAX_ORDER_LINES),
  })
  .strict();
export type OrderCreate = z.infer<typeof orderCreate>;

const orderLineView = z
  .object({
    line: z.number().int().min(0),
    productId: ulid,
    warehouseId: ulid,
    quantity,
    unitPrice: unitAmount,
    priceSource: z.enum(['order', 'agreement', 'list']),
    discountPercent: percent,
    /** quantity × unit price less the discount, rounded half up. */
    netAmount: amount,
    /** Standard cost of one unit, taken at confirmation. */
    unitCost: amount.optional(),
    reserved: z.number().int().min(0),
    shipped: z.number().int().min(0),
    returned: z.number().int().min(0),
    invoiced: z.number().int().min(0),
  })
  .strict();
export type OrderLine = z.infer<typeof orderLineView>;

const shipmentView = z
  .object({
    id: ulid,
    movementId: ulid,
    shippedAt: isoDateTime,
    shippedBy: z.string(),
    month,
    lines: z.array(z.object({ line: z.number().int(), quantity, revenue: z.number().int(), cost: z.number().int() }).strict()),
    trackingNumber: z.string().optional(),
  })
  .strict();

const returnView = z
  .object({
    id: ulid,
    movementId: ulid,
    receivedAt: isoDateTime,
    receivedBy: z.string(),
    month,
    reason: z.string(),
    lines: z.array(z.object({ line: z.number().int(), quantity, warehouseId: ulid, revenue: z.number().int(), cost: z.number().int() }).strict()),
  })
  .strict();

export const orderView = z
  .object({
    id: ulid,
    status: orderStatus,
    customerId: ulid,
    channelId: ulid,
    partnerId: ulid.optional(),
    agreementId: ulid.optional(),
    repId: ulid.optional(),
    region: z.string().describe('The customer’s region when the order was created: the region the sales count in.'),
    orderDate: isoDate,
    currency: currencyCode,
    customerReference: z.string().optional(),
    note: z.string().optional(),
    lines: z.array(orderLineView),
    total: amount.describe('Sum of the lines’ net amounts.'),
    confirmedAt: isoDateTime.optional(),
    cancelledAt: isoDateTime.optional(),
    cancelReason: z.string().optional(),
    shipments: z.array(shipmentView),
    returns: z.array(returnView),
    invoiceIds: z.array(ulid),
    /** Products already counted in the month's order counts (an order counts once per product). */
    countedProducts: z.array(ulid),
    ...auditFields,
  })
  .strict();
export type Order = z.infer<typeof orderView>;
export type Shipment = z.infer<typeof shipmentView>;
export type OrderReturn = z.infer<typeof returnView>;

export const orderListQuery = z
  .object({
    status: orderStatus.optional(),
    customerId: ulid.optional(),
    ...pageQuery,
  })
  .strict()
  .refine((query) => !(query.status && query.customerId), 'filter by status or by customerId, not both');
export type OrderListQuery = z.infer<typeof orderListQuery>;
export const orderPage = pageSchema(orderView);

const lineQuantity = z.object({ line: z.number().int().min(0).max(MAX_ORDER_LINES - 1), quantity }).strict();
const uniqueLines = (lines: Array<{ line: number }>) => new Set(lines.map((l) => l.line)).size === lines.length;

export const orderCancel = z.object({ reason: text(500) }).strict();
export type OrderCancel = z.infer<typeof orderCancel>;

export const shipmentCreate = z
  .object({
    lines: z
      .array(lineQuantity)
      .min(1)
      .max(MAX_ORDER_LINES)
      .refine(uniqueLines, 'name each line once')
      .optional()
      .describe('Lines and quantities to ship; omitted: everything reserved and not yet shipped.'),
    trackingNumber: z.string().trim().max(80).optional(),
  })
  .strict();
export type ShipmentCreate = z.infer<typeof shipmentCreate>;

export const returnCreate = z
  .object({
    reason: text(500),
    lines: z
      .array(lineQuantity.extend({ warehouseId: ulid.optional().describe('Where the goods come back to; defaults to the line’s warehouse.') }).strict())
      .min(1)
      .max(MAX_ORDER_LINES)
      .refine(uniqueLines, 'name each line once'),
  })
  .strict();
export type ReturnCreate = z.infer<typeof returnCreate>;

// ---- invoices ----------------------------------------------------------------------------------

export const INVOICE_STATUSES = ['open', 'partially-paid', 'paid'] as const;

export const invoiceCreate = z
  .object({
    taxRatePercent: percent.describe('VAT or sales tax rate, e.g. 13.'),
    issueDate: isoDate.optional().describe('Defaults to today in the company time zone.'),
    dueDate: isoDate.optional().describe('Defaults to the issue date plus the agreement’s payment terms (30 days without one).'),
    lines: z
      .array(lineQuantity)
      .min(1)
      .max(MAX_ORDER_LINES)
      .refine(uniqueLines, 'name each line once')
      .optional()
      .describe('Lines and quantities to invoice; omitted: everything shipped, not returned and not yet invoiced.'),
  })
  .strict();
export type InvoiceCreate = z.infer<typeof invoiceCreate>;

const paymentView = z
  .object({
    id: ulid,
    amount,
    paidOn: isoDate,
    method: z.enum(['bank-transfer', 'card', 'cash', 'other']),
    reference: z.string().optional(),
    recordedAt: isoDateTime,
    recordedBy: z.string(),
  })
  .strict();

export const invoiceView = z
  .object({
    id: ulid,
    number: z.string().describe('INV-<year>-<six digits>, gap-free within the year.'),
    year: z.number().int(),
    sequence: z.number().int().min(1),
    orderId: ulid,
    customerId: ulid,
    currency: currencyCode,
    issueDate: isoDate,
    dueDate: isoDate,
    lines: z.array(z.object({ line: z.number().int(), productId: ulid, quantity, netAmount: amount }).strict()),
    net: amount,
    taxRatePercent: percent,
    tax: amount,
    gross: amount,
    paid: amount,
    outstanding: amount,
    status: z.enum(INVOICE_STATUSES),
    payments: z.array(paymentView),
    ...auditFields,
  })
  .strict();
export type Invoice = z.infer<typeof invoiceView>;
export type Payment = z.infer<typeof paymentView>;

export const invoiceListQuery = z
  .object({
    status: z.enum(INVOICE_STATUSES).optional(),
    customerId: ulid.optional(),
    ...pageQuery,
  })
  .strict()
  .refine((query) => !(query.status && query.customerId), 'filter by status or by customerId, not both');
export type InvoiceListQuery = z.infer<typeof invoiceListQuery>;
export const invoicePage = pageSchema(invoiceView);

export const paymentCreate = z
  .object({
    amount: amount.min(1),
    paidOn: isoDate,
    method: paymentView.shape.method,
    reference: z.string().trim().max(80).optional(),
  })
  .strict();
export type PaymentCreate = z.infer<typeof paymentCreate>;

// ---- summary and forecast ------------------------------------------------------------------------

const figures = z
  .object({
    revenue: z.number().int(),
    cost: z.number().int(),
    grossProfit: z.number().int(),
    quantity: z.number().int(),
    orders: z.number().int(),
    newCustomers: z.number().int(),
    repeatCustomers: z.number().int(),
  })
  .strict();

export const summaryQuery = z
  .object({
    month,
    by: z.enum(SALES_DIMENSIONS.filter((d) => d !== 'total') as ['product', 'channel', 'partner', 'rep', 'region']).default('product'),
  })
  .strict();
export type SummaryQuery = z.infer<typeof summaryQuery>;

export const summaryView = z
  .object({
    month,
    by: summaryQuery.shape.by,
    currency: currencyCode,
    rows: z.array(z.object({ id: z.string(), figures }).strict()).describe('Largest revenue first.'),
    total: figures.describe('The whole company in the month (customers counted once, whatever the grouping).'),
    pipeline: z.array(z.object({ productId: z.string(), quantity: z.number().int(), value: z.number().int() }).strict()).describe('Confirmed, not yet shipped, now.'),
  })
  .strict();
export type SalesSummary = z.infer<typeof summaryView>;

export const forecastParams = z.object({ productId: ulid }).strict();
export const forecastQuery = z.object({ months: z.coerce.number().int().min(1).max(24).default(6) }).strict();
const interval = z.object({ lower: z.number(), upper: z.number() }).strict().nullable();
export const forecastView = z
  .object({
    productId: ulid,
    basis: z.string().describe('What was forecast and from what history.'),
    history: z.array(z.object({ month, quantity: z.number().int() }).strict()),
    method: z.string(),
    reason: z.string(),
    parameters: z.record(z.string(), z.number().nullable()),
    forecast: z.array(z.object({ month, quantity: z.number(), interval80: interval, interval95: interval }).strict()),
    backtest: z
      .object({
        description: z.string(),
        mapePercent: z.number().nullable(),
        pointsUsed: z.number().int(),
        skippedZeroActuals: z.number().int(),
      })
      .strict(),
  })
  .strict();
export type ForecastView = z.infer<typeof forecastView>;

