import { toNumber } from '../db/sql';
import type { MessageRow } from '../domain/mappers';

/** Messages of one live whose shape the hub remembers: a reaction on an older one just is not held back. */
const REMEMBERED = 1_024;

/**
 * Tells the hub whether a message's change touched only its reactions. A notice says only "this live changed"
 * and the row comes back whole, so the hub remembers, per message it has handed out, what a reaction cannot
 * change: the text and the hidden/deleted/held marks (author, type and reply never change). A row equal to the
 * last one in all of these is a reactions-only change. A message not remembered (new, or older than the last
 * REMEMBERED) counts as changed: when unsure, the change goes out at once. A hide undone before the hub read
 * either looks reactions-only, which is right: what a reader sees of the message did not change.
 */
export class MessageShapes {
  private readonly shapes = new Map<number, string>();

  /** Remembers the row's shape and says whether it equals the previous one's. Rows in version order. */
  reactionsOnly(row: MessageRow): boolean {
    const id = toNumber(row.id);
    const shape = `${row.hidden ? 1 : 0}${row.deleted ? 1 : 0}${row.held ? 1 : 0}${row.content}`;
    const before = this.shapes.get(id);
    // Deleted and set again: the Map's order is then least recently handed out first, the one forgotten.
    this.shapes.delete(id);
    this.shapes.set(id, shape);
    if (this.shapes.size > REMEMBERED) this.shapes.delete(this.shapes.keys().next().value!);
    return before === shape;
  }
}
