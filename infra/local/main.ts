import './quiet-env.ts';
import { loadConfigOrExit } from '../../shared/config/load.ts';
import { POLLERS, SOURCES } from '../../shared/platforms/index.ts';
import { startLocalStack } from './local-stack.ts';

/** `npm start`: the whole product on 127.0.0.1, no AWS account, no Docker. */
async function main() {
  const config = loadConfigOrExit();
  const unsupported = config.sources.filter((s) => !SOURCES[s.type] && !POLLERS[s.type]);
  if (unsupported.length) {
    console.error(
      `Sources of an unsupported type: ${unsupported.map((s) => `${s.id} (${s.type})`).join(', ')}`,
    );
    process.exit(1);
  }

  const dataDir = process.env.DATA_DIR ?? '.data';
  const stack = await startLocalStack({
    config,
    port: Number(process.env.PORT ?? 3000),
    dataDir,
    schedules: true,
    print: (line) => console.log(line),
  });
  console.log(`community-autopilot is running on ${stack.url}
  webhooks:      POST ${stack.url}/webhooks/<source>   (sources: ${config.sources
    .filter((s) => SOURCES[s.type])
    .map((s) => s.id)
    .join(', ')})
  polled:        ${
    config.sources
      .filter((s) => POLLERS[s.type])
      .map((s) => s.id)
      .join(', ') || 'none'
  } — not polled locally (no network); see \`npm run poll\`
  read API:      GET  ${stack.url}/communities, /members/top?community=…&days=7, /threads/open?community=…
  KPIs:          GET  ${stack.url}/kpis?community=${config.communities[0]?.id}&from=YYYY-MM-DD&to=YYYY-MM-DD
  digest:        npm run digest
  data:          ${dataDir} (DynamoDB Local files, notifications.jsonl)
  dev secrets:   dev-secret-<source id>
  queue:         durable, in DynamoDB Local (an acknowledged comment survives kill -9)
Press Ctrl+C to stop.`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  // npm and tsx start this process through wrappers; if one of them is killed outright, stop too
  // rather than keep the port and the data dir. (DynamoDB Local dies with this process on its own.)
  const parent = process.ppid;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') return;
      console.log('\nthe parent process is gone;');
      void shutdown();
    }
  }, 1000).unref();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
