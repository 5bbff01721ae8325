import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../functions/dashboard/html.js';

describe('escapeHtml', () => {
  it.each([
    { name: 'a script tag', text: '<script>alert(1)</script>', html: '&lt;script&gt;alert(1)&lt;/script&gt;' },
    { name: 'an attribute break-out', text: '"><img src=x onerror=alert(1)>', html: '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;' },
    { name: 'a single-quoted break-out', text: "' onmouseover='x", html: '&#39; onmouseover=&#39;x' },
    { name: 'an ampersand, escaped once', text: 'R&D &amp; more', html: 'R&amp;D &amp;amp; more' },
    { name: 'plain text', text: 'support_bot', html: 'support_bot' },
  ])('writes $name as text', ({ text, html }) => {
    expect(escapeHtml(text)).toBe(html);
  });
});
