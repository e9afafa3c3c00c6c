import type { KnownBlock } from '@slack/types';
import type { ChatbotNotification } from '../../shared/notify/chatbot.ts';
import type { SlackMessage } from '../../shared/notify/slack.ts';
import type { InboxMessage } from './local-chat.ts';

/**
 * The local inbox page: every chat message the local stack posted, newest first, Slack messages
 * laid out from their Block Kit (the subset the renderer produces), Teams cards rendered in the
 * browser by the Adaptive Cards SDK with a Teams-like host config, Chatbot notifications as the
 * title, description and next steps they carry. For looking, and for the README's screenshots.
 */
export function renderInboxPage(
  messages: readonly InboxMessage[],
  options: { interactive: boolean },
): string {
  const slack = messages.filter((m) => m.kind === 'slack');
  const teams = messages.filter((m) => m.kind === 'teams');
  const chatbot = messages.filter((m) => m.kind === 'chatbot');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>community-autopilot · local chat inbox</title>
<style>${CSS}</style></head>
<body>
<header><h1>Local chat inbox</h1><p>${messages.length} message(s) posted by the local stack. ${
    options.interactive ? 'Buttons call the local interactions route, signed as Slack would sign them.' : ''
  }</p></header>
<main>
<section class="column slack" id="slack"><h2>Slack</h2>${slack.map(slackMessage).join('') || empty()}</section>
<section class="column teams" id="teams"><h2>Microsoft Teams</h2>${teams.map(teamsMessage).join('') || empty()}</section>
<section class="column chatbot" id="chatbot"><h2>Amazon Q Developer in chat</h2>${chatbot.map(chatbotMessage).join('') || empty()}</section>
</main>
<script src="/local/inbox/adaptivecards.js"></script>
<script>${SCRIPT}</script>
</body></html>`;
}

function empty(): string {
  return '<p class="empty">Nothing yet: run <code>npm run demo</code>.</p>';
}

function esc(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function channel(m: InboxMessage): string {
  return `<div class="meta">#${esc(m.team)} · ${esc(m.target)} · ${esc(m.at.slice(11, 16))}</div>`;
}

function slackMessage(m: InboxMessage): string {
  const message = m.payload as SlackMessage;
  const blocks = (message.blocks ?? []).map((b) => slackBlock(b, m.id)).join('');
  return `<article class="msg" data-id="${esc(m.id)}">${channel(m)}<div class="app"><div class="avatar">CA</div><div class="body"><div class="name">community-autopilot <span class="tag">APP</span></div>${blocks}</div></div></article>`;
}

function slackBlock(block: KnownBlock, messageId: string): string {
  switch (block.type) {
    case 'header':
      return `<div class="s-header">${esc(block.text.text)}</div>`;
    case 'section': {
      const text = block.text ? `<div class="s-text">${mrkdwn(block.text.text)}</div>` : '';
      const fields = block.fields?.length
        ? `<div class="s-fields">${block.fields.map((f) => `<div>${mrkdwn(f.text)}</div>`).join('')}</div>`
        : '';
      return `<div class="s-section">${text}${fields}</div>`;
    }
    case 'context':
      return `<div class="s-context">${block.elements
        .map((e) => ('text' in e ? `<span>${mrkdwn(e.text)}</span>` : ''))
        .join('')}</div>`;
    case 'actions':
      return `<div class="s-actions">${block.elements
        .map((e) => {
          if (e.type !== 'button') return '';
          const cls = e.style === 'primary' ? 'btn primary' : 'btn';
          if (e.url)
            return `<a class="${cls}" href="${esc(e.url)}" target="_blank" rel="noreferrer">${esc(e.text.text)}</a>`;
          return `<button class="${cls}" data-message="${esc(messageId)}" data-action="${esc(e.action_id ?? '')}" data-value="${esc(e.value ?? '')}">${esc(e.text.text)}</button>`;
        })
        .join('')}</div>`;
    case 'divider':
      return '<hr>';
    default:
      return '';
  }
}

