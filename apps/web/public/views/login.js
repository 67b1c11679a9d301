import { ApiError, request } from '../api.js';
import { field, h } from '../dom.js';
import { startSingleSignOn } from '../sso.js';
import { busy, clearFieldErrors, loading, notice, reportFormError } from '../ui.js';

/**
 * The sign-in page: what GET /auth/sign-in-methods offers, single sign-on through the identity
 * provider and the password form (POST /auth/login). When the methods cannot be read, the password
 * form is shown with the reason, so a provider's outage never hides the local sign-in.
 */
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

  const card = h('div', { class: 'card login__card' }, loading('Loading the ways to sign in…'));
  const problem = h('div', { 'aria-live': 'polite' });
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
      problem,
      card,
    ),
  );

  request('GET', '/auth/sign-in-methods', undefined, { authenticated: false }).then(
    (methods) => {
      if (!card.isConnected) return;
      const sso = methods.oidc ? singleSignOnButton(methods.oidc, problem) : null;
      const offered = [];
      if (sso) offered.push(sso);
      if (sso && methods.localAccounts) offered.push(h('p', { class: 'login__or muted' }, 'or with a password'));
      if (methods.localAccounts) offered.push(form);
      if (!offered.length) {
        offered.push(
          h('p', {}, 'This server takes no sign-in from the browser: it has neither password accounts nor single sign-on set up.'),
        );
      }
      card.replaceChildren(...offered);
      (methods.localAccounts ? username : sso)?.focus();
    },
    (error) => {
      if (!card.isConnected) return;
      problem.replaceChildren(notice('warn', 'Single sign-on is unavailable for now', h('p', {}, error.message)));
      card.replaceChildren(form);
      username.focus();
    },
  );
}

/** Sends the user to the identity provider; the page they return to finishes the sign-in (app.js). */
function singleSignOnButton(oidc, problem) {
  const button = h('button', { type: 'button', class: 'usa-button width-full' }, `Sign in with ${oidc.providerName}`);
  button.addEventListener('click', () =>
    busy(button, 'Going to the sign-in page…', () => startSingleSignOn(oidc)).catch((error) =>
      problem.replaceChildren(notice('warn', 'Single sign-on could not start', h('p', {}, error.message))),
    ),
  );
  return button;
}
