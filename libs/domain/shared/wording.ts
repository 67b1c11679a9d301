/** Wording shared by the messages of several contexts' rules (intake, screening, financing, sba). */

/** Country codes arrive in any case (the API's ISO check is case-insensitive); rules compare them upper-cased. */
export function normalizeCountryCode(code: string): string {
  return code.trim().toUpperCase();
}

const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** "China (CN)": readers of a message should not have to decode ISO codes; unknown codes stay as given. */
export function describeCountry(code: string): string {
  const normalized = normalizeCountryCode(code);
  const name = /^[A-Z]{2}$/.test(normalized) ? REGION_NAMES.of(normalized) : undefined;
  return name && name !== normalized && name !== 'Unknown Region' ? `${name} (${normalized})` : normalized;
}

/** "a, b and c": lists in messages read as prose. */
export function joinWords(words: readonly string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}` : words.join('');
}
