import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CachedMessage, Live } from '../../../shared/wire';
import { Composer } from '../components/Composer';
import { LiveStatusPill } from '../components/LiveStatusPill';
import { MessageList } from '../components/MessageList';
import { displayName } from '../chat/initials';
import { useStudioStore } from '../stores';
import type { ReplyTarget } from '../stores/chat-ui';

const replyTargetOf = (message: CachedMessage): ReplyTarget => ({
  clientId: message.client_id,
  name: displayName(message.author),
});

export type StudioProps = {
  live: Live;
  messages: readonly CachedMessage[];
  selfId: number | null;
  /** The camera preview and recorder (src/renderer/src/recording), placed by the container. */
  preview: ReactNode;
  onStart(): Promise<unknown>;
  onEnd(): Promise<unknown>;
  onSend(content: string, replyTo?: string): Promise<unknown>;
  onReact(clientId: string, emoji: string): void;
  onRetry(clientId: string): void;
  onDiscard(clientId: string): void;
  onReachTop?: (() => void) | undefined;
  loadingOlder?: boolean;
};

/** The main screen: the preview and the live's controls on the left, the chat pane beside them. */
export function StudioScreen(props: StudioProps) {
  const { t } = useTranslation();
  const { live } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const visibleCount = props.messages.filter((message) => !message.deleted).length;
  const replyTo = useStudioStore((state) => state.replyTo);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="screen screen-studio" data-live-id={live.id}>
      <section className="stage" aria-labelledby="studio-title">
        <header className="stage-header">
          <div className="stage-title">
            <h1 id="studio-title">{live.title}</h1>
            <LiveStatusPill status={live.status} />
          </div>
          <div className="stage-actions">
            {live.status === 'scheduled' && (
              <button
                type="button"
                className="button button-live"
                disabled={busy}
                onClick={() => act(props.onStart)}
              >
                <span className="pill-dot" aria-hidden="true" />
                {t('studio.start')}
              </button>
            )}
            {live.status === 'live' && (
              <button
                type="button"
                className="button button-danger"
                disabled={busy}
                onClick={() => act(props.onEnd)}
              >
                {t('studio.end')}
              </button>
            )}
          </div>
        </header>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {live.description && <p className="stage-description">{live.description}</p>}
        <div className="stage-preview">{props.preview}</div>
        {live.status === 'scheduled' && <p className="notice">{t('studio.scheduledNotice')}</p>}
        {live.status === 'ended' && <p className="notice">{t('studio.endedNotice')}</p>}
      </section>
      <aside className="chat-pane" aria-labelledby="chat-title">
        <header className="chat-header">
          <h2 id="chat-title">{t('studio.chat')}</h2>
          <span className="muted chat-count">{t('studio.messages', { count: visibleCount })}</span>
        </header>
        <MessageList
          messages={props.messages}
          selfId={props.selfId}
          onRetry={props.onRetry}
          onDiscard={props.onDiscard}
          onReachTop={props.onReachTop}
          // Replies and reactions while the live is open: the server refuses them before and after.
          onReply={live.status === 'live' ? (message) => replyTo(live.id, replyTargetOf(message)) : undefined}
          onReact={live.status === 'live' ? props.onReact : undefined}
          loadingOlder={props.loadingOlder ?? false}
        />
        <Composer liveId={live.id} onSend={props.onSend} />
      </aside>
    </div>
  );
}
