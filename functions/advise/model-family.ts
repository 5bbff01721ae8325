/**
 * A model's family: its name without versions and dates, so that the snapshots and generations of one tier of a
 * vendor's line count together (a self-hosted model would replace the tier, whatever snapshot the calls named).
 * The name after any `provider/` is split on `-`, `_`, `:` and `@`; parts that start with a digit (versions like
 * `4`, `3`, `2.5`, `4o`, `4.1`; dates like `20250514`) and `latest` are dropped, except parameter sizes (`70b`, `8b`).
 *
 * @example modelFamily('claude-sonnet-4-20250514') // 'claude-sonnet'
 * @example modelFamily('claude-3-5-haiku-latest') // 'claude-haiku'
 * @example modelFamily('gpt-4o-mini') // 'gpt-mini', as is gpt-4.1-mini
 * @example modelFamily('meta-llama/llama-3.1-70b-instruct') // 'llama-70b-instruct'
 */
export function modelFamily(model: string): string {
  const name = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  const parts = name.split(/[-_:@]/).filter((part) => part !== '' && part !== 'latest' && (!/^\d/.test(part) || /^\d+(\.\d+)?b$/.test(part)));
  return parts.length > 0 ? parts.join('-') : name;
}
