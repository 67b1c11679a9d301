import { ApiError, request } from '../api.js';
import { field, h } from '../dom.js';
import { busy, clearFieldErrors, notice, reportFormError } from '../ui.js';

/** The sign-in form (POST /auth/login). */
export function renderLogin(main, { onSignedIn, message }) {
  const username = h('input', {
    type: 'text',
    name: 'username',
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
  });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const banner = h('div', { class: 'form-banner', 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'usa-button width-full' }, 'Sign in');
  const form = h(
    'form',
    { class: 'stack', novalidate: true, 'aria-labelledby': 'login-title' },
    banner,
    field({ label: 'Username', control: username, field: 'username', required: true }),
    field({ label: 'Password', control: password, field: 'password', required: true }),
    submit,
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    banner.replaceChildren();
    const body = { username: username.value.trim(), password: password.value };
    const missing = [];
    if (!body.username) missing.push({ field: 'username', message: 'Enter your username.' });
    if (!body.password) missing.push({ field: 'password', message: 'Enter your password.' });
    if (missing.length) {
      reportFormError(form, banner, new ApiError(400, { message: 'Enter your username and password.', details: missing }));
      return;
    }
    try {
      const result = await busy(submit, 'Signing in…', () => request('POST', '/auth/login', body, { authenticated: false }));
      onSignedIn(result);
    } catch (error) {
      password.value = '';
      const shown =
        error instanceof ApiError && error.status === 401
          ? new ApiError(401, { message: error.message || 'Invalid username or password' })
          : error;
      reportFormError(form, banner, shown);
      if (error instanceof ApiError && error.status === 401) password.focus();
    }
  });

  main.append(
    h(
      'div',
      { class: 'login', 'data-view': 'login' },
      h(
        'div',
        { class: 'login__intro' },
        h('h1', { id: 'login-title', class: 'page-title' }, 'Sign in to Exports Desk'),
        h(
          'p',
          { class: 'muted' },
          'For consortium applicants and agency staff of the American AI Exports Program (Executive Order 14320).',
        ),
      ),
      message ? notice(message.kind === 'warn' ? 'warn' : 'info', null, h('p', {}, message.text)) : null,
      h('div', { class: 'card login__card' }, form),
    ),
  );
  username.focus();
}
