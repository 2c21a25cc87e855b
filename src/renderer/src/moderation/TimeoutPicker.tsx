import { useEffect, useRef } from 'react';
import { useFeatureText } from './strings';

/** The timeouts the issue asks for: 1, 5, 10 minutes and 24 hours. */
export const TIMEOUTS = [60, 300, 600, 86_400] as const;

/** A small dialog to pick a timeout length; 1–4 pick by keyboard, Escape cancels. */
export function TimeoutPicker({
  name,
  onPick,
  onCancel,
}: {
  name: string;
  onPick(seconds: number): void;
  onCancel(): void;
}) {
  const { text } = useFeatureText();
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div
      className="mod-timeout"
      role="dialog"
      aria-label={`${text('timeoutFor')} ${name}`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
        const index = Number(event.key) - 1;
        if (index >= 0 && index < TIMEOUTS.length) onPick(TIMEOUTS[index]!);
        event.stopPropagation();
      }}
    >
      <span>
        {text('timeoutFor')} <strong>{name}</strong>
      </span>
      {TIMEOUTS.map((seconds, index) => (
        <button
          key={seconds}
          ref={index === 1 ? first : undefined}
          type="button"
          className="button button-small"
          onClick={() => onPick(seconds)}
        >
          {seconds >= 86_400 ? text('hours24') : text('minutes', { n: seconds / 60 })}
        </button>
      ))}
      <button type="button" className="button button-small button-ghost" onClick={onCancel}>
        {text('cancel')}
      </button>
    </div>
  );
}
