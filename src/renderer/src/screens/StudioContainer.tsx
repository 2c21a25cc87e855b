import { useTranslation } from 'react-i18next';
import { useChat } from '../api/chat';
import { useLive, useLiveActions } from '../api/lives';
import { PreviewSlot } from '../components/PreviewSlot';
import { StudioScreen } from './StudioScreen';

/** Wires the Studio screen to the host: the live, its chat (cache-driven) and the live's actions. */
export function StudioContainer({ liveId, selfId }: { liveId: number; selfId: number | null }) {
  const { t } = useTranslation();
  const live = useLive(liveId);
  const chat = useChat(liveId);
  const actions = useLiveActions();
  if (!live.data) {
    return (
      <div className="screen">
        <p className="muted">{live.error ? live.error.message : t('app.loading')}</p>
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
      onSend={(content) => chat.send.mutateAsync({ liveId, content })}
      onRetry={(clientId) => chat.retry.mutate({ clientId })}
      onDiscard={(clientId) => chat.discard.mutate({ clientId })}
      onReachTop={chat.loadOlder}
      loadingOlder={chat.loadingOlder}
    />
  );
}
