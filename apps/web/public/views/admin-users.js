import { api, request } from '../api.js';
import { checkbox, dataRow, field, h, select, table } from '../dom.js';
import {
  announce,
  badge,
  busy,
  clearFieldErrors,
  emptyState,
  errorBanner,
  loading,
  notice,
  pageHeader,
  reportFormError,
  ROLE_LABELS,
} from '../ui.js';
import { rules } from '../rules.js';

/** The administrator's user management: GET/POST /admin/users, PATCH /admin/users/:id, POST /admin/users/:id/sessions/revoke. */
export async function renderAdminUsers(root, ctx) {
  ctx.setTitle('Users');
  const status = h('div', { 'aria-live': 'polite' });
  const list = h('div', { 'aria-busy': 'true' }, loading('Loading user accounts…'));
  const editor = h('div');
  root.append(
    pageHeader('User accounts', {
      subtitle: 'Create accounts, change roles and agencies, disable, reset passwords and revoke sessions. Every change is audited.',
    }),
    status,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'create-user-title' },
      h('h2', { id: 'create-user-title' }, 'Create a user'),
      userForm(null, onSaved),
    ),
    editor,
    h('section', { class: 'card', 'aria-labelledby': 'users-title' }, h('h2', { id: 'users-title' }, 'Accounts'), list),
  );

  async function refresh() {
    try {
      const users = await api.get('/admin/users');
      if (!ctx.isCurrent()) return;
      list.replaceChildren(usersTable(users));
    } catch (error) {
      list.replaceChildren(errorBanner(error, { title: 'The user accounts could not be loaded' }));
    } finally {
      list.setAttribute('aria-busy', 'false');
    }
  }

  function onSaved(message) {
    status.replaceChildren(notice('success', null, h('p', {}, message)));
    announce(message);
    editor.replaceChildren();
    refresh();
  }

  function usersTable(users) {
    if (!users.length) return emptyState('No user accounts');
    const columns = ['Username', 'Name', 'Roles', 'Agency / organisation', 'Status', 'Actions'];
    return table({
      caption: 'User accounts',
      columns,
      rows: users.map((user) =>
        dataRow(
          columns,
          [
            h('code', {}, user.username),
            user.displayName,
            user.roles.map((r) => ROLE_LABELS[r] ?? r).join(', '),
            [user.agency, user.organisation].filter(Boolean).join(' · ') || '—',
            user.disabled ? badge('DISABLED', { tone: 'danger', label: 'Disabled' }) : badge('ACTIVE', { tone: 'ok', label: 'Active' }),
            h(
              'div',
              { class: 'button-row' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'usa-button usa-button--outline usa-button--small',
                  'aria-label': `Edit ${user.username}`,
                  onClick: () => {
                    editor.replaceChildren(
                      h(
                        'section',
                        { class: 'card', 'aria-labelledby': 'edit-user-title' },
                        h('h2', { id: 'edit-user-title' }, `Edit ${user.username}`),
                        userForm(user, onSaved),
                      ),
                    );
                    editor.querySelector('input')?.focus();
                  },
                },
                'Edit',
              ),
              actionButton(user.disabled ? 'Enable' : 'Disable', user, () =>
                request('PATCH', `/admin/users/${user.id}`, { disabled: !user.disabled }).then(() =>
                  onSaved(`${user.username} ${user.disabled ? 'enabled' : 'disabled'}.`),
                ),
              ),
              actionButton('Revoke sessions', user, () =>
                api.post(`/admin/users/${user.id}/sessions/revoke`).then(() => onSaved(`Sessions of ${user.username} revoked.`)),
              ),
            ),
          ],
          { dataset: { username: user.username } },
        ),
      ),
    });
  }

  function actionButton(label, user, work) {
    const button = h(
      'button',
      { type: 'button', class: 'usa-button usa-button--outline usa-button--small', 'aria-label': `${label} ${user.username}` },
      label,
    );
    button.addEventListener('click', async () => {
      status.replaceChildren();
      try {
        await busy(button, `${label}…`, work);
      } catch (error) {
        status.replaceChildren(errorBanner(error));
      }
    });
    return button;
  }

  await refresh();
}

/** The create form (user null) or the edit form of one account; field errors go under their fields. */
function userForm(user, onSaved) {
  const editing = Boolean(user);
  const username = h('input', { type: 'text', autocomplete: 'off', value: user?.username ?? '', disabled: editing });
  const displayName = h('input', { type: 'text', autocomplete: 'off', value: user?.displayName ?? '' });
  const agency = select(rules().agencies ?? [], { value: user?.agency ?? '', placeholder: 'No agency' });
  const organisation = h('input', { type: 'text', autocomplete: 'off', value: user?.organisation ?? '' });
  const password = h('input', { type: 'password', autocomplete: 'new-password' });
  const roleBoxes = (rules().roles ?? []).map((role) =>
    checkbox({ label: ROLE_LABELS[role] ?? role, name: 'roles', value: role, checked: user?.roles?.includes(role) }),
  );
  const rolesError = h('p', { class: 'field-error usa-error-message', id: `${editing ? 'edit' : 'new'}-roles-error`, hidden: true });
  const roles = h(
    'fieldset',
    { class: 'usa-fieldset field roles-fieldset', 'data-field': 'roles', 'aria-describedby': rolesError.id },
    h('legend', { class: 'usa-legend' }, 'Roles'),
    rolesError,
    h('div', { class: 'roles-grid' }, roleBoxes),
  );
  const banner = h('div');
  const submit = h('button', { type: 'submit', class: 'usa-button' }, editing ? 'Save changes' : 'Create user');
  const form = h(
    'form',
    { class: 'user-form', novalidate: true, 'aria-label': editing ? `Edit ${user.username}` : 'Create a user' },
    banner,
    field({
      label: 'Username',
      control: username,
      field: 'username',
      required: !editing,
      hint: editing ? 'Cannot be changed' : 'Lower-case letters, digits, dots, dashes',
    }),
    field({ label: 'Display name', control: displayName, field: 'displayName', required: !editing }),
    roles,
    field({ label: 'Agency', control: agency, field: 'agency', hint: 'Agency staff roles need their agency' }),
    field({ label: 'Organisation', control: organisation, field: 'organisation', hint: 'Applicants need their organisation' }),
    field({
      label: editing ? 'New password' : 'Password',
      control: password,
      field: 'password',
      required: !editing,
      hint: editing ? 'Leave empty to keep the password; a reset also revokes the sessions' : 'At least 12 characters',
    }),
    h('div', { class: 'button-row' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    banner.replaceChildren();
    const body = {
      displayName: displayName.value.trim(),
      roles: roleBoxes
        .map((b) => b.querySelector('input'))
        .filter((i) => i.checked)
        .map((i) => i.value),
      agency: agency.value || null,
      organisation: organisation.value.trim() || null,
    };
    if (!editing) body.username = username.value.trim();
    if (password.value || !editing) body.password = password.value;
    try {
      await busy(submit, editing ? 'Saving…' : 'Creating…', () =>
        editing ? request('PATCH', `/admin/users/${user.id}`, body) : api.post('/admin/users', body),
      );
      onSaved(editing ? `${user.username} updated${body.password ? ' and its password reset' : ''}.` : `User ${body.username} created.`);
      if (!editing) form.reset();
    } catch (error) {
      reportFormError(form, banner, error);
    }
  });
  return form;
}
