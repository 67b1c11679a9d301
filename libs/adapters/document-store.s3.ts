import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DocumentStoreConfig } from '../config';
import { checkedDocumentKey, DocumentNotFoundError, DocumentStore } from './document-store';

type S3Config = Extract<DocumentStoreConfig, { store: 's3' }>;

/** The client settings of an S3-compatible store (AWS, MinIO, Ceph...): endpoint and path-style for non-AWS servers. */
export function s3ClientConfig(config: S3Config): S3ClientConfig {
  return {
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    ...(config.credentials ? { credentials: config.credentials } : {}),
  };
}

/** Documents as objects of one bucket, under an optional key prefix. */
export class S3DocumentStore implements DocumentStore {
  private readonly client: Pick<S3Client, 'send'>;

  constructor(
    private readonly config: S3Config,
    client?: Pick<S3Client, 'send'>,
  ) {
    this.client = client ?? new S3Client(s3ClientConfig(config));
  }

  /** The object key of a document key. */
  objectKey(key: string): string {
    return `${this.config.keyPrefix}${checkedDocumentKey(key)}`;
  }

  async put(key: string, content: Buffer, mediaType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.config.bucket,
        Key: this.objectKey(key),
        Body: content,
        ContentType: mediaType,
        ContentLength: content.length,
        // The server checks the bytes it received against this digest.
        ChecksumSHA256: createHash('sha256').update(content).digest('base64'),
      }),
    );
  }

  async get(key: string): Promise<Readable> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }));
      if (!(object.Body instanceof Readable)) throw new Error(`S3 returned no readable body for ${key}`);
      return object.Body;
    } catch (error) {
      if (error instanceof NoSuchKey) throw new DocumentNotFoundError(key);
      throw error;
    }
  }
}
