import { GetObjectCommand, NoSuchKey, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DocumentNotFoundError, DocumentStore, FilesystemDocumentStore } from '../../../libs/adapters';
import { S3DocumentStore, s3ClientConfig } from '../../../libs/adapters/document-store.s3';
import { ConfigError, DocumentStoreConfig, loadConfig, projectPath } from '../../../libs/config';

const bytesOf = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
};

const BAD_KEYS = ['', '../escape', 'proposals/../../etc/passwd', '/absolute', 'a//b', '.hidden', 'a/./b', 'back\\slash', 'trailing/'];

describe('FilesystemDocumentStore', () => {
  let root: string;
  let store: DocumentStore;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'documents-'));
    store = new FilesystemDocumentStore(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('gives back exactly the bytes put under a key, and leaves no partial file beside them', async () => {
    const content = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x0a]);
    await store.put('proposals/p1/d1', content, 'application/pdf');
    expect(await bytesOf(await store.get('proposals/p1/d1'))).toEqual(content);
    expect(readdirSync(join(root, 'proposals', 'p1'))).toEqual(['d1']);
  });

  it('answers a key with nothing stored with DocumentNotFoundError', async () => {
    await expect(store.get('proposals/p1/none')).rejects.toBeInstanceOf(DocumentNotFoundError);
  });

  it.each(BAD_KEYS)('refuses the key %j, which could leave its folder', async (key) => {
    await expect(store.put(key, Buffer.from('x'), 'application/pdf')).rejects.toThrow(/Invalid document key/);
    await expect(store.get(key)).rejects.toThrow(/Invalid document key/);
  });
});

describe('S3DocumentStore (key and configuration handling, against a stub client; no S3 server)', () => {
  const config: Extract<DocumentStoreConfig, { store: 's3' }> = {
    store: 's3',
    endpoint: 'http://minio.internal:9000',
    bucket: 'exports-desk-documents',
    region: 'us-gov-west-1',
    forcePathStyle: true,
    keyPrefix: 'desk/',
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret-example' },
  };

  function stubbed(answer: (command: unknown) => unknown) {
    const sent: unknown[] = [];
    const client = {
      send: jest.fn(async (command: unknown) => {
        sent.push(command);
        return answer(command);
      }),
    };
    return { store: new S3DocumentStore(config, client as never), sent };
  }

  it('builds the client for a path-style, non-AWS endpoint with static credentials', () => {
    expect(s3ClientConfig(config)).toEqual({
      region: 'us-gov-west-1',
      endpoint: 'http://minio.internal:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret-example' },
    });
    // AWS itself: no endpoint, virtual-hosted style, the SDK's default credential chain.
    expect(s3ClientConfig({ ...config, endpoint: undefined, forcePathStyle: false, credentials: undefined })).toEqual({
      region: 'us-gov-west-1',
      forcePathStyle: false,
    });
  });

  it('puts the bytes under the prefixed key with their type and SHA-256 for the server to check', async () => {
    const { store, sent } = stubbed(() => ({}));
    const content = Buffer.from('%PDF-1.4 test');
    await store.put('proposals/p1/d1', content, 'application/pdf');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(PutObjectCommand);
    expect((sent[0] as PutObjectCommand).input).toEqual({
      Bucket: 'exports-desk-documents',
      Key: 'desk/proposals/p1/d1',
      Body: content,
      ContentType: 'application/pdf',
      ContentLength: content.length,
      ChecksumSHA256: createHash('sha256').update(content).digest('base64'),
    });
  });

  it('gets the object of the prefixed key, and maps NoSuchKey to DocumentNotFoundError', async () => {
    const found = stubbed(() => ({ Body: Readable.from([Buffer.from('abc')]) }));
    expect(await bytesOf(await found.store.get('proposals/p1/d1'))).toEqual(Buffer.from('abc'));
    expect((found.sent[0] as GetObjectCommand).input).toEqual({ Bucket: 'exports-desk-documents', Key: 'desk/proposals/p1/d1' });

    const missing = stubbed(() => {
      throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
    });
    await expect(missing.store.get('proposals/p1/gone')).rejects.toBeInstanceOf(DocumentNotFoundError);
  });

  it.each(BAD_KEYS)('refuses the key %j before sending anything', async (key) => {
    const { store, sent } = stubbed(() => ({}));
    await expect(store.put(key, Buffer.from('x'), 'application/pdf')).rejects.toThrow(/Invalid document key/);
    expect(sent).toEqual([]);
  });
});

describe('DOCUMENT_STORE configuration', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'secrets-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps documents under the data folder by default', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).documents).toEqual({ store: 'filesystem', dir: projectPath('.data', 'documents') });
    expect(loadConfig({ NODE_ENV: 'test', DATA_DIR: '/srv/desk' }).documents).toEqual({ store: 'filesystem', dir: '/srv/desk/documents' });
  });

  it('reads the S3 settings, each secret from its variable or from the file <NAME>_FILE names', () => {
    writeFileSync(join(dir, 'secret'), 'from-a-file\n');
    const config = loadConfig({
      NODE_ENV: 'test',
      DOCUMENT_STORE: 's3',
      S3_ENDPOINT: 'https://s3.internal',
      S3_BUCKET: 'desk-docs',
      S3_REGION: 'eu-west-1',
      S3_FORCE_PATH_STYLE: 'true',
      S3_KEY_PREFIX: 'a/b/',
      S3_ACCESS_KEY_ID: 'AKIAFROMENV',
      S3_SECRET_ACCESS_KEY_FILE: join(dir, 'secret'),
    });
    expect(config.documents).toEqual({
      store: 's3',
      endpoint: 'https://s3.internal',
      bucket: 'desk-docs',
      region: 'eu-west-1',
      forcePathStyle: true,
      keyPrefix: 'a/b/',
      credentials: { accessKeyId: 'AKIAFROMENV', secretAccessKey: 'from-a-file' },
    });
    expect(loadConfig({ NODE_ENV: 'test', DOCUMENT_STORE: 's3', S3_BUCKET: 'desk-docs' }).documents).toEqual(
      expect.objectContaining({ region: 'us-east-1', forcePathStyle: false, keyPrefix: '', credentials: undefined, endpoint: undefined }),
    );
  });

  it('reports every S3 problem together', () => {
    writeFileSync(join(dir, 'empty'), '\n');
    const problems = (() => {
      try {
        loadConfig({
          NODE_ENV: 'test',
          DOCUMENT_STORE: 's3',
          S3_ACCESS_KEY_ID: 'AKIA',
          S3_ACCESS_KEY_ID_FILE: join(dir, 'empty'),
          S3_SECRET_ACCESS_KEY_FILE: join(dir, 'missing'),
          S3_ENDPOINT: 'not a url',
        });
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    })();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^S3_ENDPOINT=/),
        'S3_ACCESS_KEY_ID: set either S3_ACCESS_KEY_ID or S3_ACCESS_KEY_ID_FILE, not both',
        expect.stringMatching(/^S3_SECRET_ACCESS_KEY_FILE: cannot read .*missing \(ENOENT\)$/),
        'S3_BUCKET: required when DOCUMENT_STORE=s3',
      ]),
    );
    expect(() => loadConfig({ NODE_ENV: 'test', DOCUMENT_STORE: 's3', S3_BUCKET: 'desk-docs', S3_ACCESS_KEY_ID: 'AKIA' })).toThrow(
      /give both or neither/,
    );
    expect(() => loadConfig({ NODE_ENV: 'test', DOCUMENT_STORE: 'ftp' })).toThrow(/DOCUMENT_STORE/);
  });
});
