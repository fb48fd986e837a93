import * as z from 'zod';
import { pageQuery, pageSchema } from '../../platform/pagination';
import { auditFields, text, ulid } from '../../platform/schema';

/**
 * A brand's strategy document. Every field is bounded so that one version — the current item
 * and each immutable copy — stays far below DynamoDB's 400 KB item limit (about 90 KB at most).
 */

/** The channels a brand and its campaigns speak through. */
export const CAMPAIGN_CHANNELS = ['advertising', 'pr-event', 'social-media', 'trade-show', 'partner-co-marketing'] as const;
export const campaignChannel = z.enum(CAMPAIGN_CHANNELS);
export type CampaignChannel = z.infer<typeof campaignChannel>;

export const MAX_CORE_VALUES = 12;
export const MAX_AUDIENCES = 12;
export const MAX_OBJECTIVES = 30;

const uniqueBy = <T>(values: T[], key: (value: T) => string) => new Set(values.map(key)).size === values.length;

const coreValues = z
  .array(text(200))
  .min(1)
  .max(MAX_CORE_VALUES)
  .refine((list) => uniqueBy(list, (value) => value.toLowerCase()), 'each value at most once')
  .describe(`What the brand stands for (1–${MAX_CORE_VALUES}, each at most 200 characters).`);

const targetAudience = z
  .object({
    name: text(120),
    description: z.string().trim().max(1000).optional(),
  })
  .strict();

const targetAudiences = z
  .array(targetAudience)
  .max(MAX_AUDIENCES)
  .refine((list) => uniqueBy(list, (audience) => audience.name.toLowerCase()), 'each audience at most once')
  .describe(`Who the brand speaks to (at most ${MAX_AUDIENCES}).`);

const brandChannel = z
  .object({
    channel: campaignChannel,
    role: z.string().trim().max(1000).optional().describe('What the channel does for the brand.'),
  })
  .strict();

const channels = z
  .array(brandChannel)
  .max(CAMPAIGN_CHANNELS.length)
  .refine((list) => uniqueBy(list, (entry) => entry.channel), 'each channel at most once')
  .describe('The channels the brand uses, each at most once.');

const yearlyObjective = z
  .object({
    year: z.number().int().min(2000).max(2100),
    objective: text(500),
    measure: text(500).describe('How the objective is measured, e.g. "aided awareness ≥ 40 % in the tier-1 survey".'),
  })
  .strict();

const yearlyObjectives = z
  .array(yearlyObjective)
  .max(MAX_OBJECTIVES)
  .describe(`Objectives per year, each with its measure (at most ${MAX_OBJECTIVES}).`);

const changeNote = z.string().trim().max(500).describe('Why this version was made (kept with the version).');

const brandFields = {
  name: text(120),
  coreValues,
  positioning: text(4000),
  targetAudiences,
  tone: text(2000).describe('Tone of voice.'),
  channels,
  yearlyObjectives,
};

export const brandCreate = z
  .object({
    ...brandFields,
    targetAudiences: targetAudiences.default([]),
    channels: channels.default([]),
    yearlyObjectives: yearlyObjectives.default([]),
    changeNote: changeNote.optional(),
  })
  .strict();
export type BrandCreate = z.infer<typeof brandCreate>;

export const brandPatch = z
  .object({ ...brandFields, changeNote })
  .strict()
  .partial()
  .refine((patch) => Object.keys(patch).some((key) => key !== 'changeNote'), 'send at least one field of the strategy to change')
  .describe('Fields of the strategy to change (lists are replaced whole). Each change makes a new version; every earlier version is kept.');
export type BrandPatch = z.infer<typeof brandPatch>;

export const brandView = z
  .object({
    id: ulid,
    name: z.string(),
    coreValues: z.array(z.string()),
    positioning: z.string(),
    targetAudiences: z.array(targetAudience),
    tone: z.string(),
    channels: z.array(brandChannel),
    yearlyObjectives: z.array(yearlyObjective),
    changeNote: z.string().optional().describe('The note of the change that made this version.'),
    ...auditFields,
  })
  .strict()
  .describe('A brand strategy at one version; `updatedAt`/`updatedBy` say when and by whom that version was made.');
export type Brand = z.infer<typeof brandView>;

export const brandListQuery = z.object({ ...pageQuery }).strict();
export type BrandListQuery = z.infer<typeof brandListQuery>;
export const brandPage = pageSchema(brandView);

export const brandVersionListQuery = z.object({ ...pageQuery }).strict();
export type BrandVersionListQuery = z.infer<typeof brandVersionListQuery>;

export const brandVersionParams = z
  .object({
    id: ulid.describe('The brand.'),
    version: z.coerce.number().int().min(1).max(999_999_999).describe('A version number, from 1.'),
  })
  .strict();
