import {
  BatchDetectDominantLanguageCommand,
  BatchDetectSentimentCommand,
  ComprehendClient,
  DetectToxicContentCommand,
  TooManyRequestsException,
  UnsupportedLanguageException,
} from '@aws-sdk/client-comprehend';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ComprehendAdapter } from '../../../shared/adapters/comprehend.ts';
import {
  byteLength,
  createComprehendEngine,
  type RefineRequest,
  truncateBytes,
} from '../../../shared/classify/comprehend-engine.ts';
import { classifyLocally } from '../../../shared/classify/local-engine.ts';

const comprehend = mockClient(ComprehendClient);

function request(text: string, fields: RefineRequest['fields'], lang?: string): RefineRequest {
  return { text, local: classifyLocally({ text, ...(lang ? { lang } : {}) }), fields };
}

function engine() {
  const api = new ComprehendAdapter({ region: 'eu-west-1', maxAttempts: 1 });
  return createComprehendEngine({ api });
}

describe('Comprehend engine', () => {
  beforeEach(() => comprehend.reset());
  afterEach(() => comprehend.reset());

  it('takes the sentiment from Comprehend and says so', async () => {
    comprehend.on(BatchDetectSentimentCommand).resolves({
      ResultList: [
        {
          Index: 0,
          Sentiment: 'NEGATIVE',
          SentimentScore: { Positive: 0.01, Negative: 0.95, Neutral: 0.03, Mixed: 0.01 },
        },
      ],
      ErrorList: [],
    });

    const { results, units } = await engine().refine([
      request('The parcel came two weeks late and the box was crushed.', { sentiment: true }, 'en'),
    ]);

    expect(results[0]?.sentiment.label).toBe('negative');
    expect(results[0]?.engine.sentiment).toBe('comprehend');
    expect(results[0]?.confidence.sentiment).toBe(0.95);
    expect(units.sentiment).toBe(3);
  });

  it('groups sentiment calls by language, 25 documents at most per call', async () => {
    comprehend.on(BatchDetectSentimentCommand).callsFake((input: { TextList: string[] }) => ({
      ResultList: input.TextList.map((_, i) => ({
        Index: i,
        Sentiment: 'POSITIVE',
        SentimentScore: { Positive: 0.9, Negative: 0, Neutral: 0.1, Mixed: 0 },
      })),
      ErrorList: [],
    }));
    const english = Array.from({ length: 30 }, (_, i) =>
      request(`Great support, thank you number ${i}`, { sentiment: true }, 'en'),
    );
    const french = Array.from({ length: 3 }, (_, i) =>
      request(`Super service, merci ${i}`, { sentiment: true }, 'fr'),
    );

    const { results } = await engine().refine([...english, ...french]);

    const calls = comprehend.commandCalls(BatchDetectSentimentCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => [c.LanguageCode, c.TextList?.length])).toEqual([
      ['en', 25],
      ['en', 5],
      ['fr', 3],
    ]);
    expect(results.every((r) => r.engine.sentiment === 'comprehend')).toBe(true);
  });

  it('sends only the first 500 characters for sentiment', async () => {
    comprehend.on(BatchDetectSentimentCommand).resolves({ ResultList: [], ErrorList: [] });
    const long = `${'très long message '.repeat(60)}fin`;

    await engine().refine([request(long, { sentiment: true }, 'fr')]);

    const sent = comprehend.commandCalls(BatchDetectSentimentCommand)[0]?.args[0].input.TextList?.[0] ?? '';
    expect([...sent].length).toBe(500);
  });

  it('keeps the local answer, marked local-fallback, for documents in the ErrorList', async () => {
    comprehend.on(BatchDetectSentimentCommand).resolves({
      ResultList: [
        {
          Index: 1,
          Sentiment: 'POSITIVE',
          SentimentScore: { Positive: 0.9, Negative: 0, Neutral: 0.1, Mixed: 0 },
        },
      ],
      ErrorList: [{ Index: 0, ErrorCode: 'INTERNAL_SERVER_ERROR', ErrorMessage: 'try again' }],
    });
    const broken = request('I am so disappointed, the app crashes every time.', { sentiment: true }, 'en');

    const { results, units } = await engine().refine([
      broken,
      request('Thanks, all good now!', { sentiment: true }, 'en'),
    ]);

    expect(results[0]?.engine.sentiment).toBe('local-fallback');
    expect(results[0]?.sentiment).toEqual(broken.local.sentiment);
    expect(results[1]?.engine.sentiment).toBe('comprehend');
    expect(units.fallbacks).toBe(1);
  });

  it('falls back to the local answer for every field of a throttled call', async () => {
    comprehend
      .on(BatchDetectSentimentCommand)
      .rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    comprehend
      .on(DetectToxicContentCommand)
      .rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    const req = request('You are all idiots and this shop is a scam', { sentiment: true, toxic: true }, 'en');

    const { results } = await engine().refine([req]);

    expect(results[0]?.engine.sentiment).toBe('local-fallback');
    expect(results[0]?.engine.toxic).toBe('local-fallback');
    expect(results[0]?.toxic).toEqual(req.local.toxic);
  });

  it('falls back when Comprehend refuses the language', async () => {
    comprehend
      .on(BatchDetectSentimentCommand)
      .rejects(new UnsupportedLanguageException({ message: 'unsupported', $metadata: {} }));

    const { results } = await engine().refine([
      request('Das Paket ist immer noch nicht da.', { sentiment: true }, 'de'),
    ]);

    expect(results[0]?.engine.sentiment).toBe('local-fallback');
  });

  it('does not call Comprehend for a language it does not take for sentiment', async () => {
    const { results, units } = await engine().refine([
      request('Pakket is nog steeds niet aangekomen', { sentiment: true }, 'nl'),
    ]);

    expect(comprehend.commandCalls(BatchDetectSentimentCommand)).toHaveLength(0);
    expect(results[0]?.engine.sentiment).toBe('local');
    expect(units.total).toBe(0);
  });

  it('asks toxicity for English only, 10 segments per call', async () => {
    comprehend.on(DetectToxicContentCommand).callsFake((input: { TextSegments: unknown[] }) => ({
      ResultList: input.TextSegments.map(() => ({
        Toxicity: 0.91,
        Labels: [{ Name: 'INSULT', Score: 0.88 }],
      })),
    }));
    const english = Array.from({ length: 12 }, (_, i) =>
      request(`you absolute clown ${i}`, { toxic: true }, 'en'),
    );
    const french = request('espèce de clown', { toxic: true }, 'fr');

    const { results } = await engine().refine([...english, french]);

    const sizes = comprehend
      .commandCalls(DetectToxicContentCommand)
      .map((c) => c.args[0].input.TextSegments?.length);
    expect(sizes).toEqual([10, 2]);
    expect(results[0]?.toxic).toEqual({ flag: true, labels: ['insult'], score: 0.91 });
    expect(results[12]?.engine.toxic).toBe('local');
  });

  it('uses the dominant language only when Comprehend is sure enough', async () => {
    comprehend.on(BatchDetectDominantLanguageCommand).resolves({
      ResultList: [
        { Index: 0, Languages: [{ LanguageCode: 'it', Score: 0.97 }] },
        { Index: 1, Languages: [{ LanguageCode: 'es', Score: 0.3 }] },
      ],
      ErrorList: [],
    });

    const { results } = await engine().refine([
      request('ciao ragazzi', { language: true }),
      request('ok ok', { language: true }),
    ]);

    expect(results[0]?.language).toBe('it');
    expect(results[0]?.engine.language).toBe('comprehend');
    expect(results[1]?.engine.language).toBe('local');
  });

  it('never splits a character when cutting to a byte limit', () => {
    const cut = truncateBytes('é'.repeat(10), 5);

    expect(cut).toBe('éé');
    expect(byteLength(cut)).toBeLessThanOrEqual(5);
  });

  it('counts at least 3 units per document and one per 100 characters beyond', async () => {
    comprehend.on(DetectToxicContentCommand).resolves({
      ResultList: [
        { Toxicity: 0.1, Labels: [] },
        { Toxicity: 0.1, Labels: [] },
      ],
    });

    const { units } = await engine().refine([
      request('short one', { toxic: true }, 'en'),
      request('a'.repeat(450), { toxic: true }, 'en'),
    ]);

    expect(units.toxicity).toBe(3 + 5);
    expect(units.calls).toBe(1);
  });
});
