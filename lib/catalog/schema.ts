import * as z from 'zod';
import { pageQuery, pageSchema } from '../platform/pagination';
import { auditFields, department, isoDate, isoDateTime, money, postalAddress, text, ulid } from '../platform/schema';

export const PRODUCT_STATUSES = ['launched', 'active', 'phasing-out', 'discontinued'] as const;
export const productStatus = z.enum(PRODUCT_STATUSES);
export type ProductStatus = z.infer<typeof productStatus>;

const sku = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" or "-", at most 64, starting with a letter or digit')
  .describe('Stock-keeping unit, unique across the catalog (compared case-insensitively).');

const category = text(60).describe('Product category, e.g. "smart-lock".');

export const MAX_ATTRIBUTES = 30;
const attributes = z
  .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,39}$/, 'attribute names: letters, digits, "_", ".", "-", at most 40'), z.string().max(200))
  .refine((value) => Object.keys(value).length <= MAX_ATTRIBUTES, `at most ${MAX_ATTRIBUTES} attributes`)
  .describe(`Free key/value attributes (at most ${MAX_ATTRIBUTES}; values at most 200 characters).`);

const productFields = {
  name: text(120),
  category,
  description: z.string().max(4000).optional(),
  launchDate: isoDate,
  listPrice: money,
  standardCost: money.optional().describe('Standard cost of one unit: orders take it at confirmation for their cost of goods and gross profit.'),
  warrantyMonths: z.number().int().min(0).max(120),
  ownerDepartment: department.describe('Department that owns the product: its head hears about its complaints and alerts.'),
  attributes: attributes.optional(),
};

export const productCreate = z.object({ sku, ...productFields }).strict();
export type ProductCreate = z.infer<typeof productCreate>;

export const productPatch = z
  .object({
    name: productFields.name.optional(),
    category: category.optional(),
    description: productFields.description.nullable(),
    launchDate: isoDate.optional(),
    listPrice: money.optional(),
    standardCost: money.optional(),
    warrantyMonths: productFields.warrantyMonths.optional(),
    ownerDepartment: department.optional(),
    attributes: attributes.optional(),
  })
  .strict()
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change')
  .describe('Fields to change; the SKU and the status cannot be patched (status has its own action).');
export type ProductPatch = z.infer<typeof productPatch>;

export const productView = z
  .object({
    id: ulid,
    sku: z.string(),
    ...productFields,
    description: z.string().optional(),
    attributes: z.record(z.string(), z.string()),
    status: productStatus,
    statusChangedAt: isoDateTime,
    statusChangedBy: z.string(),
    ...auditFields,
  })
  .strict();
export type Product = z.infer<typeof productView>;

export const productStatusChange = z
  .object({
    status: productStatus,
    reason: z.string().trim().max(500).optional(),
  })
  .strict();
export type ProductStatusChange = z.infer<typeof productStatusChange>;

export const productListQuery = z
  .object({
    status: productStatus.optional(),
    category: category.optional(),
    ownerDepartment: department.optional(),
    ...pageQuery,
  })
  .strict();
export type ProductListQuery = z.infer<typeof productListQuery>;
export const productPage = pageSchema(productView);

const address = postalAddress;

export const warehouseCreate = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z0-9][A-Z0-9-]{0,19}$/, 'upper-case letters, digits and "-", at most 20')
      .describe('Short unique code, e.g. "SH-01".'),
    name: text(120),
    address,
  })
  .strict();
export type WarehouseCreate = z.infer<typeof warehouseCreate>;

export const warehouseView = warehouseCreate.extend({ id: ulid, ...auditFields }).strict();
export type Warehouse = z.infer<typeof warehouseView>;

export const warehouseListQuery = z.object({ ...pageQuery }).strict();
export const warehousePage = pageSchema(warehouseView);
