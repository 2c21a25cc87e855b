import { useTranslation } from 'react-i18next';
import { useChat } from '../api/chat';
import { useLive, useLiveActions } from '../api/lives';
import { PreviewSlot } from '../components/PreviewSlot';
import { useStudioStore } from '../stores';
import { StudioScreen } from './StudioScreen';

/** Wires the Studio screen to the host: the live, its chat (cache-driven) and the live's actions. */
export function StudioContainer({ liveId, selfId }: { liveId: number; selfId: number | null }) {
  const { t } = useTranslation();
  const live = useLive(liveId);
  const chat = useChat(liveId);
  const actions = useLiveActions();
  const go = useStudioStore((state) => state.go);
  if (!live.data) {
    return (
      <div className="screen">
        {live.error ? (
          // A live remembered from another server or account: say so and offer the way back.
          <div className="empty-state">
            <p role="alert">{live.error.message}</p>
            <button type="button" className="button button-secondary" onClick={() => go('lives')}>
              {t('nav.lives')}
            </button>
          </div>
        ) : (
          <p className="muted">{t('app.loading')}</p>
        )}
      </div>
    );
  }
  return (
    <StudioScreen
      live={live.data}
      messages={chat.query.data?.messages ?? []}
      selfId={selfId}
      preview={<PreviewSlot live={live.data} />}
      onStart={() => actions.start.mutateAsync({ liveId })}
      onEnd={() => actions.end.mutateAsync({ liveId })}
      onSend={(content, replyTo) =>
        chat.send.mutateAsync({ liveId, content, ...(replyTo ? { replyTo } : {}) })
      }
      onReact={(clientId, emoji) => chat.react.mutate({ clientId, emoji })}
      onRetry={(clientId) => chat.retry.mutate({ clientId })}
      onDiscard={(clientId) => chat.discard.mutate({ clientId })}
      onReachTop={chat.loadOlder}
      loadingOlder={chat.loadingOlder}
    />
  );
}
