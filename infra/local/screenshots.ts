import './quiet-env.ts';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfigFile } from '../../shared/config/load.ts';
import { signGenericRequest } from '../../shared/platforms/generic.ts';
import { startLocalStack } from './local-stack.ts';

/**
 * `npm run screenshots`: the README's pictures of the chat renderings. Starts the local stack in
 * memory, sends three comments as the generic source (a French complaint that trips the safety
 * rule, an English question, an insult), waits for the outbox, then photographs the local inbox
 * in headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH), before and after a click
 * on *Marquer comme traité*. Writes docs/images/chat-*.png.
 */
const OUT = 'docs/images';

async function main() {
  const config = loadConfigFile();
  const stack = await startLocalStack({ config, port: 0 });
  try {
    const now = Date.now();
    const comments = [
      {
        id: 'shot-1',
        author: { id: 'claire.d', name: 'Claire Dubois' },
        text: 'Ma batterie ne tient plus la charge depuis la mise à jour & le vélo s’arrête en pleine côte. C’est inadmissible, que comptez-vous faire ?',
        createdAt: new Date(now - 12 * 60_000).toISOString(),
        url: 'https://community.velo-lumiere.example/t/shot-1',
      },
      {
        id: 'shot-2',
        author: { id: 'sam.k', name: 'Sam K.' },
        text: 'Is there a way to lock the motor from the app when I park? 🔒🚲',
        createdAt: new Date(now - 8 * 60_000).toISOString(),
        url: 'https://community.velo-lumiere.example/t/shot-2',
      },
      {
        id: 'shot-3',
        author: { id: 'troll42', name: 'troll42' },
        text: 'Ta gueule, personne ne te demande ton avis, connard.',
        createdAt: new Date(now - 5 * 60_000).toISOString(),
        url: 'https://community.velo-lumiere.example/t/shot-3',
      },
    ].map((c) => ({ ...c, threadId: c.id }));
    const body = JSON.stringify({ comments });
    const answer = await fetch(`${stack.url}/webhooks/generic`, {
      method: 'POST',
      body,
      headers: signGenericRequest('dev-secret-generic', body),
    });
    if (answer.status !== 202) throw new Error(`the local stack answered ${answer.status}`);
    await stack.idle();

    await mkdir(OUT, { recursive: true });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1680, height: 1050 }, deviceScaleFactor: 1 });
      await page.goto(`${stack.url}/local/inbox`);
      await page.waitForSelector('.card .ac-adaptiveCard');
      const first = (column: string) => page.locator(`#${column} article.msg`).first();
      const complaint = (column: string) =>
        page.locator(`#${column} article.msg`, { hasText: 'Claire Dubois' }).first();
      await complaint('slack').screenshot({ path: join(OUT, 'chat-slack.png') });
      await complaint('teams').screenshot({ path: join(OUT, 'chat-teams.png') });
      await first('chatbot').screenshot({ path: join(OUT, 'chat-chatbot.png') });
      await page.screenshot({ path: join(OUT, 'chat-inbox.png') });
      await complaint('slack').locator('button', { hasText: 'Marquer comme traité' }).click();
      await page.waitForLoadState('load');
      await page.waitForSelector('#slack .s-context >> text=Marqué comme traité');
      await complaint('slack').screenshot({ path: join(OUT, 'chat-slack-handled.png') });
    } finally {
      await browser.close();
    }
    console.log(`screenshots written to ${OUT}/chat-*.png`);
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
