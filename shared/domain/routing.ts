import type { Priority, RoutingRule } from '../config/schema.ts';
import { PRIORITIES } from '../config/schema.ts';
import type { KeptClassification } from './classification.ts';
import type { Comment } from './comment.ts';

export interface Route {
  team: string;
  priority: Priority;
  /** The rule that chose this team (the first matching rule naming it). */
  rule: string;
}

/** Lower-case, accents stripped, so "Fumée" matches "fumee" and "fumée". */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

function containsKeyword(foldedText: string, keyword: string): boolean {
  const folded = foldText(keyword).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}])${folded}($|[^\\p{L}\\p{N}])`, 'u').test(foldedText);
}

export function ruleMatches(
  rule: RoutingRule,
  comment: Comment,
  classification: KeptClassification,
): boolean {
  const w = rule.when;
  if (w.community && !w.community.includes(comment.community)) return false;
  if (w.intent && !w.intent.some((intent) => classification.intents.includes(intent))) return false;
  if (w.sentiment && !w.sentiment.includes(classification.sentiment.label)) return false;
  if (w.language && !w.language.includes(classification.language)) return false;
  if (w.platform && !w.platform.includes(comment.platform)) return false;
  if (w.toxic !== undefined && w.toxic !== classification.toxic.flag) return false;
  if (w.spam !== undefined && w.spam !== classification.spam.flag) return false;
  if (w.keywords) {
    const text = foldText(comment.text);
    if (!w.keywords.some((k) => containsKeyword(text, k))) return false;
  }
  return true;
}

/**
 * The teams a member's comment goes to. Brand accounts' comments are the brand's own answers and
 * are never routed. Each team is notified once, at the highest priority among its matching rules.
 */
export function routeComment(
  comment: Comment,
  classification: KeptClassification,
  rules: readonly RoutingRule[],
): Route[] {
  if (comment.author.isBrand || comment.author.isAutomated) return [];
  const byTeam = new Map<string, Route>();
  for (const rule of rules) {
    if (!ruleMatches(rule, comment, classification)) continue;
    const existing = byTeam.get(rule.team);
    if (!existing) {
      byTeam.set(rule.team, { team: rule.team, priority: rule.priority, rule: rule.name });
    } else if (PRIORITIES.indexOf(rule.priority) > PRIORITIES.indexOf(existing.priority)) {
      existing.priority = rule.priority;
    }
    if (rule.final) break;
  }
  return [...byTeam.values()];
}
