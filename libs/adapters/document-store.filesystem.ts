import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { checkedDocumentKey, DocumentNotFoundError, DocumentStore } from './document-store';

/** Documents as files under one folder (by default the data folder's `documents`), one file per key. */
export class FilesystemDocumentStore implements DocumentStore {
  constructor(private readonly root: string) {}

  async put(key: string, content: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    // Written aside and renamed into place: a reader never sees a partial file, a crash leaves no torn one.
    const partial = `${path}.${randomUUID()}.partial`;
    try {
      await writeFile(partial, content, { mode: 0o600, flag: 'wx' });
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    try {
      // Opened before streaming, so that a missing file is a DocumentNotFoundError rather than a stream error.
      const handle = await open(this.pathOf(key), 'r');
      return handle.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DocumentNotFoundError(key);
      throw error;
    }
  }

  private pathOf(key: string): string {
    return join(this.root, ...checkedDocumentKey(key).split('/'));
  }
}
