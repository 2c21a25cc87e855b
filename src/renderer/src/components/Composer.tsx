import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkDraft, MESSAGE_MAX_LENGTH } from '../chat/composer-check';
import { useStudioStore } from '../stores';

type Props = {
  liveId: number;
  /**
   * Queues the message in the host (it shows as pending at once), as a reply to `replyTo` (a client id) when
   * one was chosen; rejects only if the host is unreachable.
   */
  onSend(content: string, replyTo?: string): Promise<unknown>;
  disabled?: boolean;
};

/**
 * The chat input. Enter sends, Shift+Enter adds a line; a counter appears near the limit and a message over it
 * is refused here with the reason, before it ever reaches the host.
 */
export function Composer({ liveId, onSend, disabled }: Props) {
  const { t } = useTranslation();
  const draft = useStudioStore((state) => state.drafts[liveId] ?? '');
  const setDraft = useStudioStore((state) => state.setDraft);
  const focusRequest = useStudioStore((state) => state.composerFocusRequest);
  const replyTarget = useStudioStore((state) => state.replyTargets[liveId] ?? null);
  const replyTo = useStudioStore((state) => state.replyTo);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const [triedTooLong, setTriedTooLong] = useState(false);
  const hintId = useId();
  const check = checkDraft(draft);

  useEffect(() => {
    if (focusRequest > 0) inputRef.current?.focus();
  }, [focusRequest]);

  const submit = async () => {
    if (check.tooLong) {
      setTriedTooLong(true);
      return;
    }
    if (!check.canSend || disabled) return;
    setDraft(liveId, '');
    replyTo(liveId, null);
    setSendError(null);
    setTriedTooLong(false);
    try {
      await onSend(check.content, replyTarget?.clientId);
    } catch (error) {
      // The host did not take it: give the text (and what it answered) back rather than losing it.
      setDraft(liveId, draft);
      replyTo(liveId, replyTarget);
      setSendError(error instanceof Error ? error.message : String(error));
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape' && replyTarget) {
      event.preventDefault();
      replyTo(liveId, null);
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };

  const problem = check.tooLong
    ? t('chat.tooLong', { count: check.length, max: MESSAGE_MAX_LENGTH })
    : sendError
      ? t('chat.sendFailed', { reason: sendError })
      : null;

  return (
    <form className="composer" onSubmit={onSubmit}>
      {replyTarget && (
        <div className="composer-reply">
          <span>
            <span aria-hidden="true">↪ </span>
            {t('chat.replyingTo', { name: replyTarget.name })}
          </span>
          <button
            type="button"
            className="button button-small button-ghost"
            aria-label={t('chat.cancelReply')}
            title={t('chat.cancelReply')}
            onClick={() => replyTo(liveId, null)}
          >
            <span aria-hidden="true">✕</span>
          </button>
        </div>
      )}
      <textarea
        ref={inputRef}
        className="composer-input"
        aria-label={t('chat.message')}
        aria-describedby={hintId}
        aria-invalid={check.tooLong || undefined}
        placeholder={t('chat.placeholder')}
        value={draft}
        rows={2}
        onChange={(event) => {
          setDraft(liveId, event.target.value);
          if (sendError) setSendError(null);
        }}
        onKeyDown={onKeyDown}
        disabled={disabled}
      />
      <div className="composer-footer">
        <div id={hintId} className="composer-hint" aria-live="polite">
          {problem && (
            <span
              className={`composer-problem${triedTooLong ? ' composer-problem-strong' : ''}`}
              role="alert"
            >
              {problem}
            </span>
          )}
          {check.showCounter && (
            <span className={`composer-counter${check.tooLong ? ' composer-counter-over' : ''}`}>
              {t('chat.counter', { count: check.length, max: MESSAGE_MAX_LENGTH })}
            </span>
          )}
        </div>
        <button type="submit" className="button button-primary" disabled={disabled || !check.canSend}>
          {t('chat.send')}
        </button>
      </div>
    </form>
  );
}
