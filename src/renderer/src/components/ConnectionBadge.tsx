import { useTranslation } from 'react-i18next';
import type { ConnectionStatus } from '../../../shared/wire';

/** Online / offline with N pending / syncing x/y — a status region, so changes are announced politely. */
export function ConnectionBadge({ status }: { status: ConnectionStatus | undefined }) {
  const { t } = useTranslation();
  if (!status) return null;
  let label: string;
  if (status.state === 'online') label = t('connection.online');
  else if (status.state === 'syncing')
    label = status.progress
      ? t('connection.syncing', { done: status.progress.done, total: status.progress.total })
      : t('connection.syncingPlain');
  else
    label =
      status.pending > 0
        ? t('connection.offlinePending', { count: status.pending })
        : t('connection.offline');
  return (
    <output
      className={`badge badge-${status.state}`}
      data-testid="connection-badge"
      data-state={status.state}
      title={status.last_error ?? undefined}
    >
      <span className="badge-dot" aria-hidden="true" />
      {label}
    </output>
  );
}
