import type { FinopsConfig } from '../config/finops-config.js';
import { providerName } from './provider-name.js';

/** The account a provider invoices: FOCUS's BillingAccountId and BillingAccountName. */
export interface BillingAccount {
  id: string;
  name: string;
}

/**
 * The billing account behind a provider's charges. FOCUS 1.2 makes BillingAccountId mandatory and never null ("a
 * unique identifier within a provider") and BillingAccountName mandatory, not null where the account has a name
 * (FOCUS_Spec specification/columns/billingaccountid.md, billingaccountname.md). The ledger's calls do not carry
 * the account, so it comes from the config: `billing.accounts.<provider>` (matched case-insensitively), e.g. the
 * OpenAI organization id; calls that name no provider go under the key `unknown`. A provider not listed gets a
 * stable default: its own id as the ledger writes it, lower-cased (`openai`, `unknown`), and its display name
 * ("OpenAI"), so the export is valid FOCUS before anyone fills the config in, and rows of one provider always share
 * one account.
 */
export function billingAccount(config: FinopsConfig, provider: string | null): BillingAccount {
  const key = provider?.toLowerCase() ?? 'unknown';
  const listed = Object.entries(config.billing.accounts).find(([name]) => name.toLowerCase() === key)?.[1];
  return { id: listed?.id ?? key, name: listed?.name ?? providerName(provider) };
}
