import { randomUUID } from 'node:crypto';
import type { ProductCreate, WarehouseCreate } from '../../lib/catalog/schema';
import type { CustomerCreate, FeedbackCreate, FollowUpCreate, InteractionCreate } from '../../lib/customers/schema';
import type { Actor } from '../../lib/platform/auth';
import type { Clock } from '../../lib/platform/clock';
import type { ServiceContext } from '../../lib/platform/context';
import { newId } from '../../lib/platform/ids';
import type { AgreementCreate, ChannelCreate, EvaluationCreate, PartnerCreate } from '../../lib/partners/schema';
import type { Role } from '../../lib/platform/roles';
import type { RepCreate, TargetInput, TrainingCreate } from '../../lib/sales-team/schema';
import type { RepairCreate, TechnicianCreate, TechnicianTrainingCreate } from '../../lib/service/repairs/schema';
import type { ServiceRequestCreate } from '../../lib/service/requests/schema';

export function anActor(roles: Role[] = ['admin'], overrides: Partial<Actor> = {}): Actor {
  return { userId: `user-${randomUUID()}`, email: 'tester@example.com', roles, ...overrides };
}

/** A unique suffix so tests sharing a table never collide on unique fields. */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`.toUpperCase();
}

export function aProduct(overrides: Partial<ProductCreate> = {}): ProductCreate {
  return {
    sku: unique('SKU'),
    name: 'Smart lock S2',
    category: 'smart-lock',
    launchDate: '2026-03-01',
    listPrice: { amount: 129_900, currency: 'CNY' },
    warrantyMonths: 24,
    ownerDepartment: 'rnd',
    ...overrides,
  };
}

export function aWarehouse(overrides: Partial<WarehouseCreate> = {}): WarehouseCreate {
  return {
    code: unique('WH').slice(0, 20),
    name: 'Shanghai central',
    address: { line1: '88 Century Ave', city: 'Shanghai', country: 'CN' },
    ...overrides,
  };
}

/** A clock the test moves by hand. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next: string) => (now = new Date(next)) };
}

export function testContext(clock: Clock = fixedClock('2026-11-27T08:00:00Z')): ServiceContext {
  return { clock, newId };
}

/** A sales rep for a fresh user (user ids are unique per rep). */
export function aSalesRep(overrides: Partial<RepCreate> = {}): RepCreate {
  return { userId: `user-${randomUUID()}`, name: 'Li Wei', email: 'li.wei@example.com', region: 'east-china', hiredOn: '2025-03-01', active: true, ...overrides };
}

export function aTraining(overrides: Partial<TrainingCreate> = {}): TrainingCreate {
  return { course: 'Smart lock S2 product deep dive', topic: 'product', date: '2025-06-10', hours: 6, result: 'passed', score: 88, ...overrides };
}

/** A target with every measure, in CNY (the default company currency). */
export function aSalesTarget(overrides: Partial<TargetInput> = {}): TargetInput {
  return {
    revenue: { amount: 30_000_000, currency: 'CNY' },
    grossProfit: { amount: 9_000_000, currency: 'CNY' },
    newCustomers: 12,
    satisfaction: 4.5,
    ...overrides,
  };
}

/** A distributor covering two regions, with its contact person. */
export function aPartner(overrides: Partial<PartnerCreate> = {}): PartnerCreate {
  return {
    name: 'East China Distribution Co.',
    kind: 'distributor',
    regions: ['east-china', 'south-china'],
    contact: { name: 'Zhang Min', role: 'channel manager', phone: '+86 21 5555 0100', email: 'zhang.min@example.com' },
    status: 'active',
    ...overrides,
  };
}

/** An online channel (no partner); pass `type`, `kind` and `partnerId` for a partner's channel. */
export function aChannel(overrides: Partial<ChannelCreate> = {}): ChannelCreate {
  return { name: 'Tmall flagship store', kind: 'online', type: 'e-commerce', strengths: ['reach', 'fast delivery'], active: true, ...overrides };
}

/** The year 2026 in east-china, 25 % off list, a Q4 target of 100,000.00 CNY, tiers 2 % at 100 % and 3.5 % at 120 %. */
export function anAgreement(overrides: Partial<AgreementCreate> = {}): AgreementCreate {
  return {
    period: { from: '2026-01-01', to: '2026-12-31' },
    regions: ['east-china'],
    pricing: { kind: 'discount', percent: 25 },
    targets: [{ period: '2026-Q4', revenue: { amount: 10_000_000, currency: 'CNY' } }],
    rebateTiers: [
      { attainmentPercent: 100, rebatePercent: 2 },
      { attainmentPercent: 120, rebatePercent: 3.5 },
    ],
    paymentTermsDays: 60,
    afterSalesTerms: 'The distributor handles first-line service; warranty repairs go to the company.',
    ...overrides,
  };
}

/** Three criteria weighing 50/30/20 with scores 90/80/70: score 83, grade B. */
export function anEvaluation(overrides: Partial<EvaluationCreate> = {}): EvaluationCreate {
  return {
    period: '2026-Q4',
    criteria: [
      { name: 'sales', weight: 50, score: 90 },
      { name: 'market coverage', weight: 30, score: 80 },
      { name: 'service', weight: 20, score: 70 },
    ],
    comments: 'A solid quarter.',
    ...overrides,
  };
}

/** A business customer in east-china with one contact and consent to email; no owner rep unless given. */
export function aCustomer(overrides: Partial<CustomerCreate> = {}): CustomerCreate {
  return {
    type: 'business',
    name: 'Acme Trading Co.',
    contacts: [{ name: 'Wang Fang', phone: '+86 21 5555 0199', email: 'wang.fang@example.com', role: 'purchasing manager' }],
    region: 'east-china',
    segment: 'smb',
    preferences: { language: 'zh', contactTime: 'mornings' },
    consentToEmail: true,
    tags: ['trade-fair-2026'],
    ...overrides,
  };
}

/** A call an hour ago (real time: pass `occurredAt` when the test pins the clock). */
export function anInteraction(overrides: Partial<InteractionCreate> = {}): InteractionCreate {
  return {
    kind: 'call',
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    summary: 'Asked about the S2 lock battery life for a 40-door office.',
    outcome: 'Sent the spec sheet; they will decide next week.',
    contactName: 'Wang Fang',
    ...overrides,
  };
}

/** Due three days from now (real time), so it is never before the company's today. */
export function aFollowUp(overrides: Partial<FollowUpCreate> = {}): FollowUpCreate {
  return { dueOn: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10), task: 'Call back about the 40-door order.', ...overrides };
}

export function aFeedback(productId: string, overrides: Partial<FeedbackCreate> = {}): FeedbackCreate {
  return { productId, kind: 'defect', text: 'The keypad backlight stays on after locking.', channel: 'phone', ...overrides };
}

/** A service technician for a fresh user (user ids are unique per technician). */
export function aTechnician(overrides: Partial<TechnicianCreate> = {}): TechnicianCreate {
  return { userId: `user-${randomUUID()}`, name: 'Chen Jie', email: 'chen.jie@example.com', skills: ['smart-lock', 'electrical'], region: 'east-china', active: true, ...overrides };
}

export function aTechnicianTraining(overrides: Partial<TechnicianTrainingCreate> = {}): TechnicianTrainingCreate {
  return { course: 'S2 lock motor replacement', date: '2025-09-12', hours: 8, passed: true, ...overrides };
}

/** A remote repair of `productId` for a walk-in customer, reported today; pass `window`, `technicianId` and `parts` to schedule it at once. */
export function aRepair(productId: string, overrides: Partial<RepairCreate> = {}): RepairCreate {
  return { customer: { name: 'Zhou Lan', phone: '+86 21 5555 0123', email: 'zhou.lan@example.com' }, productId, description: 'The lock does not respond to the keypad.', mode: 'remote', parts: [], ...overrides };
}

/** An urgent quality complaint by phone from a walk-in (not yet a customer) who agreed to email. */
export function aComplaint(overrides: Partial<ServiceRequestCreate> = {}): ServiceRequestCreate {
  return {
    type: 'complaint',
    channel: 'hotline',
    customer: { name: 'Sun Li', email: 'sun.li@example.com', phone: '+86 21 5555 0142', consentToEmail: true },
    description: 'The lock’s keypad stopped responding two weeks after installation.',
    category: 'quality',
    priority: 'urgent',
    ...overrides,
  };
}

/** A brand strategy with two values, one audience, two channels and one objective for 2026. */
export function aBrand(overrides: Partial<import('../../lib/market/brands/schema').BrandCreate> = {}): import('../../lib/market/brands/schema').BrandCreate {
  return {
    name: `Brand ${randomUUID().slice(0, 8)}`,
    coreValues: ['safety first', 'quiet design'],
    positioning: 'The smart lock a family trusts without thinking about it.',
    targetAudiences: [{ name: 'young families', description: 'Tier-1 cities, first home.' }],
    tone: 'Calm, plain, reassuring.',
    channels: [{ channel: 'social-media', role: 'Everyday presence' }, { channel: 'trade-show' }],
    yearlyObjectives: [{ year: 2026, objective: 'Be known in tier-1 cities', measure: 'aided awareness ≥ 30 % in the Q4 survey' }],
    ...overrides,
  };
}

/** A social-media campaign of `brandId` in Nov–Dec 2026 with a 50,000.00 CNY budget, nothing spent yet, two KPIs. */
export function aCampaign(brandId: string, overrides: Partial<import('../../lib/market/campaigns/schema').CampaignCreate> = {}): import('../../lib/market/campaigns/schema').CampaignCreate {
  return {
    brandId,
    name: 'Winter launch',
    channel: 'social-media',
    period: { from: '2026-11-01', to: '2026-12-31' },
    budget: { amount: 5_000_000, currency: 'CNY' },
    targetAudience: 'Young families in tier-1 cities',
    kpis: [
      { metric: 'reach', target: 200_000 },
      { metric: 'share-of-voice', target: 12.5 },
    ],
    productIds: [],
    partnerIds: [],
    ...overrides,
  };
}

/** A Chinese PDF brochure, its URL kept as text. */
export function aMaterial(overrides: Partial<import('../../lib/market/campaigns/schema').MaterialCreate> = {}): import('../../lib/market/campaigns/schema').MaterialCreate {
  return { title: 'S2 winter brochure', kind: 'brochure', format: 'PDF A4, 8 pages', url: 'https://files.example.com/s2-winter.pdf', language: 'zh-CN', ...overrides };
}

/** A market intelligence entry: an importance-1 industry report, no products or competitors, observed 2026-11-20. */
export function anIntelEntry(overrides: Partial<import('../../lib/market/intel/schema').IntelCreate> = {}): import('../../lib/market/intel/schema').IntelCreate {
  return {
    title: 'Smart lock market grows in tier-2 cities',
    summary: 'Installers report rising demand for keyless entry in new housing estates.',
    kind: 'industry-report',
    source: { type: 'industry-report', name: 'IDC China', url: 'https://example.com/report.pdf' },
    observedOn: '2026-11-20',
    productIds: [],
    competitorIds: [],
    sentiment: 'opportunity',
    importance: 1,
    tags: [],
    attachments: [],
    ...overrides,
  };
}

/** A competitor with a unique name and nothing mapped yet. */
export function aCompetitor(overrides: Partial<import('../../lib/market/competitors/schema').CompetitorCreate> = {}): import('../../lib/market/competitors/schema').CompetitorCreate {
  return { name: `Rival ${randomUUID().slice(0, 8)}`, products: [], strengths: ['Low prices'], weaknesses: ['Slow after-sales service'], ...overrides };
}
