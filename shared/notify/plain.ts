import { oneLine } from './text.ts';
import type { NotificationView } from './view.ts';

/**
 * The e-mail text: the same content as the chat cards, as plain lines. The subject comes first
 * (e-mail clients show it in the list, the body repeats it), then who, the quote, the facts, the
 * lines and the links.
 */
export function renderPlain(view: NotificationView, subject: string): string {
  const out: string[] = [subject, ''];
  if (view.byline) out.push(`${view.byline.author} · ${view.byline.platform} · ${view.byline.at}`);
  if (view.quote !== undefined)
    out.push(
      ...view.quote
        .replace(/\r\n?/g, '\n')
        .split('\n')
        .map((l) => `> ${l}`),
    );
  if (view.byline || view.quote !== undefined) out.push('');
  if (view.facts.length) {
    out.push(...view.facts.map((f) => `${f.label}: ${oneLine(f.value)}`), '');
  }
  if (view.lines.length) out.push(...view.lines, '');
  for (const link of view.links) out.push(`${link.label}: ${link.url}`);
  out.push(view.footer);
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
