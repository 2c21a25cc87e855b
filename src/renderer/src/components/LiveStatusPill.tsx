import { useTranslation } from 'react-i18next';
import type { LiveStatus } from '../../../shared/wire';

export function LiveStatusPill({ status }: { status: LiveStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`pill pill-${status}`} data-testid="live-status">
      {status === 'live' && <span className="pill-dot" aria-hidden="true" />}
      {t(`lives.status.${status}`)}
    </span>
  );
}
