import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { SHORTCUTS } from '../shortcuts';
import { useStudioStore } from '../stores';

// Each action once, in the order of the list, whatever number of key combinations it has.
const ACTIONS = [...new Set(SHORTCUTS.map((shortcut) => shortcut.action))];

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
        {ACTIONS.map((action) => (
          <div className="shortcut" key={action}>
            <dt>
              {SHORTCUTS.filter((shortcut) => shortcut.action === action).map((shortcut, index) => (
                <span key={shortcut.keys.join('+')}>
                  {index > 0 && <span className="shortcut-or"> {t('shortcuts.or')} </span>}
                  {shortcut.keys.map((key, keyIndex) => (
                    <span key={key}>
                      {keyIndex > 0 && ' + '}
                      <kbd>{key}</kbd>
                    </span>
                  ))}
                </span>
              ))}
            </dt>
            <dd>{t(`shortcuts.${action}`)}</dd>
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
