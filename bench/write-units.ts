/**
 * Write capacity units as DynamoDB bills them, worked out from the exact requests a store sends:
 * DynamoDB Local answers ReturnConsumedCapacity, but its figures for transactions are far too low
 * (2 units for a 39-item transaction), so the bench meters the requests itself.
 * Rules (DynamoDB developer guide, "Item sizes" and "Capacity for transactions"): a write costs one
 * unit per started KB of the item (the larger of before and after, for updates), and a
 * transactional write twice that. Every write is counted: transactions, single Put, Update and
 * Delete, batch writes, and writes whose condition fails (DynamoDB bills those too).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

function numberSize(n: number): number {
  const digits = String(Math.abs(n))
    .replace(/[.e+-]/g, '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.min(21, Math.ceil(Math.max(1, digits.length) / 2) + 1);
}

export function attributeSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return numberSize(value);
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + attributeSize(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + attributeSize(v), 0);
  if (typeof value === 'object') {
    return (
      3 +
      Object.entries(value as Item).reduce(
        (sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + attributeSize(v),
        0,
      )
    );
  }
  return 0;
}

export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + attributeSize(v), 0);
}

const units = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/** Wraps a document client so every write it sends is metered; returns the running total. */
export function meterWrites(doc: DynamoDBDocumentClient): { total: () => number; reset: () => void } {
  const items = new Map<string, Item>(); // what this process wrote, to size updates and deletes
  const id = (key: Item) => `${key.pk}|${key.sk}`;
  let total = 0;
  const original = doc.send.bind(doc) as (command: unknown) => Promise<unknown>;
  const writeCost = (op: Item): number => {
    if (op.Put) {
      const put = op.Put as { Item: Item };
      items.set(id(put.Item), put.Item);
      return units(itemSize(put.Item));
    }
    if (op.Delete) {
      const key = (op.Delete as { Key: Item }).Key;
      const before = items.get(id(key)) ?? key;
      items.delete(id(key));
      return units(itemSize(before));
    }
    if (op.Update) {
      const update = op.Update as {
        Key: Item;
        UpdateExpression: string;
        ExpressionAttributeNames?: Record<string, string>;
        ExpressionAttributeValues?: Item;
      };
      const before = items.get(id(update.Key)) ?? { ...update.Key };
      const after: Item = { ...before };
      // The store's updates are `SET a = :x, … ADD #n :v, …` and `ADD set :s` / `SET flag = :yes`.
      for (const [, name, value] of update.UpdateExpression.matchAll(/(#?\w+)\s*=?\s*(:\w+)/g)) {
        const attribute = update.ExpressionAttributeNames?.[name as string] ?? (name as string);
        const v = update.ExpressionAttributeValues?.[value as string];
        after[attribute] =
          typeof v === 'number' && typeof after[attribute] === 'number'
            ? (after[attribute] as number) + v
            : v;
      }
      items.set(id(update.Key), after);
      return units(Math.max(itemSize(before), itemSize(after)));
    }
    return 0;
  };
  const cost = (input: Item): number => {
    if (Array.isArray(input.TransactItems)) {
      // A ConditionCheck is billed too; this store sends none, so it is counted as a write of its key.
      return (input.TransactItems as Item[]).reduce(
        (sum, op) =>
          sum +
          2 * (op.ConditionCheck ? units(itemSize((op.ConditionCheck as { Key: Item }).Key)) : writeCost(op)),
        0,
      );
    }
    if (input.RequestItems && Array.isArray(Object.values(input.RequestItems as Item)[0])) {
      // BatchWriteItem: each request is an ordinary write.
      return Object.values(input.RequestItems as Record<string, Item[]>)
        .flat()
        .reduce(
          (sum, request) =>
            sum +
            writeCost(
              request.PutRequest ? { Put: request.PutRequest } : { Delete: request.DeleteRequest as Item },
            ),
          0,
        );
    }
    if (input.Item) return writeCost({ Put: input });
    if (input.Key && input.UpdateExpression) return writeCost({ Update: input });
    return 0;
  };
  doc.send = (async (command: { input: Item; constructor: { name: string } }) => {
    // A write whose condition fails is billed all the same: count it before it is sent.
    total +=
      command.constructor.name === 'DeleteCommand'
        ? writeCost({ Delete: command.input })
        : cost(command.input);
    return original(command);
  }) as typeof doc.send;
  return { total: () => total, reset: () => (total = 0) };
}
