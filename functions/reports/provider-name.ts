/** Display names of the providers the ledger most often names; any other provider is written as it is. */
const providerNames: Readonly<Record<string, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  mistral: 'Mistral AI',
  cohere: 'Cohere',
  deepseek: 'DeepSeek',
  'x-ai': 'xAI',
  azure: 'Microsoft Azure',
  'aws-bedrock': 'Amazon Web Services',
};

/**
 * How a bill names a provider: `openai` is "OpenAI", an unknown provider keeps its own spelling, and calls that
 * name none are "Unknown provider".
 */
export function providerName(provider: string | null): string {
  return provider === null ? 'Unknown provider' : (providerNames[provider.toLowerCase()] ?? provider);
}
