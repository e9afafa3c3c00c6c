/**
 * Write capacity units as DynamoDB bills them, worked out from the exact requests a store sends:
 * DynamoDB Local answers ReturnConsumedCapacity, but its figures for transactions are far too low
 * (2 units for a 39-item transaction), so the bench meters the requests itself.
 * Rules (DynamoDB developer guide, "Item sizes" and "Capacity for transactions"): a write costs one
 * unit per started KB of the item (the larger of before and after, for updates), and a
 * transactional write twice that. Every write is counted: transactions, single Put, Update and
 * Delete, batch writes, and writes whose condition fails (DynamoDB bills those too).
 */
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

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

/**
 * Meters every write sent through `client` (and so through every document client made from it,
 * which shares its middleware): returns the running total.
 */
export function meterWrites(client: DynamoDBClient): { total: () => number; reset: () => void } {
  const items = new Map<string, Item>(); // what this process wrote, to size updates and deletes
  const id = (key: Item) => `${key.pk}|${key.sk}`;
  let total = 0;
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
  /** An operation of the low-level API (attribute values typed), read as the document client wrote it. */
  const plain = (op: Item): Item => {
    const out: Item = { ...op };
    for (const field of ['Item', 'Key', 'ExpressionAttributeValues'])
      if (op[field]) out[field] = unmarshall(op[field] as Record<string, AttributeValue>);
    return out;
  };
  const cost = (command: string, input: Item): number => {
    switch (command) {
      case 'TransactWriteItemsCommand':
        // A ConditionCheck is billed too; this store sends none: it would be counted as a write of its key.
        return (input.TransactItems as Item[]).reduce((sum, op) => {
          const [kind, body] = Object.entries(op)[0] as [string, Item];
          const write =
            kind === 'ConditionCheck' ? { Put: { Item: plain(body).Key } } : { [kind]: plain(body) };
          return sum + 2 * writeCost(write);
        }, 0);
      case 'BatchWriteItemCommand':
        return Object.values(input.RequestItems as Record<string, Item[]>)
          .flat()
          .reduce(
            (sum, request) =>
              sum +
              writeCost(
                request.PutRequest
                  ? { Put: plain(request.PutRequest as Item) }
                  : { Delete: plain(request.DeleteRequest as Item) },
              ),
            0,
          );
      case 'PutItemCommand':
        return writeCost({ Put: plain(input) });
      case 'UpdateItemCommand':
        return writeCost({ Update: plain(input) });
      case 'DeleteItemCommand':
        return writeCost({ Delete: plain(input) });
      default:
        return 0;
    }
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      // A write whose condition fails is billed all the same: counted before it is sent.
      total += cost(context.commandName ?? '', args.input as Item);
      return next(args);
    },
    { step: 'build', name: 'meterWrites' },
  );
  return { total: () => total, reset: () => (total = 0) };
}
