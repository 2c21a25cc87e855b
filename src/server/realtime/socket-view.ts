import { EventEmitter } from 'node:events';
import type { RawData, WebSocket } from 'ws';

/**
 * The socket as tRPC's WebSocket connection handler sees it: the real socket for sending, closing and its
 * close/error events, but only the messages ws-handler.ts passes on (everything except the chat.events
 * subscriptions it serves itself). tRPC's handler uses no more of the socket than this: `send`, `close`,
 * `terminate` (keep-alive), `readyState`, and the `message`, `error` and `close` events.
 */
export class TrpcSocketView extends EventEmitter {
  constructor(private readonly socket: WebSocket) {
    super();
    socket.on('error', (error) => this.emit('error', error));
    socket.once('close', (code, reason) => this.emit('close', code, reason));
  }

  get readyState() {
    return this.socket.readyState;
  }

  send(data: string | Buffer) {
    this.socket.send(data);
  }

  close(code?: number, reason?: string) {
    this.socket.close(code, reason);
  }

  terminate() {
    this.socket.terminate();
  }

  /** A message from the client for tRPC to handle. */
  pass(data: RawData, isBinary: boolean) {
    this.emit('message', data, isBinary);
  }

  /** Typed as what tRPC's handler asks for; it touches only the members above. */
  asWebSocket(): WebSocket {
    return this as unknown as WebSocket;
  }
}
