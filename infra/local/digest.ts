import './quiet-env.ts';
import { loadConfigFile } from '../../shared/config/load.ts';

/**
 * `npm run digest [-- --daily|--weekly] [--date YYYY-MM-DD] [--community <id>]`: asks the running
 * local stack to send the daily (default: yesterday) or weekly (default: last week) digest now, and
 * prints it.
 */
async function main() {
  const config = loadConfigFile();
  const flag = process.argv.indexOf('--community');
  const community = flag >= 0 ? process.argv[flag + 1] : config.communities[0]?.id;
  const base = `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  const kind = process.argv.includes('--weekly') ? 'weekly' : 'daily';
  const dateFlag = process.argv.indexOf('--date');
  const date = dateFlag >= 0 ? `&date=${encodeURIComponent(process.argv[dateFlag + 1] ?? '')}` : '';
  let response: Response;
  try {
    response = await fetch(
      `${base}/local/digest?community=${encodeURIComponent(community ?? '')}&kind=${kind}${date}`,
      {
        method: 'POST',
      },
    );
  } catch {
    throw new Error(
      `nothing answers on ${base}: start the local stack first with \`npm start\` (if it runs on another port, set PORT here too)`,
    );
  }
  const outcome = (await response.json()) as {
    sent?: boolean;
    notification?: { subject: string; text: string };
    message?: string;
  };
  if (!response.ok || !outcome.notification)
    throw new Error(`digest failed (${response.status}): ${JSON.stringify(outcome)}`);
  console.log(`Sent to the community team: ${outcome.notification.subject}\n\n${outcome.notification.text}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
