import type { DepartmentCode, SettingsInput } from './schema';

export const DEPARTMENT_NAMES: Record<DepartmentCode, string> = {
  market: 'Market',
  sales: 'Sales',
  rnd: 'R&D',
  production: 'Production',
  procurement: 'Procurement',
  service: 'Customer service',
  management: 'Management',
  admin: 'Administration',
};

/** What a company gets before an admin saves its settings. */
export const DEFAULT_SETTINGS: SettingsInput = {
  companyName: 'Our company',
  timeZone: 'Asia/Shanghai',
  currency: 'CNY',
  slaHours: {
    urgent: { firstResponseHours: 1, resolutionHours: 8 },
    high: { firstResponseHours: 4, resolutionHours: 24 },
    normal: { firstResponseHours: 8, resolutionHours: 72 },
    low: { firstResponseHours: 24, resolutionHours: 120 },
  },
  closeAfterDaysWithoutFeedback: 7,
};
