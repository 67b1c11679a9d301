/**
 * Live updates without reloading: poll a loader with exponential backoff while nothing changes,
 * back to the minimum as soon as something does, paused while the tab is hidden and stopped when the
 * user leaves the screen (ctx.onLeave). The callback runs only when the data's fingerprint changed.
 */

/** How long an action's result message (`data-result`, `data-at`) holds off a refresh that would remove it. */
const RESULT_HOLD_MS = 10_000;

/**
 * Whether a refresh now would take something from the user: a form they have typed in, a form they
 * have opened, or an action's result they may not have read yet.
 */
export function userIsBusy(root) {
  if (root.querySelector('form[data-dirty="true"], details[open] form')) return true;
  return [...root.querySelectorAll('[data-result]')].some((el) => Date.now() - Number(el.dataset.at) < RESULT_HOLD_MS);
}

const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex]';
/** What identifies a control across a redraw: generated ids change, its kind, target and words do not. */
const focusKey = (el) =>
  [el.tagName, el.getAttribute('href'), el.getAttribute('aria-label'), el.getAttribute('name'), el.textContent.trim()].join('|');

/**
 * Runs `redraw` (which rebuilds `root`) and gives focus back to the control that had it, found again by
 * its key and its place among controls with the same key, so a live refresh does not send keyboard and
 * screen-reader users back to the top of the page. A control the redraw removed leaves focus as it is.
 */
export function redrawKeepingFocus(root, redraw) {
  const active = document.activeElement;
  const key = active && active !== root && root.contains(active) ? focusKey(active) : null;
  const alike = () => [...root.querySelectorAll(FOCUSABLE)].filter((el) => focusKey(el) === key);
  const place = key === null ? -1 : alike().indexOf(active);
  redraw();
  if (place < 0) return;
  const again = alike();
  (again[place] ?? again[0])?.focus({ preventScroll: true });
}

/** A cheap fingerprint of JSON data (FNV-1a over its serialisation). */
export function fingerprint(data) {
  const text = JSON.stringify(data) ?? '';
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${text.length}:${hash.toString(36)}`;
}

/** The next delay: the minimum after a change, otherwise double the last one, capped at the maximum. */
export function nextDelay(lastMs, changed, { minMs = 2000, maxMs = 30000 } = {}) {
  if (changed || !lastMs) return minMs;
  return Math.min(maxMs, Math.max(minMs, lastMs * 2));
}

/**
 * Watches `load()` (an async function returning JSON) and calls `onChange(data)` when it differs from
 * `initial` (or from the last load shown; onChange returns false to have a change offered again). Returns { stop, reset } (reset = poll again soon, at the minimum).
 */
export function watch(ctx, load, onChange, { minMs = 2000, maxMs = 30000, initial } = {}) {
  let last = initial === undefined ? null : fingerprint(initial);
  let delay = minMs;
  let timer = null;
  let stopped = false;
  const schedule = (ms) => {
    clearTimeout(timer);
    if (stopped || document.hidden) return;
    timer = setTimeout(tick, ms);
  };
  async function tick() {
    if (stopped || (ctx.isCurrent && !ctx.isCurrent())) return stop();
    let changed = false;
    try {
      const data = await load();
      if (stopped || (ctx.isCurrent && !ctx.isCurrent())) return stop();
      const print = fingerprint(data);
      changed = last !== null && print !== last;
      const first = last === null;
      const previous = last;
      last = print;
      // onChange answers false when it could not show the change yet (the user is busy): offered again next tick.
      if (changed && !first && onChange(data) === false) last = previous;
    } catch {
      // a failed refresh is retried later, with the same backoff
    }
    delay = nextDelay(delay, changed, { minMs, maxMs });
    schedule(delay);
  }
  const onVisibility = () => {
    if (document.hidden) clearTimeout(timer);
    else {
      delay = minMs;
      schedule(0);
    }
  };
  function stop() {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  }
  document.addEventListener('visibilitychange', onVisibility);
  ctx.onLeave?.(stop);
  schedule(delay);
  return {
    stop,
    reset() {
      delay = minMs;
      schedule(minMs);
    },
  };
}
