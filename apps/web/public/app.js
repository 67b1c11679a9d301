// Exports Desk web UI: session, header, navigation and the hash router.
import { onUnauthorized, session } from './api.js';
import { clear, h } from './dom.js';
import { announce, errorBanner, loading, notice, pageHeader, ROLE_LABELS } from './ui.js';
import { forgetRules, hasRules, loadRules, mayCall, rules } from './rules.js';
import { finishSingleSignOn } from './sso.js';
import { renderLogin } from './views/login.js';
import { renderProposals } from './views/proposals.js';
import { renderProposalDetail } from './views/proposal-detail.js';
import { renderAmendment, renderNewProposal } from './views/new-proposal.js';
import { renderTasks } from './views/tasks.js';
import { renderAudit } from './views/audit.js';
import { renderAdminUsers } from './views/admin-users.js';
import { renderCatalogue } from './views/catalogue.js';
import { renderProgram, renderPrograms } from './views/programs.js';
import { renderPipeline } from './views/pipeline.js';
import { renderFinancing } from './views/financing.js';

/**
 * The pages, the API route each one shows (who may use a page is who may call its route, by the
 * route's own access policy from GET /reference/rules), and their place in the navigation.
 */
const ROUTES = [
  { path: /^proposals\/([^/]+)\/amend$/, render: renderAmendment, access: 'POST /proposals/:id/amendments', nav: 'proposals' },
  { path: /^proposals\/([^/]+)$/, render: renderProposalDetail, access: 'GET /proposals/:id', nav: 'proposals' },
  { path: /^proposals$/, render: renderProposals, access: 'GET /proposals', nav: 'proposals' },
  { path: /^new$/, render: renderNewProposal, access: 'POST /proposals', nav: 'new' },
  { path: /^tasks$/, render: renderTasks, access: 'GET /tasks', nav: 'tasks' },
  { path: /^audit$/, render: renderAudit, access: 'GET /audit', nav: 'audit' },
  { path: /^admin\/users$/, render: renderAdminUsers, access: 'GET /admin/users', nav: 'admin-users' },
  { path: /^catalogue$/, render: renderCatalogue, access: 'GET /catalogue', nav: 'catalogue' },
  { path: /^financing$/, render: renderFinancing, access: 'GET /financing/queue', nav: 'financing' },
  { path: /^programs\/([^/]+)$/, render: renderProgram, access: 'GET /programs/:id', nav: 'programs' },
  { path: /^programs$/, render: renderPrograms, access: 'GET /programs', nav: 'programs' },
  { path: /^pipeline$/, render: renderPipeline, access: 'GET /reports/pipeline', nav: 'pipeline' },
];

const NAV_ITEMS = [
  { key: 'tasks', label: 'Inbox', href: '#/tasks', access: 'GET /tasks' },
  { key: 'proposals', label: 'Proposals', href: '#/proposals', access: 'GET /proposals' },
  { key: 'new', label: 'New proposal', href: '#/new', access: 'POST /proposals' },
  { key: 'audit', label: 'Audit trail', href: '#/audit', access: 'GET /audit' },
  { key: 'financing', label: 'Financing', href: '#/financing', access: 'GET /financing/queue' },
  { key: 'programs', label: 'Milestones', href: '#/programs', access: 'GET /programs' },
  { key: 'pipeline', label: 'Pipeline', href: '#/pipeline', access: 'GET /reports/pipeline' },
  { key: 'catalogue', label: 'Catalogue', href: '#/catalogue', access: 'GET /catalogue' },
  { key: 'admin-users', label: 'Users', href: '#/admin/users', access: 'GET /admin/users' },
];

const hasAny = (user, roles) => (user?.roles ?? []).some((r) => roles.includes(r));

/** Applicants start at their proposals, agency staff at their inbox, oversight at the pipeline. */
function defaultPath(user) {
  if (mayCall(user, 'POST /proposals')) return 'proposals';
  if (hasAny(user, rules().agencyStaffRoles)) return 'tasks';
  // Program managers start at the milestone dashboard.
  if (mayCall(user, 'POST /programs/:id/milestones/:mid/completion')) return 'programs';
  if (mayCall(user, 'GET /proposals')) return 'proposals';
  if (mayCall(user, 'GET /admin/users')) return 'admin/users';
  return 'home';
}

