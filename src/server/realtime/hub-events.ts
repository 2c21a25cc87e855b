import type { ChatEvent } from '../../shared/wire';
import type { StoredReaction } from '../db/schema';
import { toNumber } from '../db/sql';
import { type ChangeRows, toEvents } from '../domain/chat';
import { storedReactions } from '../domain/mappers';
import type { MessageShapes } from './message-shapes';

/**
 * One change as every subscriber of a live gets it: built once, in the forms readers can see. A message held
 * for review is blank for viewers but readable by its author (mappers.ts `toMessage`), so it carries a third
 * form, `own`, for the one reader whose id is `ownerId`; every other event has neither.
 */
export type HubEvent = {
  version: number;
  staff: ChatEvent;
  viewer: ChatEvent;
  own?: ChatEvent | undefined;
  ownerId?: number | undefined;
  /**
   * The message's reactions with who gave them: the shared forms say `mine: false` everywhere, and a reader who
   * reacted gets a form of their own (event-stream.ts `formFor`), so the others still share one frame.
   */
  reactions?: { stored: StoredReaction[]; by: ReadonlySet<number> } | undefined;
  /**
   * Only the message's reactions changed since the hub last handed it out (message-shapes.ts): the change may
   * wait a moment to go out with the next ones (reaction-window.ts). Everything else goes out at once.
   */
  reactionsOnly?: boolean | undefined;
};

/**
 * The hub event of one change. Only a held message reads differently for its author than for other viewers
 * (its text; hidden and deleted text stays blank for them too), so only it gets an `own` form: built from the
 * viewer's form with the staff form's text, as `toMessage` would for `{ userId: author, staff: false }`.
 */
function withOwnForm(staff: ChatEvent, viewer: ChatEvent): HubEvent {
  const event: HubEvent = { version: staff.version, staff, viewer };
  if (viewer.type !== 'message' || staff.type !== 'message') return event;
  const { message } = viewer;
  if (!message.held || message.hidden || message.deleted) return event;
  event.own = { ...viewer, message: { ...message, content: staff.message.content } };
  event.ownerId = message.author.id;
  return event;
}

/** One read's rows as hub events, in version order; `shapes` (the live's) learns every message handed out. */
export function hubEventsOf(
  changes: Pick<ChangeRows, 'messages' | 'live'>,
  shapes: MessageShapes,
): HubEvent[] {
  const staff = toEvents(changes, { userId: null, staff: true });
  const viewer = toEvents(changes, { userId: null, staff: false });
  const reacted = new Map<number, StoredReaction[]>();
  const reactionsOnly = new Set<number>();
  for (const row of changes.messages) {
    const id = toNumber(row.id);
    const stored = storedReactions(row.reactions);
    if (stored.length > 0) reacted.set(id, stored);
    if (shapes.reactionsOnly(row)) reactionsOnly.add(id);
  }
  return staff.map((event, i): HubEvent => {
    const formed = withOwnForm(event, viewer[i]!);
    if (event.type !== 'message') return formed;
    const stored = reacted.get(event.message.id);
    if (stored)
      formed.reactions = { stored, by: new Set(stored.flatMap((reaction) => reaction.u.map(Number))) };
    if (reactionsOnly.has(event.message.id)) formed.reactionsOnly = true;
    return formed;
  });
}
