/**
 * `npm run classify -- <file.jsonl>` (or `-` / no argument for stdin): one JSON line in, one JSON
 * line out, in order. A bad line gets an error line; the run goes on.
 */
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Classification, ClassifyInput } from '../domain/classification.ts';
import { classifyLocally } from './local-engine.ts';

export type OutputLine =
  | ({ id: string | null; line: number } & Pick<Classification, 'intent' | 'intents' | 'language'> & {
        sentiment: Classification['sentiment']['label'];
        toxic: boolean;
        spam: boolean;
        detail: Omit<Classification, 'intent' | 'intents' | 'language'>;
      })
  | { id: string | null; line: number; error: string };

/** Turns one input line into one output line; never throws. */
export function classifyLine(
  raw: string,
  line: number,
  classify: (input: ClassifyInput) => Classification = classifyLocally,
): OutputLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { id: null, line, error: 'not valid JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { id: null, line, error: 'expected a JSON object with a "text" field' };
  }
  const obj = parsed as Record<string, unknown>;
  const id = typeof obj.id === 'string' || typeof obj.id === 'number' ? String(obj.id) : null;
  if (typeof obj.text !== 'string') return { id, line, error: '"text" must be a string' };
  const lang = typeof obj.lang === 'string' && /^[a-z]{2}$/.test(obj.lang) ? obj.lang : undefined;
  try {
    const c = classify({ text: obj.text, ...(lang ? { lang } : {}), ...(id ? { id } : {}) });
    const { intent, intents, language, ...detail } = c;
    return {
      id,
      line,
      intent,
      intents,
      sentiment: c.sentiment.label,
      language,
      toxic: c.toxic.flag,
      spam: c.spam.flag,
      detail,
    };
  } catch (error) {
    return { id, line, error: `classification failed: ${(error as Error).message}` };
  }
}

async function main(): Promise<void> {
  const file = process.argv[2];
  const input: NodeJS.ReadableStream =
    !file || file === '-' ? process.stdin : createReadStream(resolve(file), 'utf8');
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const raw of rl) {
    line++;
    if (!raw.trim()) {
      process.stdout.write(`${JSON.stringify({ id: null, line, error: 'empty line' })}\n`);
      continue;
    }
    process.stdout.write(`${JSON.stringify(classifyLine(raw, line))}\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`cannot classify ${process.argv[2] ?? 'stdin'}: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
