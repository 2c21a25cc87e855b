import type { CachedMessage } from '../../../shared/wire';

/**
 * Folds changed rows from `chat.onChange` into the list shown (oldest → newest). A row already shown is
 * replaced where it is (pending → sent keeps its place, no jump); new rows are inserted in time order, which
 * for a live chat is almost always "append". Returns the same array when nothing changed, so React skips work.
 */
export function mergeMessages(
  current: readonly CachedMessage[],
  changed: readonly CachedMessage[],
): CachedMessage[] {
  if (changed.length === 0) return current as CachedMessage[];
  const indexById = new Map<string, number>();
  for (let i = 0; i < current.length; i++) indexById.set(current[i]!.client_id, i);

  const next = current.slice();
  const added: CachedMessage[] = [];
  for (const message of changed) {
    const at = indexById.get(message.client_id);
    if (at !== undefined) next[at] = message;
    else {
      indexById.set(message.client_id, -1);
      added.push(message);
    }
  }
  for (const message of added.sort(compareMessages)) insertInOrder(next, message);
  return next;
}

/** Discarded rejected messages disappear from the pane. */
export function withoutMessage(current: readonly CachedMessage[], clientId: string): CachedMessage[] {
  return current.filter((message) => message.client_id !== clientId);
}

function compareMessages(a: CachedMessage, b: CachedMessage): number {
  return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0;
}

function insertInOrder(list: CachedMessage[], message: CachedMessage) {
  // Fast path: newer than the last one (a live chat appends).
  const last = list[list.length - 1];
  if (!last || compareMessages(last, message) <= 0) {
    list.push(message);
    return;
  }
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareMessages(list[mid]!, message) <= 0) low = mid + 1;
    else high = mid;
  }
  list.splice(low, 0, message);
}