/** "#/proposals?status=X" -> { path: 'proposals', query: URLSearchParams } */
function currentLocation() {
  const raw = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  const [path, search = ''] = raw.split('?');
  return { path: path.replace(/\/+$/, ''), query: new URLSearchParams(search) };
}

export function navigate(hash, { replace = false } = {}) {
  const target = hash.startsWith('#') ? hash : `#/${hash}`;
  if (location.hash === target) {
    render();
  } else if (replace) {
    history.replaceState(null, '', target);
    render();
  } else {
    location.hash = target;
  }
}

let renderSeq = 0;
let leaveHandlers = [];
let expiryTimer;
let flash = null;

function runLeaveHandlers() {
  for (const handler of leaveHandlers) {
    try {
      handler();
    } catch {
      // a page's cleanup failing must not block navigation
    }
  }
  leaveHandlers = [];
}

function renderHeader(user, active) {
  const nav = document.getElementById('site-nav');
  const box = document.getElementById('user-box');
  clear(nav);
  clear(box);
  if (!user) {
    nav.hidden = true;
    return;
  }
  nav.hidden = false;
  const items = NAV_ITEMS.filter((item) => mayCall(user, item.access));
  nav.append(
    ...items.map((item) =>
      h(
        'li',
        { class: 'usa-nav__primary-item' },
        h(
          'a',
          {
            href: item.href,
            class: ['usa-nav-link', item.key === active ? 'usa-current' : null],
            'aria-current': item.key === active ? 'page' : null,
          },
          h('span', {}, item.label),
        ),
      ),
    ),
  );
  const roles = user.roles.map((r) => ROLE_LABELS[r] ?? r).join(', ');
  box.append(
    h(
      'div',
      { class: 'user-box__who' },
      h('span', { class: 'user-box__name', 'data-testid': 'user-name' }, user.displayName || user.username),
      h(
        'span',
        { class: 'user-box__meta', 'data-testid': 'user-meta' },
        [roles, user.agency, user.organisation].filter(Boolean).join(' · '),
      ),
    ),
    h('button', { type: 'button', class: 'usa-button usa-button--outline', onClick: signOut }, 'Sign out'),
  );
}

function scheduleExpiry(current) {
  clearTimeout(expiryTimer);
  if (!current?.expiresAt) return;
  const ms = new Date(current.expiresAt).getTime() - Date.now();
  // setTimeout overflows beyond ~24.8 days; tokens are far shorter, but guard anyway.
  if (ms > 0 && ms < 2 ** 31 - 1) expiryTimer = setTimeout(() => sessionEnded('Your session has expired. Please sign in again.'), ms);
}

function signOut() {
  session.clear();
  forgetRules();
  clearTimeout(expiryTimer);
  flash = { kind: 'info', text: 'You have signed out.' };
  history.replaceState(null, '', location.pathname);
  render();
  announce('Signed out');
}

function sessionEnded(message) {
  if (!session.get() && document.querySelector('[data-view="login"]')) return;
  session.clear();
  clearTimeout(expiryTimer);
  flash = { kind: 'warn', text: message ?? 'Please sign in.' };
  render();
}

onUnauthorized((message) => sessionEnded(message));

async function signedIn(result) {
  session.set({ accessToken: result.accessToken, expiresAt: result.expiresAt, user: result.user });
  scheduleExpiry(session.get());
  announce(`Signed in as ${result.user.displayName || result.user.username}`);
  forgetRules();
  try {
    await loadRules();
  } catch {
    render(); // shows why the rules could not be loaded, with a retry
    return;
  }
  // Back to the page the session ended on, if this user may use it; otherwise the role's start page.
  const { path } = currentLocation();
  const route = ROUTES.find((r) => r.path.test(path));
  if (!route || !mayCall(result.user, route.access)) navigate(`#/${defaultPath(result.user)}`, { replace: true });
  else render();
}

