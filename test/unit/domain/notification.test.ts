import { describe, expect, it } from 'vitest';
import {
  type CommentRoutedMessage,
  commentRoutedNotification,
  NotificationMessage,
  subjectLine,
} from '../../../shared/domain/notification.ts';
import { commentEvent } from '../../support/builders.ts';

function message(text: string): CommentRoutedMessage {
  return {
    schema: 'community-autopilot/notification',
    version: 1,
    kind: 'comment.routed',
    id: 'generic:c1#support',
    community: 'velo',
    team: 'support',
    priority: 'high',
    publishedAt: '2026-11-20T10:00:00.000Z',
    rule: 'complaints',
    comment: { ...commentEvent({ id: 'c1', text }).comment },
    classification: {
      intent: 'complaint',
      intents: ['complaint', 'question'],
      sentiment: 'negative',
      language: 'fr',
      toxic: false,
      toxicLabels: [],
      spam: false,
      spamReasons: [],
    },
  };
}

describe('notifications', () => {
  it('gives a one-line subject under 100 characters, however long and multi-line the comment', () => {
    const n = commentRoutedNotification(message(`Ligne un\nligne deux ${'très '.repeat(60)}`), 'fr');
    expect(n.subject).toMatch(/^\[high\] Réclamation sur generic — “Ligne un ligne deux très/);
    expect([...n.subject].length).toBeLessThan(100);
    expect(n.subject).not.toMatch(/[\n\r]/);
  });

  it('renders plain text for e-mail with the facts first and no empty filler lines', () => {
    const n = commentRoutedNotification(message('Pourquoi ma commande est-elle en retard ?'), 'en');
    expect(n.text.split('\n')[0]).toBe(n.subject);
    expect(n.text).toContain('Intent: complaint, question · Sentiment: negative · Language: fr');
    expect(n.text).not.toMatch(/\n\n\n/);
    expect(n.text).not.toContain('Toxic:');
    expect(n.text.endsWith('Routed to support by rule "complaints".')).toBe(true);
  });

  it('carries filterable attributes and a message that parses against the contract', () => {
    const n = commentRoutedNotification(message('Où est ma facture ?'), 'fr');
    expect(n.attributes).toMatchObject({
      schema: 'community-autopilot/notification@1',
      team: 'support',
      intent: 'complaint',
    });
    expect(Object.keys(n.attributes).length).toBeLessThanOrEqual(10); // SNS → SQS carries at most 10
    expect(NotificationMessage.parse(n.message).id).toBe('generic:c1#support');
  });

  it('cuts a subject at 99 characters with an ellipsis', () => {
    expect([...subjectLine('x'.repeat(150))].length).toBe(99);
  });
});
