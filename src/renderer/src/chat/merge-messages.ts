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
  // At 50 messages/s into 10,000, rebuilding a client_id index per batch would dominate the frame: the index
  // of the list being replaced is handed over to the new list when the batch only appended or replaced.
  const index = indexOf(current);
  indexes.delete(current);

  const next = current.slice();
  const added = new Map<string, CachedMessage>();
  for (const message of changed) {
    const at = index.get(message.client_id);
    if (at !== undefined) next[at] = message;
    else added.set(message.client_id, message);
  }
  let indexStillValid = true;
  for (const message of [...added.values()].sort(compareMessages)) {
    const last = next[next.length - 1];
    if (!last || compareMessages(last, message) <= 0) {
      index.set(message.client_id, next.length);
      next.push(message);
    } else {
      insertInOrder(next, message);
      indexStillValid = false;
    }
  }
  if (indexStillValid) indexes.set(next, index);
  return next;
}

const indexes = new WeakMap<readonly CachedMessage[], Map<string, number>>();

function indexOf(list: readonly CachedMessage[]): Map<string, number> {
  const known = indexes.get(list);
  if (known) return known;
  const built = new Map<string, number>();
  for (let i = 0; i < list.length; i++) built.set(list[i]!.client_id, i);
  return built;
}

/** Discarded rejected messages disappear from the pane. */
export function withoutMessage(current: readonly CachedMessage[], clientId: string): CachedMessage[] {
  return current.filter((message) => message.client_id !== clientId);
}

function compareMessages(a: CachedMessage, b: CachedMessage): number {
  return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0;
}

function insertInOrder(list: CachedMessage[], message: CachedMessage) {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareMessages(list[mid]!, message) <= 0) low = mid + 1;
    else high = mid;
  }
  list.splice(low, 0, message);
}

/** The pane keeps at most this many messages in memory; older ones stay in the host's cache (scroll up). */
export const PANE_MAX_MESSAGES = 10_000;
/** Trimmed by this many at once, so a busy live does not shift the list on every single message. */
const TRIM_STEP = 1_000;

/** Keeps a long live's memory flat: past the cap, the oldest messages leave the pane (not the cache). */
export function capMessages(
  list: CachedMessage[],
  max = PANE_MAX_MESSAGES,
): { list: CachedMessage[]; trimmed: boolean } {
  if (list.length <= max + TRIM_STEP) return { list, trimmed: false };
  return { list: list.slice(list.length - max), trimmed: true };
}
