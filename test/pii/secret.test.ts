import { describe, expect, it } from 'vitest';
import { redact } from '../../functions/pii/redact.js';

/** The secret rules one by one, through the redactor: each provider's shape is caught, and its near misses are not. */
describe('secrets', () => {
  const random = 'u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ2isAjq4Xw';

  it.each([
    { provider: 'OpenAI (legacy)', text: `sk-${random.slice(0, 48)}` },
    { provider: 'OpenAI (project)', text: `sk-proj-${random}_-${random}` },
    { provider: 'OpenAI (service account)', text: `sk-svcacct-${random}` },
    { provider: 'Anthropic', text: `sk-ant-api03-${random}${random}-AA` },
    { provider: 'Anthropic (admin)', text: `sk-ant-admin01-${random}` },
    { provider: 'Google', text: `AIza${random.slice(0, 35)}` },
    { provider: 'AWS access key id', text: 'AKIAIOSFODNN7EXAMPLE' },
    { provider: 'AWS temporary key id', text: 'ASIAY34FZKBOKMUTVV7A' },
    { provider: 'GitHub classic', text: `ghp_${random.slice(0, 36)}` },
    { provider: 'GitHub OAuth', text: `gho_${random.slice(0, 36)}` },
    { provider: 'GitHub fine-grained', text: `github_pat_11ABCDEFG0123456789_${random}` },
    { provider: 'Slack bot', text: 'xoxb-252427316723-2686563551505-JDCTbyvHNsG9eh6Yo4gfqrc5' },
    { provider: 'Slack user', text: 'xoxp-252427316723-2686563551505-2686563551506-a1b2c3d4e5f6' },
    { provider: 'Slack webhook', text: 'https://hooks.slack.com/services/T024BE7LD/B08AAAAAAAA/abcdefghijklmnopqrstuvwx' },
    { provider: 'Stripe live', text: `sk_live_51${random.slice(0, 40)}` },
    { provider: 'Stripe restricted', text: `rk_live_51${random.slice(0, 40)}` },
    { provider: 'Hugging Face', text: `hf_${random.slice(0, 34)}` },
    { provider: 'Groq', text: `gsk_${random}` },
    { provider: 'xAI', text: `xai-${random}${random}` },
    { provider: 'a Bearer token', text: `Bearer ${random}` },
    { provider: 'a JWT', text: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhYmMxMjMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ' },
    { provider: 'an unsigned JWT (alg none)', text: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhYmMxMjMifQ.' },
    { provider: 'a PEM private key', text: '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----' },
    { provider: 'an OpenSSH private key', text: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\n-----END OPENSSH PRIVATE KEY-----' },
  ])('takes a key of $provider whole', ({ text }) => {
    expect(redact(text)).toEqual({ text: '[SECRET]', found: ['secret'] });
  });

  it.each([
    { what: 'an assignment to api_key', text: 'api_key=9f8e7d6c5b4a3210', redacted: 'api_key=[SECRET]' },
    { what: 'a JSON client_secret', text: '{"client_secret": "Zm9vYmFyYmF6cXV4"}', redacted: '{"client_secret": "[SECRET]"}' },
    { what: 'a YAML password', text: 'PASSWORD: s3cr3t-value', redacted: 'PASSWORD: [SECRET]' },
    { what: 'credentials in a URL', text: 'redis://default:pa55word@cache.internal:6379', redacted: 'redis://[SECRET]@cache.internal:6379' },
  ])('redacts the value of $what, keeping the key', ({ text, redacted }) => {
    expect(redact(text).text).toBe(redacted);
  });

  it.each([
    { what: 'a prompt id that starts with sk-', text: 'sk-learn-regression-explainer-prompt' },
    { what: 'a token count', text: 'prompt_tokens: 123456789' },
    { what: 'a short assignment', text: 'api_key=abc' },
    { what: 'a placeholder already there', text: 'api_key=[SECRET]' },
    { what: 'the word bearer in prose', text: 'the bearer of bad news' },
    { what: 'a word that contains sk-', text: 'task-0123456789abcdefghij' },
    { what: 'a public Stripe key', text: `pk_live_51${random.slice(0, 40)}` },
    { what: 'a PEM public key', text: '-----BEGIN PUBLIC KEY-----' },
    { what: 'a URL with a port', text: 'https://api.example.com:8443/v1/chat/completions' },
  ])('leaves $what alone', ({ text }) => {
    expect(redact(text)).toEqual({ text, found: [] });
  });
});
