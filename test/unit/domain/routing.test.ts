import { describe, expect, it } from 'vitest';
import type { Classification } from '../../../shared/domain/classification.ts';
import { foldText, routeComment } from '../../../shared/domain/routing.ts';
import { commentEvent, KeywordClassifier, testConfig } from '../../support/builders.ts';

const config = testConfig();
const classifier = new KeywordClassifier();

async function routesOf(text: string, author = 'member-1') {
  const event = commentEvent({ text, author });
  const [classification] = await classifier.classify([{ text }]);
  return routeComment(event.comment, classification as Classification, config.routing);
}

describe('routing', () => {
  it('sends a question to support at normal priority', async () => {
    expect(await routesOf('Quel est le prix ?')).toEqual([
      { team: 'support', priority: 'normal', rule: 'questions' },
    ]);
  });

  it('notifies a team once, at the highest priority of its matching rules', async () => {
    // "batterie" → urgent rule, "?" → question rule: both name support.
    expect(await routesOf('La BATTERIE chauffe, normal ?')).toEqual([
      { team: 'support', priority: 'urgent', rule: 'urgent' },
    ]);
  });

  it('sends a comment with several intents to each team concerned', async () => {
    const teams = (await routesOf('Une idée ? le guidon est nul')).map((r) => r.team);
    expect(teams).toEqual(['support', 'product']);
  });

  it('stops at a final rule', async () => {
    expect(await routesOf('Espèce d’idiot, pourquoi ?')).toEqual([
      { team: 'moderation', priority: 'high', rule: 'toxic' },
    ]);
  });

  it('matches keywords without accents or case, as whole words', async () => {
    expect(foldText('Fumée BATTERIE')).toBe('fumee batterie');
    expect(await routesOf('batteries')).toEqual([]);
  });

  it('never routes a brand account reply', async () => {
    expect(await routesOf('Une question ?', 'brand-1')).toEqual([]);
  });
});