/**
 * Slack mrkdwn to HTML. The text is Slack-escaped already (`&amp;`, `&lt;`, `&gt;` are also HTML
 * entities), so every `<` in it is markup: `<url|label>` links, `<@U…>` mentions.
 */
function mrkdwn(text: string): string {
  const lines = text
    .replaceAll('"', '&quot;')
    .replace(/<([^<>|]+)\|([^<>]*)>/g, (_, url: string, label: string) =>
      /^https?:/.test(url) ? `<a href="${url}">${label}</a>` : label,
    )
    .replace(/<@([A-Z0-9]+)>/g, '<span class="mention">@$1</span>')
    .replace(/<(https?:[^<>]+)>/g, '<a href="$1">$1</a>')
    .replace(/\*([^*\n]+)\*/g, '<b>$1</b>')
    .replace(/(^|\s)_([^_\n]+)_(?=\s|$)/g, '$1<i>$2</i>')
    .split('\n');
  const out: string[] = [];
  let quote: string[] = [];
  for (const line of lines) {
    // The quote marker is a raw `>` (a `>` in the text itself is escaped as `&gt;`).
    if (line.startsWith('>')) {
      quote.push(line.replace(/^> ?/, ''));
      continue;
    }
    if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
    out.push(line);
  }
  if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
  return out
    .join('<br>')
    .replace(/<br>(<blockquote>)/g, '$1')
    .replace(/(<\/blockquote>)<br>/g, '$1');
}

function teamsMessage(m: InboxMessage): string {
  const envelope = m.payload as { attachments?: { content?: unknown }[] };
  const card = JSON.stringify(envelope.attachments?.[0]?.content ?? {}).replaceAll('<', '\\u003c');
  return `<article class="msg">${channel(m)}<div class="teams-post"><div class="name">Workflows <span class="sub">via community-autopilot</span></div><div class="card" data-card="${esc(card)}"></div></div></article>`;
}

