import type { ServerProtocol } from '../../shared/protocol';
import type { Actor, DomainEnv } from '../domain/env';
import { authenticate } from '../domain/users';
import type { ChatHub } from '../realtime/hub';

/** What the server builds once at start and every request shares; `protocol` is what it announces. */
export type ChatServices = { env: DomainEnv; hub: ChatHub; protocol: ServerProtocol };

/**
 * A request's context, whatever the transport (HTTP, WebSocket, or a direct `createCaller` in tests): the
 * services, the bearer token it came with and the user behind it.
 */
export type ChatContext = ChatServices & { token: string | null; actor: Actor | null };

export async function createChatContext(services: ChatServices, token: string | null): Promise<ChatContext> {
  const actor = token ? await authenticate(services.env, token) : null;
  return { env: services.env, hub: services.hub, protocol: services.protocol, token, actor };
}
