import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Live, LiveStatus } from '../../../shared/wire';
import { LiveForm, type LiveFormAction } from '../components/LiveForm';
import { LiveStatusPill } from '../components/LiveStatusPill';

type Props = {
  lives: readonly Live[] | undefined;
  onCreate(input: { title: string; description: string }, action: LiveFormAction): Promise<unknown>;
  onOpen(liveId: number): void;
};

const GROUP_ORDER: LiveStatus[] = ['live', 'scheduled', 'ended'];

/** My lives, grouped live → scheduled → ended, and "Lancer un live". */
export function LivesScreen({ lives, onCreate, onOpen }: Props) {
  const { t, i18n } = useTranslation();
  const [formOpen, setFormOpen] = useState(false);
  const when = (iso: string | null) =>
    iso
      ? new Date(iso).toLocaleString(i18n.language, {
          dateStyle: 'medium',
          timeStyle: 'short',
        })
      : '';

  return (
    <div className="screen screen-lives">
      <header className="screen-header">
        <h1>{t('lives.title')}</h1>
        {!formOpen && (
          <button type="button" className="button button-primary" onClick={() => setFormOpen(true)}>
            <span aria-hidden="true" className="button-icon">
              +
            </span>
            {t('lives.new')}
          </button>
        )}
      </header>
      {formOpen && (
        <LiveForm
          onCancel={() => setFormOpen(false)}
          onSubmit={async (input, action) => {
            await onCreate(input, action);
            setFormOpen(false);
          }}
        />
      )}
      {lives === undefined ? (
        <p className="muted">{t('app.loading')}</p>
      ) : lives.length === 0 ? (
        !formOpen && <p className="empty-state">{t('lives.empty')}</p>
      ) : (
        GROUP_ORDER.map((status) => {
          const group = lives.filter((live) => live.status === status);
          if (group.length === 0) return null;
          return (
            <section key={status} className="live-group" aria-labelledby={`lives-${status}`}>
              <h2 id={`lives-${status}`} className="group-title">
                {t(`lives.groups.${status}`)} <span className="group-count">{group.length}</span>
              </h2>
              <ul className="live-list">
                {group.map((live) => (
                  <li key={live.id} className="card live-card">
                    <div className="live-card-main">
                      <div className="live-card-title">
                        <h3>
                          {/* The title is the card's own control; its ::after stretches over the whole card,
                              so a click anywhere on it opens the studio, with no click handler on the <li>
                              and nothing interactive nested (the card's other button sits above it). */}
                          <button
                            type="button"
                            className="live-card-link"
                            onClick={() => onOpen(live.id)}
                            data-testid="live-card-link"
                          >
                            {live.title}
                          </button>
                        </h3>
                        <LiveStatusPill status={live.status} />
                      </div>
                      {live.description && <p className="live-card-description">{live.description}</p>}
                      <p className="muted live-card-when">
                        {live.status === 'ended' && live.ended_at
                          ? t('lives.endedAt', { time: when(live.ended_at) })
                          : live.started_at
                            ? t('lives.startedAt', { time: when(live.started_at) })
                            : null}
                      </p>
                    </div>
                    <button
                      type="button"
                      className={`button live-card-open ${live.status === 'ended' ? 'button-ghost' : 'button-secondary'}`}
                      aria-label={t('lives.openNamed', { title: live.title })}
                      onClick={() => onOpen(live.id)}
                    >
                      {t('lives.open')}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          );
        })
      )}
    </div>
  );
}