function chatbotMessage(m: InboxMessage): string {
  const n = m.payload as ChatbotNotification;
  const steps = (n.content.nextSteps ?? []).map((s) => `<li>${esc(s)}</li>`).join('');
  return `<article class="msg">${channel(m)}<div class="app"><div class="avatar q">Q</div><div class="body"><div class="name">Amazon Q Developer <span class="tag">APP</span></div><div class="s-header small">${esc(n.content.title)}</div><div class="s-text">${mrkdwn(esc(n.content.description).replace(/^&gt; /gm, '> '))}</div>${steps ? `<div class="s-context"><b>Next steps</b><ul>${steps}</ul></div>` : ''}<div class="s-context">${(n.content.keywords ?? []).map((k) => `<span class="kw">${esc(k)}</span>`).join(' ')}</div></div></div></article>`;
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.45 -apple-system,"Segoe UI",Lato,Helvetica,Arial,sans-serif;background:#f4f4f6;color:#1d1c1d}
header{padding:14px 24px;background:#3f0e40;color:#fff}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;opacity:.8;font-size:13px}
main{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:16px;padding:16px}
.column{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 3px rgba(0,0,0,.12);min-width:0}
.column h2{font-size:15px;margin:0 0 8px;color:#616061;text-transform:uppercase;letter-spacing:.04em}
.teams{background:#f5f5f5}.teams h2{color:#5b5fc7}
.msg{border-top:1px solid #eee;padding:10px 10px}.meta{font-size:12px;color:#868686;margin-bottom:6px}
.app{display:flex;gap:10px}.avatar{flex:none;width:36px;height:36px;border-radius:6px;background:#2eb67d;color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center;font-size:13px}.avatar.q{background:#232f3e}
.body{min-width:0;flex:1}.name{font-weight:700}.tag{font-size:10px;background:#e8e8e8;color:#616061;border-radius:3px;padding:1px 4px;font-weight:600}.sub{font-weight:400;color:#616061;font-size:12px}
.s-header{font-size:18px;font-weight:900;margin:4px 0}.s-header.small{font-size:16px}.s-section{margin:6px 0}.s-text{word-wrap:break-word;overflow-wrap:anywhere}.pre{white-space:pre-wrap}
.s-fields{display:grid;grid-template-columns:1fr 1fr;gap:6px 16px;margin-top:6px}
blockquote{margin:4px 0;padding-left:10px;border-left:4px solid #ddd;color:#1d1c1d}
.s-context{font-size:12px;color:#616061;margin:6px 0}.s-context ul{margin:2px 0;padding-left:18px}.kw{background:#eef;border-radius:3px;padding:0 4px}
.s-actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}.btn{font:inherit;font-size:13px;font-weight:700;border:1px solid #bbb;background:#fff;border-radius:4px;padding:4px 12px;color:#1d1c1d;text-decoration:none;cursor:pointer}.btn.primary{background:#007a5a;border-color:#007a5a;color:#fff}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}a{color:#1264a3}
.teams-post{background:#fff;border-radius:6px;padding:10px 12px;box-shadow:0 1px 2px rgba(0,0,0,.1)}.teams-post .name{margin-bottom:6px}
.card .ac-pushButton{font-family:"Segoe UI",sans-serif;border:1px solid #d1d1d1;border-radius:4px;background:#fff;color:#242424;padding:4px 12px;margin-top:8px;font-weight:600;cursor:pointer}
.empty{color:#868686}
`;

/** Renders the Teams cards with the Adaptive Cards SDK, and turns Slack button clicks into signed interactions. */
const SCRIPT = `
(function () {
  function md(text) {
    var s = text.replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;');
    var keep = [];
    s = s.replace(/\\\\([\\\\\`*_{}\\[\\]()#+\\-.!<>~|=]|&lt;|&gt;|&amp;)/g, function (_, c) { keep.push(c); return '\\u0000' + (keep.length - 1) + '\\u0000'; });
    s = s.replace(/\\*\\*([^*]+)\\*\\*/g, '<b>$1</b>').replace(/(^|\\s)_([^_]+)_(?=\\s|$)/g, '$1<i>$2</i>')
         .replace(/\\[([^\\]]+)\\]\\((https?:[^)\\s]+)\\)/g, '<a href="$2">$1</a>').replace(/\\n\\n/g, '<br>');
    return s.replace(/\\u0000(\\d+)\\u0000/g, function (_, i) { return keep[Number(i)]; });
  }
  if (window.AdaptiveCards) {
    AdaptiveCards.AdaptiveCard.onProcessMarkdown = function (text, result) { result.outputHtml = md(text); result.didProcess = true; };
    var host = new AdaptiveCards.HostConfig({
      fontFamily: "'Segoe UI', system-ui, sans-serif",
      spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 12 },
      fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
      fontWeights: { lighter: 200, default: 400, bolder: 700 },
      containerStyles: {
        default: { backgroundColor: '#FFFFFF', foregroundColors: { default: { default: '#242424', subtle: '#616161' }, accent: { default: '#5B5FC7', subtle: '#5B5FC7' } } },
        emphasis: { backgroundColor: '#F5F5F5', foregroundColors: { default: { default: '#242424', subtle: '#616161' } } }
      },
      actions: { maxActions: 6, buttonSpacing: 8, actionsOrientation: 'horizontal', actionAlignment: 'left' }
    });
    document.querySelectorAll('.card').forEach(function (el) {
      var card = new AdaptiveCards.AdaptiveCard();
      card.hostConfig = host;
      card.onExecuteAction = function (action) { if (action.url) window.open(action.url, '_blank'); };
      card.parse(JSON.parse(el.getAttribute('data-card')));
      el.appendChild(card.render());
    });
  }
  document.querySelectorAll('button[data-action]').forEach(function (b) {
    b.addEventListener('click', function () {
      fetch('/local/inbox/click', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: b.dataset.message, action: b.dataset.action, value: b.dataset.value, user: 'U0LOCAL' }) })
        .then(function () { location.reload(); });
    });
  });
})();
`;
