// The program's rules as the server states them (GET /reference/rules): statuses, task types and
// what each decision needs, the financing catalogue, vocabularies and who may call which route.
// Fetched once per sign-in (and on reload when a session exists); the pages keep no copies.
import { api } from './api.js';

let current = null;
let pending = null;

/** Loads the rules if they are not loaded yet; resolves with them. */
export function loadRules() {
  if (current) return Promise.resolve(current);
  pending ??= api
    .get('/reference/rules')
    .then((loaded) => {
      current = loaded;
      return loaded;
    })
    .finally(() => {
      pending = null;
    });
  return pending;
}

/** Forgets the rules (on sign-out), so the next sign-in asks the server again. */
export function forgetRules() {
  current = null;
  pending = null;
}

export const hasRules = () => current !== null;

/** The loaded rules; the router loads them before any signed-in page renders. */
export function rules() {
  if (!current) throw new Error('The program rules have not been loaded from the server.');
  return current;
}

/** Whether the user may call a route ("GET /proposals", "POST /tasks/:id/complete"), by the route's own access policy. */
export function mayCall(user, route) {
  const policy = current?.access?.[route];
  if (!policy || !user) return false;
  if (policy.kind === 'authenticated') return true;
  if (policy.kind === 'publicWhen') return true; // public by a setting, and always open to signed-in users
  return policy.kind === 'roles' && (user.roles ?? []).some((role) => policy.roles.includes(role));
}

/** The decisions of a task type, each with when it needs a comment, conditions and which data fields. */
export function decisionsOf(type) {
  return current?.taskTypes?.[type]?.decisions ?? [];
}

/** Whether a requirement ('ALWAYS', 'WHEN_NON_CONCURRENCE', 'NEVER') can apply. */
export const mayRequire = (requirement) => Boolean(requirement) && requirement !== 'NEVER';

/** The catalogue entry of a financing instrument id, if any. */
export function instrument(id) {
  return current?.financingInstruments?.find((i) => i.id === id) ?? null;
}
