import { useTranslation } from 'react-i18next';

/** The navigation slot for screens other features fill in (moderation, library, replay). */
export function PlaceholderScreen({ title, message }: { title: string; message?: string }) {
  const { t } = useTranslation();
  return (
    <div className="screen">
      <header className="screen-header">
        <h1>{title}</h1>
      </header>
      <p className="empty-state">{message ?? t('nav.comingSoon')}</p>
    </div>
  );
}
