/** Modal dialogs: confirmations, and the one-time secret that cannot be closed by accident. */
import { h } from './dom.js';

export interface ConfirmOptions {
  title: string;
  body: Array<Node | string>;
  confirmLabel: string;
  /** `danger` for what cannot be undone, `warning` for "are you sure" about something odd. */
  tone: 'danger' | 'warning';
}

/** Resolves true when confirmed; Escape, Cancel and closing all mean no. Focus starts on Cancel. */
export function confirmDialog(options: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', class: 'button secondary', onclick: () => dialog.close('cancel') }, 'Cancel');
    const confirm = h(
      'button',
      {
        type: 'button',
        class: `button ${options.tone === 'danger' ? 'danger' : 'primary'}`,
        'data-action': 'confirm',
        onclick: () => dialog.close('confirm'),
      },
      options.confirmLabel,
    );
    const dialog = h(
      'dialog',
      {
        class: `dialog ${options.tone}`,
        role: 'alertdialog',
        'aria-modal': 'true',
        'aria-labelledby': 'confirm-title',
        'aria-describedby': 'confirm-body',
      },
      h('h2', { id: 'confirm-title' }, options.title),
      h('div', { id: 'confirm-body', class: 'dialog-body' }, ...options.body),
      h('div', { class: 'dialog-actions' }, cancel, confirm),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'confirm');
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

export interface SecretDialogContent {
  title: string;
  lead: string;
  warning: HTMLElement;
  fields: HTMLElement[];
}

/**
 * The new pair's secret, shown this once. Escape does not close it (a stray key press would lose
 * the secret for good): it says what to do instead. Only the explicit confirmation closes it, and
 * the secret leaves the page with the dialog.
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
      reminder,
      h('div', { class: 'dialog-actions' }, done),
    );
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      reminder.replaceChildren(
        h(
          'p',
          { class: 'notice error' },
          'The secret key has not been confirmed as stored. Copy it and keep it safe, then press “I have stored the secret key”: once this closes it cannot be shown again.',
        ),
      );
      done.focus();
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
