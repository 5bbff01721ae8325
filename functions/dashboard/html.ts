/**
 * Text into HTML. Every string the dashboard did not write itself (a feature, a segment, a model, a finding's
 * summary and evidence, advice) goes through escapeHtml, in element content and in attribute values alike, so a
 * feature named `<script>alert(1)</script>` or `"><img src=x onerror=alert(1)>` is shown as those characters and
 * never becomes markup. The five characters are the ones that can end a text node or a quoted attribute.
 */

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => entities[ch]!);
}
