/** Modal dialogs: confirmations, forms, and the one-time secret that cannot be closed by accident. */
import { h } from './dom.js';

export interface ConfirmOptions {
  title: string;
  body: Array<Node | string | false | null | undefined>;
  /** The confirming button's label; without one the dialog only informs, with a Close button. */
  confirmLabel?: string;
  /** `danger` for what cannot be undone, `warning` for "are you sure", `plain` for a form. */
  tone: 'danger' | 'warning' | 'plain';
  /**
   * Runs on confirmation while the dialog stays open (its button busy): true closes it, false keeps
   * it open (the hook has said why inside the dialog, say a field to correct or a test's result).
   */
  onConfirm?: () => Promise<boolean>;
  /** Where focus starts: Cancel by default, so Enter alone never confirms something destructive. */
  initialFocus?: HTMLElement;
  /** Wider than a question: for a dialog that shows a table (the history of a user's keys). */
  wide?: boolean;
}

let dialogCount = 0;

/**
 * Resolves true when confirmed; Escape, Cancel and closing all mean no. The body sits in a form,
 * so Enter in a field confirms as the button does.
 */
export function confirmDialog(options: ConfirmOptions): Promise<boolean> {
  const id = `dialog-${++dialogCount}`;
  return new Promise((resolve) => {
    const cancel = h(
      'button',
      { type: 'button', class: 'button secondary', onclick: () => dialog.close('cancel') },
      options.confirmLabel ? 'Cancel' : 'Close',
    );
    const confirm =
      options.confirmLabel !== undefined &&
      h(
        'button',
        {
          type: 'submit',
          class: `button ${options.tone === 'danger' ? 'danger' : 'primary'}`,
          'data-action': 'confirm',
        },
        options.confirmLabel,
      );
    const form = h(
      'form',
      {
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          if (!confirm || confirm.disabled) return;
          if (!options.onConfirm) {
            dialog.close('confirm');
            return;
          }
          const label = confirm.textContent;
          confirm.disabled = true;
          confirm.setAttribute('aria-busy', 'true');
          void options
            .onConfirm()
            .then((close) => {
              if (close) dialog.close('confirm');
            })
            .finally(() => {
              confirm.disabled = false;
              confirm.removeAttribute('aria-busy');
              confirm.textContent = label;
            });
        },
      },
      h(
        'div',
        { id: `${id}-body`, class: 'dialog-body' },
        ...options.body.filter((part): part is Node | string => part !== false && part !== null && part !== undefined),
      ),
      h('div', { class: 'dialog-actions' }, cancel, confirm),
    );
    const dialog = h(
      'dialog',
      {
        class: `dialog ${options.tone}${options.wide ? ' wide' : ''}`,
        // A question about something destructive is an alert dialog; a form is a plain dialog.
        role: options.tone === 'plain' ? 'dialog' : 'alertdialog',
        'aria-modal': 'true',
        'aria-labelledby': `${id}-title`,
        'aria-describedby': options.tone === 'plain' ? undefined : `${id}-body`,
      },
      h('h2', { id: `${id}-title` }, options.title),
      form,
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'confirm');
    });
    document.body.append(dialog);
    dialog.showModal();
    (options.initialFocus ?? cancel).focus();
  });
}

export interface SecretDialogContent {
  title: string;
  lead: string;
  warning: HTMLElement;
  fields: HTMLElement[];
  /** More to do with the secret while it is here (testing the key). */
  extra?: HTMLElement[];
}

/**
 * The new pair's secret, shown this once. Escape does not close it (a stray key press would lose
 * the secret for good), nor does a click beside it: it says what to do instead. Only the explicit
 * confirmation closes it, and the secret leaves the page with the dialog.
 */
export function secretDialog(content: SecretDialogContent): Promise<void> {
  return new Promise((resolve) => {
    const reminder = h('div', { class: 'reminder', role: 'alert' });
    const done = h(
      'button',
      { type: 'button', class: 'button primary', onclick: () => dialog.close('stored') },
      'I have stored the secret key',
    );
    const dialog = h(
      'dialog',
      { class: 'dialog', id: 'new-key', 'aria-modal': 'true', 'aria-labelledby': 'new-key-title' },
      h('h2', { id: 'new-key-title' }, content.title),
      h('p', { class: 'lead' }, content.lead),
      content.warning,
      ...content.fields,
      ...(content.extra ?? []),
      reminder,
      h('div', { class: 'dialog-actions' }, done),
    );
    const remind = () => {
      reminder.replaceChildren(
        h(
          'p',
          { class: 'notice error' },
          'The secret key has not been confirmed as stored. Copy it and keep it safe, then press “I have stored the secret key”: once this closes it cannot be shown again.',
        ),
      );
      done.focus();
    };
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      remind();
    });
    // A click on the backdrop lands on the dialog element itself, outside its content box.
    dialog.addEventListener('click', (event) => {
      if (event.target !== dialog) return;
      const box = dialog.getBoundingClientRect();
      const inside =
        event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) remind();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve();
    });
    document.body.append(dialog);
    dialog.showModal();
    done.focus();
  });
}
