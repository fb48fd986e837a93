import type { Actor } from '../../platform/auth';
import type { Role } from '../../platform/roles';

/**
 * Who may do what with brands, campaigns and their materials (pure data: the manifest and the
 * services both read it). Market runs the brand; management and admin may do everything, as in
 * the sales modules — so everyone who writes a campaign also sees its money.
 */
export const MARKET_WRITERS: readonly Role[] = ['market', 'management', 'admin'];

/** Budgets, actual spend and the ROI view: the roles that write campaigns, no one else. */
export const CAMPAIGN_MONEY_READERS: readonly Role[] = MARKET_WRITERS;

/**
 * Route-level gate for approving or rejecting a material. Management always may; a `market`
 * user only when they are the market department's head (checked in the service against the
 * head's email, since tokens carry departments, not headships). Admin is left out on purpose:
 * admin names the heads, so it must not be able to bypass one.
 */
export const MATERIAL_APPROVER_ROLES: readonly Role[] = ['market', 'management'];

export function seesCampaignMoney(actor: Actor): boolean {
  return actor.roles.some((role) => CAMPAIGN_MONEY_READERS.includes(role));
}