/** Loads the program rules once per session before the first signed-in page; false when they could not be loaded. */
async function ensureRules(main, seq) {
  main.append(loading('Loading the program rules…'));
  try {
    await loadRules();
  } catch (error) {
    if (seq !== renderSeq || error?.status === 401) return false;
    clear(main);
    const retry = h('button', { type: 'button', class: 'usa-button', onClick: () => render() }, 'Try again');
    main.append(
      h(
        'div',
        { class: 'view' },
        pageHeader('Exports Desk could not start'),
        errorBanner(error, { title: 'The program rules could not be loaded from the server' }),
        h('div', { class: 'button-row' }, retry),
      ),
    );
    return false;
  }
  if (seq !== renderSeq) return false;
  clear(main);
  return true;
}

export async function render() {
  const seq = ++renderSeq;
  runLeaveHandlers();
  const main = document.getElementById('main');
  const current = session.get();
  const user = current?.user ?? null;
  const { path, query } = currentLocation();
  clear(main);

  if (!user) {
    renderHeader(null);
    document.title = 'Sign in · Exports Desk';
    const message = flash;
    flash = null;
    renderLogin(main, { onSignedIn: signedIn, message });
    return;
  }

  if (!hasRules()) {
    renderHeader(null);
    if (!(await ensureRules(main, seq))) return;
  }

  if (!path || path === 'login') {
    navigate(`#/${defaultPath(user)}`, { replace: true });
    return;
  }

  const route = ROUTES.find((r) => r.path.test(path));
  renderHeader(user, route?.nav);
  const root = h('div', { class: 'view' });
  main.append(root);

  if (!ROUTES.some((r) => mayCall(user, r.access))) {
    document.title = 'Exports Desk';
    root.append(
      pageHeader(`Welcome, ${user.displayName || user.username}`),
      notice(
        'info',
        'Nothing to do here for your role',
        h(
          'p',
          {},
          'Administrators manage user accounts through the API (see ',
          h('a', { href: '/docs' }, 'the API documentation'),
          '). Proposals, tasks and the audit trail are for applicants, agency staff and oversight roles.',
        ),
      ),
    );
    focusHeading(root);
    return;
  }
  if (!route) {
    document.title = 'Not found · Exports Desk';
    root.append(
      pageHeader('Page not found'),
      notice(
        'warn',
        null,
        h('p', {}, 'There is no page at this address. ', h('a', { href: `#/${defaultPath(user)}` }, 'Go to your start page'), '.'),
      ),
    );
    focusHeading(root);
    return;
  }
  if (!mayCall(user, route.access)) {
    document.title = 'Not available · Exports Desk';
    root.append(
      pageHeader('Not available for your role'),
      notice(
        'warn',
        null,
        h('p', {}, 'Your role cannot use this page. ', h('a', { href: `#/${defaultPath(user)}` }, 'Go to your start page'), '.'),
      ),
    );
    focusHeading(root);
    return;
  }

  const params = path.match(route.path).slice(1);
  const ctx = {
    user,
    params,
    query,
    navigate,
    isCurrent: () => seq === renderSeq,
    onLeave: (handler) => leaveHandlers.push(handler),
    setTitle: (title) => {
      document.title = `${title} · Exports Desk`;
    },
    hasRole: (...roles) => hasAny(user, roles),
    mayCall: (route) => mayCall(user, route),
  };
  try {
    await route.render(root, ctx);
  } catch (error) {
    if (seq !== renderSeq) return;
    if (error?.status === 401) return;
    clear(root);
    root.append(pageHeader('This page could not be shown'), errorBanner(error));
  }
  if (seq === renderSeq) focusHeading(root);
}

let firstRender = true;
function focusHeading(root) {
  // On first load the browser's own focus is fine; after navigation start screen readers at the page title.
  if (firstRender) {
    firstRender = false;
    return;
  }
  root.querySelector('h1')?.focus({ preventScroll: false });
}

window.addEventListener('hashchange', () => render());
document.getElementById('skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main')?.focus();
});
scheduleExpiry(session.get());
// A return from the identity provider signs in first; any other load renders the page asked for.
finishSingleSignOn().then((returned) => {
  if (returned?.result) return signedIn(returned.result);
  if (returned?.message) flash = { kind: 'warn', text: returned.message };
  return render();
});
