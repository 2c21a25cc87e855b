import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { SHORTCUTS } from '../shortcuts';
import { useStudioStore } from '../stores';

/** The help overlay: a modal <dialog> (focus trapped, Escape closes) listing every shortcut. */
export function ShortcutsHelp() {
  const { t } = useTranslation();
  const open = useStudioStore((state) => state.shortcutsOpen);
  const setOpen = useStudioStore((state) => state.setShortcutsOpen);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={dialogRef}
      className="dialog shortcuts-help"
      aria-labelledby={titleId}
      onClose={() => setOpen(false)}
    >
      <h2 id={titleId}>{t('shortcuts.title')}</h2>
      <dl className="shortcut-list">
        {SHORTCUTS.map((shortcut) => (
          <div className="shortcut" key={shortcut.keys.join('+')}>
            <dt>
              {shortcut.keys.map((key, index) => (
                <span key={key}>
                  {index > 0 && ' + '}
                  <kbd>{key}</kbd>
                </span>
              ))}
            </dt>
            <dd>{t(`shortcuts.${shortcut.action}`)}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog" className="form-actions">
        <button type="submit" className="button button-primary">
          {t('shortcuts.close')}
        </button>
      </form>
    </dialog>
  );
}
