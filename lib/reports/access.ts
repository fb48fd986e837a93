import type { DepartmentCode } from '../organization/schema';
import type { Role } from '../platform/roles';
import type { SectionName } from './model';

/**
 * Who reads which section, and which sections each head's digest carries: one place for both.
 * Readers follow need: complaints concern the departments that investigate them (rnd,
 * production); stock concerns those who make and buy; the recommendations are management's.
 */
export const SECTION_READERS: Record<SectionName, readonly Role[]> = {
  'market-trends': ['market', 'sales', 'rnd', 'management', 'admin'],
  sales: ['sales', 'market', 'management', 'admin'],
  'after-sales': ['service', 'rnd', 'production', 'management', 'admin'],
  inventory: ['production', 'procurement', 'management', 'admin'],
  recommendations: ['management', 'admin'],
};

/** Every role reads at least one section. */
export const REPORT_READERS: readonly Role[] = [...new Set(Object.values(SECTION_READERS).flat())];

export function mayRead(roles: readonly Role[], section: SectionName): boolean {
  return roles.some((role) => SECTION_READERS[section].includes(role));
}

/**
 * The digest each head receives. `summary` is management's one page: every section's key
 * figures and the recommendations. Heads of other departments (rnd, admin) get none.
 */
export type DigestKind = { kind: 'sections'; sections: readonly SectionName[] } | { kind: 'summary' };

export const DIGESTS: Partial<Record<DepartmentCode, DigestKind>> = {
  sales: { kind: 'sections', sections: ['sales'] },
  market: { kind: 'sections', sections: ['market-trends'] },
  service: { kind: 'sections', sections: ['after-sales'] },
  production: { kind: 'sections', sections: ['inventory'] },
  procurement: { kind: 'sections', sections: ['inventory'] },
  management: { kind: 'summary' },
};
