import type { Readable } from 'node:stream';

/** Nest injection token of the configured DocumentStore. */
export const DOCUMENT_STORE = Symbol('DOCUMENT_STORE');

/**
 * Where uploaded documents' bytes are kept (docs/spec.md section 7), by key; their metadata and
 * digest are in the database. Writes of a key are whole or not at all; a key is never rewritten with
 * other content (keys carry the document id).
 */
export interface DocumentStore {
  put(key: string, content: Buffer, mediaType: string): Promise<void>;
  /** The stored bytes; DocumentNotFoundError when nothing is stored under the key. */
  get(key: string): Promise<Readable>;
}

export class DocumentNotFoundError extends Error {
  override readonly name = 'DocumentNotFoundError';
  constructor(readonly key: string) {
    super(`No document is stored under ${key}`);
  }
}

/** Slash-separated segments of letters, digits, dots, dashes and underscores, none starting with a dot: no `..`, no absolute paths. */
const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** Refuses a key that could leave the store's folder or bucket prefix. */
export function checkedDocumentKey(key: string): string {
  if (key.length > 512 || !KEY.test(key)) throw new Error(`Invalid document key ${JSON.stringify(key)}`);
  return key;
}
