import { BadRequestException, HttpStatus, HttpException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { FieldProblem } from './validation';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Far deeper than any request shape of the API (a proposal nests four levels), far shallower than
 * what class-transformer's recursion survives: 10,000 levels overflow its stack and answer 500.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * The API speaks JSON only (docs/spec.md section 7): a body of any other media type is refused with 415
 * rather than reaching validation as `undefined`, and a parsed JSON body the API cannot safely
 * process (too deep, unstorable text, prototype keys) is refused with 400. Mounted before the body
 * parser so that it can watch the parser's result; every refusal is an HttpException with
 * `details`, so the exception filter gives it the docs/spec.md error shape.
 */
export function jsonOnly(req: Request, _res: Response, next: NextFunction): void {
  if (!hasBody(req)) return next();
  if (
    BODY_METHODS.has(req.method) &&
    req.path.startsWith('/api/') &&
    !isJsonMediaType(req.headers['content-type']) &&
    !isDocumentUpload(req)
  ) {
    const message = 'content-type must be application/json (UTF-8)';
    return next(
      new HttpException(
        { message: 'Unsupported media type', details: [{ field: 'content-type', message }] },
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      ),
    );
  }
  refuseUnsafeBodies(req);
  next();
}

/** The one route that takes a file (POST /proposals/:id/documents): multipart/form-data, checked by its own pipe. */
const DOCUMENT_UPLOAD = /^\/api\/v1\/proposals\/[^/]+\/documents\/?$/;
function isDocumentUpload(req: Request): boolean {
  const type = (req.headers['content-type'] ?? '').toLowerCase().split(';')[0].trim();
  return req.method === 'POST' && type === 'multipart/form-data' && DOCUMENT_UPLOAD.test(req.path);
}

/** A body is announced by a transfer encoding or a non-zero length; an empty one has no media type to refuse. */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** `application/json` or a `+json` suffix type, in UTF-8 (RFC 8259 section 8.1) when a charset is named. */
function isJsonMediaType(header: string | undefined): boolean {
  const [type = '', ...params] = (header ?? '')
    .toLowerCase()
    .split(';')
    .map((part) => part.trim());
  if (type !== 'application/json' && !/^application\/[a-z0-9!#$&^_.-]+\+json$/.test(type)) return false;
  return params.every((param) => !param.startsWith('charset=') || /^charset="?utf-8"?$/.test(param));
}

/**
 * Checks the body body-parser assigns to `req.body` and refuses a bad one when it is read (by
 * `@Body()`, inside Nest's pipeline, so the exception filter keeps the details; an error thrown at
 * parse time would reach the filter rewrapped without them).
 */
function refuseUnsafeBodies(req: Request): void {
  let body: unknown;
  let refusal: BadRequestException | undefined;
  Object.defineProperty(req, 'body', {
    configurable: true,
    enumerable: true,
    get: () => {
      if (refusal) throw refusal;
      return body;
    },
    set: (value: unknown) => {
      body = value;
      const problem = firstUnsafePart(value);
      refusal = problem && new BadRequestException({ message: 'Request validation failed', details: [problem] });
    },
  });
}

/** PostgreSQL text and jsonb cannot hold U+0000 or an unpaired surrogate (not Unicode at all). */
const unstorable = (text: string): boolean => text.includes('\u0000') || /\p{Cs}/u.test(text);
/** Prototype-pollution keys; no request shape uses them and they slip past whitelisting. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The first part of a parsed body the API must not process; iterative, as recursion is what fails. */
function firstUnsafePart(root: unknown): FieldProblem | undefined {
  const pending: { value: unknown; field: string; depth: number }[] = [{ value: root, field: '', depth: 0 }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value, field, depth } = item;
    if (typeof value === 'string' && unstorable(value))
      return { field, message: `${field} must not contain NUL characters or unpaired surrogates` };
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) return { field, message: `${field} is nested deeper than ${MAX_JSON_DEPTH} levels` };
    const isArray = Array.isArray(value);
    for (const [key, child] of Object.entries(value)) {
      const childField = isArray ? `${field}[${key}]` : field ? `${field}.${key}` : key;
      if (!isArray && (FORBIDDEN_KEYS.has(key) || unstorable(key)))
        return { field: childField, message: `${childField} is not an allowed property name` };
      pending.push({ value: child, field: childField, depth: depth + 1 });
    }
  }
  return undefined;
}
