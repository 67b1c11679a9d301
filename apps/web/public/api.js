// The API client and the signed-in session (kept in sessionStorage: it ends with the tab).

const BASE = '/api/v1';
const SESSION_KEY = 'exportsDesk.session';

/** An error answer of the API in the docs/spec.md section 7 shape: {statusCode, error, message, details}. */
export class ApiError extends Error {
  constructor(status, body) {
    const message =
      (body && typeof body === 'object' && body.message) || (typeof body === 'string' && body) || `Request failed (${status})`;
    super(Array.isArray(message) ? message.join('; ') : String(message));
    this.status = status;
    this.error = body?.error ?? '';
    this.details = Array.isArray(body?.details) ? body.details : [];
  }
}

export const session = {
  get() {
    try {
      const stored = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
      if (!stored?.accessToken) return null;
      if (stored.expiresAt && new Date(stored.expiresAt).getTime() <= Date.now()) {
        sessionStorage.removeItem(SESSION_KEY);
        return null;
      }
      return stored;
    } catch {
      return null;
    }
  },
  set(value) {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(value));
  },
  clear() {
    sessionStorage.removeItem(SESSION_KEY);
  },
};

let unauthorizedHandler = () => {};
/** Called when the API answers 401 to a signed-in request (expired or revoked token). */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

export class SessionEndedError extends ApiError {}

/** The session's Authorization header; with no session, sends the user to sign-in. */
function bearer() {
  const current = session.get();
  if (!current) {
    unauthorizedHandler();
    throw new SessionEndedError(401, { message: 'Please sign in.' });
  }
  return { authorization: `Bearer ${current.accessToken}` };
}

/** fetch, with a lost connection as an ApiError the forms can show. */
async function send(url, init) {
  try {
    return await fetch(url, init);
  } catch {
    throw new ApiError(0, { message: 'The Exports Desk server could not be reached. Check your connection and try again.' });
  }
}

/** The body as JSON when it is JSON, else its text. */
async function bodyOf(response) {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/**
 * Calls the API. Resolves with the parsed JSON body; rejects with an ApiError carrying the status,
 * message and field details. A 401 ends the session and sends the user back to sign-in.
 */
export async function request(method, path, body, { authenticated = true, headers: extra = {} } = {}) {
  const headers = { accept: 'application/json', ...extra };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (authenticated) Object.assign(headers, bearer());
  const response = await send(BASE + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  const data = await bodyOf(response);
  if (authenticated) endSessionOn401(response, data);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** A 401 to a signed-in call (expired or revoked token): the session ends and the user signs in again. */
function endSessionOn401(response, data) {
  if (response.status !== 401) return;
  session.clear();
  unauthorizedHandler('Your session has ended. Please sign in again.');
  throw new SessionEndedError(401, data);
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body, headers) => request('POST', path, body, { headers }),
  del: (path) => request('DELETE', path),
};

/** Builds a query string from the non-empty values of an object. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Fetches a file of the API with the session's bearer token and saves it under `filename` (a Blob download). */
export async function download(path, filename) {
  const response = await send(BASE + path, { headers: bearer(), cache: 'no-store' });
  if (!response.ok) {
    const data = await bodyOf(response);
    endSessionOn401(response, data);
    throw new ApiError(response.status, data);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Sends one file as multipart/form-data (field "file"), e.g. POST /proposals/:id/documents; resolves with the JSON answer. */
export async function upload(path, file) {
  const form = new FormData();
  form.append('file', file, file.name);
  const response = await send(BASE + path, { method: 'POST', headers: { ...bearer(), accept: 'application/json' }, body: form });
  const data = await bodyOf(response);
  endSessionOn401(response, data);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}
