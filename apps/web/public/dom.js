// Small DOM helpers. Everything is built with createElement/textContent, never innerHTML, so text
// from the API (names, comments, reasons) can never become markup.

const PROPERTIES = new Set(['value', 'checked', 'selected', 'disabled', 'indeterminate']);

/**
 * h('button', { class: 'usa-button', onClick: fn }, 'Save') -> <button class="usa-button">Save</button>
 * Attributes that are null, undefined or false are left out; `true` gives an empty attribute.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  append(el, children);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (PROPERTIES.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === true) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

let uid = 0;
/** A unique element id with a readable prefix. */
export function newId(prefix = 'f') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** The design system's class for each kind of form control. */
const USWDS_CONTROL = { SELECT: 'usa-select', TEXTAREA: 'usa-textarea' };

/**
 * A labelled form field: <div class="field"><label/>control<p hint/><p error/></div>.
 * `field` is the API path (e.g. consortium.members[0].country) that the API's errors name.
 */
export function field({ label, control, hint, field: apiField, required, className }) {
  const id = control.id || newId('in');
  control.id = id;
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  if (apiField) control.dataset.field = apiField;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  control.classList.add(USWDS_CONTROL[control.tagName] ?? 'usa-input');
  const wrapper = h(
    'div',
    { class: ['field', 'usa-form-group', className] },
    h(
      'label',
      { for: id, class: 'usa-label' },
      label,
      required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null,
      required ? h('span', { class: 'visually-hidden' }, ' (required)') : null,
    ),
    control,
    hint ? h('p', { class: 'hint usa-hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error usa-error-message', id: errorId, hidden: true }),
  );
  if (apiField) wrapper.dataset.fieldWrapper = apiField;
  return wrapper;
}

/** A labelled checkbox: <div class="check"><input type=checkbox/><label/></div>. */
export function checkbox({ label, name, checked, field: apiField, value }) {
  const id = newId('cb');
  const input = h('input', {
    type: 'checkbox',
    class: 'usa-checkbox__input',
    id,
    name,
    checked,
    value,
    'aria-describedby': apiField ? `${id}-error` : null,
  });
  if (apiField) input.dataset.field = apiField;
  return h(
    'div',
    { class: 'check usa-checkbox' },
    input,
    h('label', { for: id, class: 'usa-checkbox__label' }, label),
    apiField ? h('p', { class: 'field-error usa-error-message', id: `${id}-error`, hidden: true }) : null,
  );
}

export function select(options, { value, id, name, placeholder } = {}) {
  const el = h(
    'select',
    { id, name },
    placeholder !== undefined ? h('option', { value: '' }, placeholder) : null,
    options.map((o) => (typeof o === 'string' ? h('option', { value: o }, o) : h('option', { value: o.value }, o.label))),
  );
  if (value !== undefined) el.value = value;
  return el;
}

/** A table with a caption (visually hidden when `hideCaption`) and header cells. */
export function table({ caption, hideCaption = true, columns, rows, className }) {
  return h(
    'div',
    { class: 'table-wrap usa-table-container--scrollable', tabindex: '0' },
    h(
      'table',
      { class: ['table', 'usa-table', 'usa-table--borderless', className] },
      caption ? h('caption', { class: hideCaption ? 'visually-hidden' : null }, caption) : null,
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

/** A body row whose cells carry their column's name (`data-label`), for the stacked layout on narrow screens. */
export function dataRow(columns, cells, attributes = {}) {
  return h(
    'tr',
    attributes,
    cells.map((cell, i) => h('td', { 'data-label': columns[i] }, cell)),
  );
}

/** A definition list of [term, value] pairs, skipping empty values. */
export function facts(pairs, className = 'facts') {
  return h(
    'dl',
    { class: className },
    pairs
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([term, value]) => h('div', { class: 'facts__row' }, h('dt', {}, term), h('dd', {}, value))),
  );
}

export function section(title, ...content) {
  const headingId = newId('sec');
  return h('section', { class: 'card', 'aria-labelledby': headingId }, h('h2', { id: headingId }, title), content);
}
